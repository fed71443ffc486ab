/**
 * Parsing of S3 bucket notifications as delivered to SQS (directly, or wrapped by SNS). Pure functions, so
 * the rules that bite (test events, URL-encoded keys with `+` for space, non-create events) are unit-tested.
 */
export interface S3CreatedRecord {
  readonly bucket: string;
  readonly key: string;
  readonly size: number | undefined;
  readonly etag: string | undefined;
  readonly eventTime: Date;
}

export type ParsedMessage =
  | { kind: 'test' }
  | { kind: 'records'; records: S3CreatedRecord[] }
  | { kind: 'unknown'; reason: string };

/** S3 encodes keys in events like a form value: `%XX` escapes and `+` for space. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function parseS3Message(body: string): ParsedMessage {
  let doc: any;
  try {
    doc = JSON.parse(body);
  } catch {
    return { kind: 'unknown', reason: 'message body is not JSON' };
  }
  if (doc && doc.Type === 'Notification' && typeof doc.Message === 'string') return parseS3Message(doc.Message);
  if (doc && doc.Event === 's3:TestEvent') return { kind: 'test' };
  if (!doc || !Array.isArray(doc.Records)) return { kind: 'unknown', reason: 'no Records array' };
  const records: S3CreatedRecord[] = [];
  for (const r of doc.Records) {
    if (typeof r?.eventName !== 'string' || !r.eventName.startsWith('ObjectCreated')) continue;
    const bucket = r.s3?.bucket?.name;
    const key = r.s3?.object?.key;
    if (typeof bucket !== 'string' || typeof key !== 'string') continue;
    const time = new Date(r.eventTime);
    records.push({
      bucket,
      key: decodeEventKey(key),
      size: typeof r.s3.object.size === 'number' ? r.s3.object.size : undefined,
      etag: typeof r.s3.object.eTag === 'string' ? r.s3.object.eTag : undefined,
      eventTime: Number.isNaN(time.getTime()) ? new Date() : time,
    });
  }
  return { kind: 'records', records };
}
