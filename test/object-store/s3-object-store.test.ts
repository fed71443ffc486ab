/**
 * The S3 adapter against a real S3+SQS server (moto_server over HTTP, started here on a free port and
 * stopped by PID), with bucket notifications delivered to SQS as on AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/object-store/s3/s3-object-store.js';
import { BucketRegistry } from '../../src/adapters/object-store/bucket-registry.js';
import type { ObjectCreatedEvent } from '../../src/core/ports/object-store.js';
import { createBucket, startMoto, type Moto } from '../support/moto.js';
import { objectStoreConformance } from './object-store-conformance.js';

let moto: Moto;
let n = 0;
beforeAll(async () => {
  moto = await startMoto();
}, 30_000);
afterAll(async () => {
  await moto?.stop();
});

function storeFor(bucket: string, queueUrl: string | undefined, multipartThreshold?: number, onError?: (e: unknown) => void): S3ObjectStore {
  return new S3ObjectStore({
    bucket: `logical-${bucket}`,
    realBucket: bucket,
    region: moto.region,
    endpoint: moto.endpoint,
    credentials: moto.credentials,
    sqsQueueUrl: queueUrl,
    sqsWaitSeconds: 1,
    multipartThreshold,
    partSize: 5 * 1024 * 1024,
    onError,
  });
}

objectStoreConformance('s3 (moto_server)', async () => {
  const name = `conf-${process.pid}-${n++}`;
  const { queueUrl } = await createBucket(moto, name, true);
  const store = storeFor(name, queueUrl, 5 * 1024 * 1024);
  const other = storeFor(name, undefined);
  return {
    store,
    // A second client stands in for another process uploading to the bucket: only SQS tells `store`.
    writeExternal: async (key, body) => {
      await other.put(key, body);
    },
    teardown: async () => {
      await store.close();
      await other.close();
    },
  };
});

describe('s3 adapter specifics', () => {
  it('uses multipart upload for big bodies (S3 multipart ETag) and reports each key once per listener', async () => {
    const name = `mp-${process.pid}`;
    const { queueUrl } = await createBucket(moto, name, true);
    const store = storeFor(name, queueUrl, 5 * 1024 * 1024);
    const events: ObjectCreatedEvent[] = [];
    const sub = await store.subscribe((e) => {
      events.push(e);
    }, { external: true });
    try {
      const info = await store.put('big.bin', Buffer.alloc(11 * 1024 * 1024, 7));
      expect(info.etag).toMatch(/^[0-9a-f]{32}-3$/);
      const deadline = Date.now() + 10_000;
      while (!events.some((e) => e.source === 'sqs') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const sqsEvents = events.filter((e) => e.source === 'sqs');
      expect(sqsEvents.length).toBeGreaterThan(0);
      expect(sqsEvents.every((e) => e.key === 'big.bin' && e.bucket === `logical-${name}`)).toBe(true);
    } finally {
      await sub.close();
      await store.close();
    }
  });

  it('redelivers an SQS notification whose listener failed', async () => {
    const name = `redeliver-${process.pid}`;
    const { queueUrl } = await createBucket(moto, name, true, 1);
    const errors: unknown[] = [];
    const store = storeFor(name, queueUrl, undefined, (e) => errors.push(e));
    const writer = storeFor(name, undefined);
    let calls = 0;
    const sub = await store.subscribe((e) => {
      if (e.source !== 'sqs') return;
      calls++;
      if (calls === 1) throw new Error('listener down');
    }, { external: true });
    try {
      await writer.put('r/x.csv', 'x');
      const deadline = Date.now() + 15_000;
      while (calls < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(calls).toBeGreaterThanOrEqual(2);
      expect(String(errors[0])).toContain('listener down');
    } finally {
      await sub.close();
      await store.close();
      await writer.close();
    }
  });

  it('reports a missing bucket as a STORAGE error naming it', async () => {
    const store = storeFor('no-such-bucket-here', undefined);
    await expect(store.put('a.csv', 'x')).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('logical-no-such-bucket-here') });
    await store.close();
  });

  it('resolves s3:// URLs through the floe.yaml bucket bindings', async () => {
    const name = `reg-${process.pid}`;
    await createBucket(moto, name);
    const registry = new BucketRegistry(
      {
        buckets: {
          'floe-demo': { type: 's3', bucket: name, endpoint: moto.endpoint, region: moto.region, accessKeyIdEnv: 'FLOE_T_KEY', secretAccessKeyEnv: 'FLOE_T_SECRET' },
        },
      },
      { projectDir: '/nonexistent', env: { FLOE_T_KEY: 'test', FLOE_T_SECRET: 'test' } },
    );
    try {
      const loc = registry.resolve('s3://floe-demo/stream/');
      expect(loc.prefix).toBe('stream/');
      await loc.store.put(`${loc.prefix}a.csv`, '1\n');
      const listed = [];
      for await (const o of loc.store.list(loc.prefix)) listed.push(o.key);
      expect(listed).toEqual(['stream/a.csv']);
      expect(() => registry.resolve('s3://unbound/x')).toThrow(/storage\.buckets\.unbound/);
    } finally {
      await registry.close();
    }
  });
});
