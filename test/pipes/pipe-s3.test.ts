/**
 * Auto-ingest from S3 through SQS bucket notifications against a real moto_server (started here on a free
 * port, stopped by PID): objects uploaded by another client are loaded once, including keys that S3
 * URL-encodes in events; the S3 test event and duplicate notifications load nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, PipeLoad } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { createBucket, startMoto, type Moto } from '../support/moto.js';

let moto: Moto;
let engine: Engine;
let queueUrl: string;
const bucket = `pipe-e2e-${process.pid}`;

beforeAll(async () => {
  moto = await startMoto();
  queueUrl = (await createBucket(moto, bucket, true)).queueUrl!;
  engine = await openEngine({
    database: ':memory:',
    storage: { buckets: { raw: { type: 's3', bucket, endpoint: moto.endpoint, region: moto.region, forcePathStyle: true, notifications: { sqs: queueUrl } } } },
  });
}, 30_000);
afterAll(async () => {
  await engine?.close();
  await moto?.stop();
});

async function upload(key: string, body: string): Promise<void> {
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: moto.region, endpoint: moto.endpoint, forcePathStyle: true, credentials: moto.credentials });
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
}

async function sendRaw(body: string): Promise<void> {
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  const sqs = new SQSClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  } finally {
    sqs.destroy();
  }
}

function loadsUntil(files: number): Promise<PipeLoad[]> {
  const seen: PipeLoad[] = [];
  return new Promise((resolve) => {
    const off = engine.pipes.onLoad((l) => {
      seen.push(l);
      if (seen.flatMap((x) => x.files).length >= files) {
        off();
        resolve(seen);
      }
    });
  });
}

describe('pipe auto-ingest from S3 + SQS (moto_server)', () => {
  it('loads uploaded objects once; test events and duplicate notifications load nothing', { timeout: 60_000 }, async () => {
    const s = await engine.session();
    await s.query(`create table raw (id int, name string);
      create stage st url = 's3://raw/stream/';
      create pipe p auto_ingest = true as copy into raw from @st`);
    const show = await s.query("show pipes like 'P'");
    const cols = show[0]!.columns.map((c) => c.name);
    expect(show[0]!.rows[0]![cols.indexOf('notification_channel')]).toBe(queueUrl);
    await engine.pipes.start({ reconcileMs: 0 });
    await sendRaw(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: bucket }));
    const two = loadsUntil(2);
    await upload('stream/a file+1.csv', '1,a\n2,b\n');
    await upload('stream/b.csv', '3,c\n');
    const loads = await two;
    expect(loads.flatMap((l) => l.files.map((f) => [f.path, f.status, f.rowsLoaded])).sort()).toEqual([
      ['a file+1.csv', 'LOADED', 2],
      ['b.csv', 'LOADED', 1],
    ]);
    // A redelivered notification for an already loaded key is ignored (pipe history is by path).
    const record = { eventName: 'ObjectCreated:Put', eventTime: new Date().toISOString(), s3: { bucket: { name: bucket }, object: { key: 'stream/b.csv', size: 4 } } };
    await sendRaw(JSON.stringify({ Records: [record] }));
    const c = loadsUntil(1);
    await upload('stream/c.csv', '4,d\n');
    await c;
    await engine.pipes.drain();
    expect((await s.query('select id from raw order by id'))[0]!.rows).toEqual([[1], [2], [3], [4]]);
    const st = JSON.parse(String((await s.query("select system$pipe_status('p')"))[0]!.rows[0]![0]));
    expect(st).toMatchObject({ executionState: 'RUNNING', pendingFileCount: 0, notificationChannelName: queueUrl, lastIngestedFilePath: 'c.csv' });
    expect(typeof st.lastReceivedMessageTimestamp).toBe('string');
  });
});
