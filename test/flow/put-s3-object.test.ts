/**
 * PutS3Object / ListS3 / FetchS3Object through the object-store port: a local (folder) bucket, and S3 via a
 * real moto_server (started here, stopped by PID), including S3 going down and coming back (scenario 17).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flowServices, type FlowServiceHandle } from '../../src/runtime/flow-services.js';
import { parseProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import type { FlowEngine } from '../../src/flow/flow-engine.js';
import { createBucket, freePort, startMoto, type Moto } from '../support/moto.js';
import { openEngine, tempProject, TestClock } from './flow-harness.js';
import { S3Proxy } from './s3-proxy.js';
import { loadS3 } from '../../src/adapters/object-store/s3/aws-sdk.js';

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto, 'floe-s3');
}, 30_000);
afterAll(async () => {
  await moto?.stop();
});

describe('PutS3Object', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let engine: FlowEngine | undefined;
  let handle: FlowServiceHandle | undefined;
  const clock = new TestClock();
  beforeEach(async () => {
    ({ dir, cleanup } = await tempProject());
    await mkdir(join(dir, 'landing'));
    clock.t = Date.now() + 5000;
  });
  afterEach(async () => {
    await engine?.close();
    await handle?.close();
    engine = undefined;
    await cleanup();
  });

  const open = async (yaml: string): Promise<FlowEngine> => {
    const config = parseProjectConfig(yaml);
    handle = flowServices(config.storage, dir, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', MOTO_KEY: 'test', MOTO_SECRET: 'test' });
    engine = await openEngine(toFlowDefinition('ingest', config.flows['ingest']!), dir, { now: clock.now, services: handle.services, env: { MOTO_KEY: 'test', MOTO_SECRET: 'test' } });
    return engine;
  };
  const ingest = (put: string, storage = ''): string => `
${storage}
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: landing, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   ${put}
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
      - { from: put, relationship: failure, to: put }
`;

  it('puts into a local bucket under the key template, with NiFi’s s3.* attributes', async () => {
    await writeFile(join(dir, 'landing', 'a.csv'), 'id\n1\n');
    const e = await open(ingest(
      "{ type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/${filename}' }, autoTerminate: [success] }",
      'storage: { buckets: { floe-demo: { type: local, path: data/bucket/floe-demo } } }',
    ));
    await e.runOnce('list');
    await e.drain();
    expect(await readFile(join(dir, 'data', 'bucket', 'floe-demo', 'stream', 'a.csv'), 'utf8')).toBe('id\n1\n');
    const [send] = await e.provenance.query({ eventType: 'SEND' });
    expect(send!.attributes).toMatchObject({
      's3.bucket': 'floe-demo',
      's3.key': 'stream/a.csv',
      's3.etag': createHash('md5').update('id\n1\n').digest('hex'),
      's3.apimethod': 'putobject',
      's3.storeClass': 'STANDARD',
    });
    expect(send!.transitUri).toBe(send!.attributes['s3.url']);
    expect((await e.provenance.query()).map((x) => x.eventType).reverse()).toEqual(['CREATE', 'FETCH', 'SEND', 'DROP']);
  });

  it('a big content enters a local bucket by hard link (no bytes written twice), with the MD5 ETag', async () => {
    const body = Buffer.alloc(9 * 1024 * 1024, 3); // above the 8 MB in-memory limit
    body.write('first bytes');
    await writeFile(join(dir, 'landing', 'big.bin'), body);
    const e = await open(ingest(
      "{ type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/${filename}' }, autoTerminate: [success] }",
      'storage: { buckets: { floe-demo: { type: local, path: data/bucket/floe-demo } } }',
    ));
    await e.runOnce('list');
    await e.runOnce('fetch');
    const [queued] = e.connections.get('fetch.success.put')!.list();
    const content = await stat(e.content.path(queued!.claim!));
    await e.runOnce('put');
    const object = join(dir, 'data', 'bucket', 'floe-demo', 'stream', 'big.bin');
    expect(Buffer.compare(await readFile(object), body)).toBe(0);
    expect((await stat(object)).ino).toBe(content.ino); // the landing file's bytes, linked through the content store
    const [send] = await e.provenance.query({ eventType: 'SEND' });
    expect(send!.attributes['s3.etag']).toBe(createHash('md5').update(body).digest('hex'));
  });

  it('a content of 64 MiB and more gets the multipart-shaped ETag, computed once on the way in; apimethod putobject', async () => {
    const part = 64 * 1024 * 1024;
    const path = join(dir, 'landing', 'huge.bin');
    await writeFile(path, 'head');
    await truncate(path, part + 1024 * 1024); // sparse: cheap to make, the same bytes to hash
    const e = await open(ingest(
      "{ type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/${filename}' }, autoTerminate: [success] }",
      'storage: { buckets: { floe-demo: { type: local, path: data/bucket/floe-demo } } }',
    ));
    const body = await readFile(path);
    await e.runOnce('list');
    await e.runOnce('fetch');
    const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();
    const expected = `${md5(Buffer.concat([md5(body.subarray(0, part)), md5(body.subarray(part))])).toString('hex')}-2`;
    const [queued] = e.connections.get('fetch.success.put')!.list();
    expect(queued!.claim!.etag).toBe(expected); // hashed while FetchFile flushed it; PutS3Object does not hash again
    await e.runOnce('put');
    const [send] = await e.provenance.query({ eventType: 'SEND' });
    expect(send!.attributes['s3.etag']).toBe(expected);
    expect(send!.attributes['s3.apimethod']).toBe('putobject'); // one put, whatever the ETag's shape
  });

  it('puts into S3 (moto) through Endpoint Override URL; the sensitive key is not exported', async () => {
    await writeFile(join(dir, 'landing', 'b.csv'), 'x'.repeat(3000));
    const e = await open(ingest(
      `{ type: PutS3Object, properties: { Bucket: floe-s3, Object Key: 'stream/\${filename}', Endpoint Override URL: '${moto.endpoint}', Region: us-east-1, Access Key ID: '\${MOTO_KEY}', Secret Access Key: '\${MOTO_SECRET}' }, autoTerminate: [success] }`,
    ));
    await e.runOnce('list');
    await e.drain();
    const [send] = await e.provenance.query({ eventType: 'SEND' });
    expect(send!.attributes['s3.etag']).toBe(createHash('md5').update('x'.repeat(3000)).digest('hex'));
    expect(send!.attributes['s3.url']).toBe('s3://floe-s3/stream/b.csv');
    const { exportFlow } = await import('../../src/flow/flow-export.js');
    const exported = JSON.stringify(exportFlow(e.def));
    expect(exported).not.toContain('MOTO_SECRET');
    expect(exported).toContain('"sensitivePropertiesRemoved":["Access Key ID","Secret Access Key"]');
  });

  it('scenario 17: S3 down → failure, penalized, s3.exception; back up → uploaded once', async () => {
    const outage = new S3Proxy(await freePort(), Number(new URL(moto.endpoint).port));
    await writeFile(join(dir, 'landing', 'c.csv'), 'payload');
    const e = await open(ingest(
      "{ type: PutS3Object, properties: { Bucket: floe-s3, Object Key: 'down/${filename}' }, autoTerminate: [success] }",
      `storage: { buckets: { floe-s3: { type: s3, endpoint: 'http://127.0.0.1:${outage.port}', region: us-east-1 } } }`,
    ));
    await e.runOnce('list');
    await e.runOnce('fetch');
    await e.runOnce('put');
    const [failed] = e.connections.get('put.failure.put')!.list();
    expect(failed!.penaltyExpiration).toBe(clock.t + 30_000);
    expect(failed!.attributes['s3.exception']).toBeTruthy();
    expect(failed!.attributes['s3.errorMessage']).toMatch(/ECONNREFUSED|connect/i);
    expect(await e.drain()).toBe(0); // penalized: not retried before 30 s
    await outage.up();
    try {
      clock.advance(30_001);
      await e.drain();
      expect(e.status().flowFilesQueued).toBe(0);
      expect(await e.provenance.query({ eventType: 'SEND' })).toHaveLength(1);
      const store = await handle!.services.objectStore!('floe-s3');
      expect(Buffer.from(await store.getBytes('down/c.csv')).toString()).toBe('payload');
    } finally {
      await outage.down();
    }
  });

  it('scenario 20 (MinIO-style endpoint): path-style requests, NiFi’s default Content-Type and Content-Disposition, unquoted s3.etag', async () => {
    const proxy = new S3Proxy(await freePort(), Number(new URL(moto.endpoint).port));
    await proxy.up();
    try {
      const name = "my file ü+(1)*.csv";
      await writeFile(join(dir, 'landing', name), 'a,b\n1,2\n');
      await writeFile(join(dir, 'landing', 'typed.json'), '{}');
      const e = await open(ingest(
        `{ type: PutS3Object, properties: { Bucket: floe-s3, Object Key: 'minio/\${filename}', Endpoint Override URL: '${proxy.endpoint}', Region: us-east-1, Access Key ID: '\${MOTO_KEY}', Secret Access Key: '\${MOTO_SECRET}', Content Type: '\${filename:endsWith(".json"):ifElse("application/json", "")}', Cache Control: no-cache }, autoTerminate: [success] }`,
      ));
      await e.runOnce('list');
      await e.drain();
      // Path-style: every request names the bucket in the path and is sent to the endpoint itself.
      const s3Requests = proxy.requests.filter((r) => !r.path.startsWith('/moto-api'));
      expect(s3Requests.length).toBeGreaterThan(0);
      for (const r of s3Requests) {
        expect(r.host).toBe(`127.0.0.1:${proxy.port}`);
        expect(r.path.startsWith('/floe-s3/') || r.path === '/floe-s3' || r.path.startsWith('/floe-s3?')).toBe(true);
      }
      const put = s3Requests.find((r) => r.method === 'PUT' && r.path.startsWith('/floe-s3/minio/my%20file'))!;
      expect(put.path.split('?')[0]).toBe('/floe-s3/minio/my%20file%20%C3%BC%2B%281%29%2A.csv');

      const sends = await e.provenance.query({ eventType: 'SEND' });
      const send = sends.find((x) => x.attributes['filename'] === name)!;
      expect(send.attributes['s3.etag']).toBe(createHash('md5').update('a,b\n1,2\n').digest('hex'));
      expect(send.attributes['s3.etag']).not.toContain('"');
      expect(send.attributes['s3.contenttype']).toBeUndefined(); // only written when the property is set (NiFi)
      expect(send.attributes['s3.cachecontrol']).toBe('no-cache');

      const { S3Client, HeadObjectCommand } = await loadS3();
      const client = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: moto.credentials });
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: 'floe-s3', Key: `minio/${name}` }));
        expect(head.ContentType).toBe('application/octet-stream');
        expect(head.ContentDisposition).toBe('my+file+%C3%BC%2B%281%29*.csv'); // Java URLEncoder, as NiFi
        expect(head.CacheControl).toBe('no-cache');
        expect(head.ETag).toBe(`"${send.attributes['s3.etag']}"`);
        const typed = await client.send(new HeadObjectCommand({ Bucket: 'floe-s3', Key: 'minio/typed.json' }));
        expect(typed.ContentType).toBe('application/json');
        expect(typed.ContentDisposition).toBe('typed.json');
      } finally {
        client.destroy();
      }
      expect(sends.find((x) => x.attributes['filename'] === 'typed.json')!.attributes['s3.contenttype']).toBe('application/json');
    } finally {
      await proxy.down();
    }
  });

  it('scenario 19 (single-part): two flowfiles with the same key in one batch both succeed, last writer wins whole', async () => {
    await mkdir(join(dir, 'landing', 'one'));
    await mkdir(join(dir, 'landing', 'two'));
    await writeFile(join(dir, 'landing', 'one', 'x'), 'A'.repeat(100_000));
    await writeFile(join(dir, 'landing', 'two', 'x'), 'B'.repeat(100_000));
    const e = await open(ingest(
      "{ type: PutS3Object, properties: { Bucket: floe-s3, Object Key: 'same/${filename}' }, autoTerminate: [success] }",
      `storage: { buckets: { floe-s3: { type: s3, endpoint: '${moto.endpoint}', region: us-east-1 } } }`,
    ));
    await e.runOnce('list');
    await e.drain();
    expect(await e.provenance.query({ eventType: 'SEND' })).toHaveLength(2);
    const body = Buffer.from(await (await handle!.services.objectStore!('floe-s3')).getBytes('same/x')).toString();
    expect(body === 'A'.repeat(100_000) || body === 'B'.repeat(100_000)).toBe(true);
  });

  it('ListS3 → FetchS3Object → PutFile copies new objects once', async () => {
    const storage = `storage: { buckets: { floe-s3: { type: s3, endpoint: '${moto.endpoint}', region: us-east-1 } } }`;
    const config = parseProjectConfig(`
${storage}
flows:
  ingest:
    processors:
      ls:    { type: ListS3, properties: { Bucket: floe-s3, Prefix: 'in/' } }
      get:   { type: FetchS3Object, autoTerminate: [failure] }
      out:   { type: PutFile, properties: { Directory: 'copy/\${path}' }, autoTerminate: [success, failure] }
    connections:
      - { from: ls, relationship: success, to: get }
      - { from: get, relationship: success, to: out }
`);
    handle = flowServices(config.storage, dir, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const store = await handle.services.objectStore!('floe-s3');
    await store.put('in/one.csv', 'one');
    engine = await openEngine(toFlowDefinition('ingest', config.flows['ingest']!), dir, { now: clock.now, services: handle.services });
    await engine.runOnce('ls');
    await engine.drain();
    expect(await readFile(join(dir, 'copy', 'in', 'one.csv'), 'utf8')).toBe('one');
    await store.put('in/two.csv', 'two');
    await engine.runOnce('ls');
    await engine.drain();
    expect(await readFile(join(dir, 'copy', 'in', 'two.csv'), 'utf8')).toBe('two');
    expect(await engine.provenance.query({ componentId: 'ls', eventType: 'CREATE' })).toHaveLength(2);
  });
});
