import { describe, expect, it } from 'vitest';
import { decodeEventKey, parseS3Message } from './s3-events.js';

const record = (eventName: string, key: string) => ({
  eventName,
  eventTime: '2024-05-01T10:00:00.000Z',
  s3: { bucket: { name: 'b' }, object: { key, size: 12, eTag: '"abc"' } },
});

describe('S3 notification messages', () => {
  it('recognises the test event sent when notifications are configured', () => {
    expect(parseS3Message(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' }))).toEqual({ kind: 'test' });
  });

  it('decodes URL-encoded keys (+ is a space) and keeps only object-created records', () => {
    const body = JSON.stringify({
      Records: [record('ObjectCreated:Put', 'stream%2Fmy+file%2B1.csv'), record('ObjectRemoved:Delete', 'gone.csv')],
    });
    const parsed = parseS3Message(body);
    expect(parsed).toEqual({
      kind: 'records',
      records: [{ bucket: 'b', key: 'stream/my file+1.csv', size: 12, etag: '"abc"', eventTime: new Date('2024-05-01T10:00:00.000Z') }],
    });
  });

  it('unwraps SNS notifications', () => {
    const inner = JSON.stringify({ Records: [record('ObjectCreated:CompleteMultipartUpload', 'a.csv')] });
    const parsed = parseS3Message(JSON.stringify({ Type: 'Notification', Message: inner }));
    expect(parsed.kind === 'records' && parsed.records.map((r) => r.key)).toEqual(['a.csv']);
  });

  it('reports bodies it cannot use', () => {
    expect(parseS3Message('not json')).toEqual({ kind: 'unknown', reason: 'message body is not JSON' });
    expect(parseS3Message('{"x":1}')).toEqual({ kind: 'unknown', reason: 'no Records array' });
  });

  it('decodes non-ASCII keys', () => {
    expect(decodeEventKey('%C3%BC+%E2%82%AC.csv')).toBe('ü €.csv');
  });
});
