/**
 * Scenario 18: a 160 MB file with threshold = part size = 50 MB through PutS3Object into S3 (moto_server).
 * The child process is SIGKILLed after part 2; the restart resumes from byte 100 MB with the same uploadId
 * and completes with a 4-part ETag. An upload aborted on the server in the meantime forces a fresh start.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/object-store/s3/s3-object-store.js';
import { inspectFlow } from '../../src/flow/flow-inspect.js';
import { flowStateDir } from '../../src/flow/flow-engine.js';
import { createBucket, startMoto, type Moto } from '../support/moto.js';
import { flowFromYaml, spawnFlowChild, tempProject } from './flow-harness.js';

const MB = 1024 * 1024;
let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto, 'floe-mp');
}, 30_000);
afterAll(async () => {
  await moto?.stop();
});

// moto reports every upload as initiated in 2010: the max age is raised so the age-off does not abort them.
const yaml = (endpoint: string): string => `
storage: { buckets: { floe-mp: { type: s3, endpoint: '${endpoint}', region: us-east-1 } } }
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: landing, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-mp, Object Key: 'big/\${filename}', Multipart Threshold: 50 MB, Multipart Part Size: 50 MB, Multipart Upload Max Age Threshold: 10000 days }, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
      - { from: put, relationship: failure, to: put }
`;

describe('PutS3Object resumable multipart (scenario 18)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: S3ObjectStore;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempProject());
    await writeFile(join(dir, 'floe.yaml'), yaml(moto.endpoint));
    await mkdir(join(dir, 'landing'));
    store = new S3ObjectStore({ bucket: 'floe-mp', region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  const bigFile = async (name: string): Promise<string> => {
    const block = randomBytes(MB);
    const body = Buffer.concat(Array.from({ length: 160 }, (_, i) => Buffer.concat([Buffer.from(String(i).padStart(8)), block.subarray(8)])));
    await writeFile(join(dir, 'landing', name), body);
    return createHash('md5').update(body).digest('hex');
  };
  const statePath = (): string => join(flowStateDir(dir, 'ingest'), 'processors', 'put', 'multipart-put.json');
  const savedState = async () => Object.values(JSON.parse(await readFile(statePath(), 'utf8'))) as Array<{ uploadId: string; position: number; parts: unknown[] }>;
  const sendOf = async (name: string) => {
    const { provenance } = await inspectFlow(flowFromYaml(yaml(moto.endpoint)), flowStateDir(dir, 'ingest'));
    return (await provenance.query({ eventType: 'SEND', filename: name }))[0]!;
  };

  it('resumes after kill -9 from the saved position with the same uploadId', async () => {
    const md5 = await bigFile('resume.bin');
    const crashed = await spawnFlowChild(dir, 'once', { FLOE_FLOW_CRASH_AT: 'put-s3-after-part', FLOE_FLOW_CRASH_AFTER: '2' }).exited;
    expect(crashed.signal).toBe('SIGKILL');
    const [state] = await savedState();
    expect(state).toMatchObject({ position: 100 * MB });
    expect(state!.parts).toHaveLength(2);
    expect((await store.multipartUploads.list('big/')).map((u) => u.uploadId)).toContain(state!.uploadId);

    const restarted = await spawnFlowChild(dir, 'once').exited;
    expect(restarted.out).toContain('done');
    const info = await store.head('big/resume.bin');
    expect(info!.etag).toMatch(/-4$/);
    expect(createHash('md5').update(await store.getBytes('big/resume.bin')).digest('hex')).toBe(md5);
    const send = await sendOf('resume.bin');
    expect(send.attributes['s3.apimethod']).toBe('multipartupload');
    expect(send.attributes['s3.uploadId']).toBeUndefined(); // resumed, not initiated in this run (NiFi)
    expect(await savedState()).toEqual([]);
    expect(await store.multipartUploads.list('big/')).toEqual([]);
  }, 120_000);

  it('scenario 19: two flowfiles with the same key upload concurrently in separate uploads; last writer wins whole', async () => {
    const bodies = new Map<string, string>();
    for (const sub of ['one', 'two']) {
      await mkdir(join(dir, 'landing', sub));
      const body = Buffer.concat([Buffer.from(sub.repeat(4)), randomBytes(60 * MB)]);
      await writeFile(join(dir, 'landing', sub, 'x.bin'), body);
      bodies.set(createHash('md5').update(body).digest('hex'), sub);
    }
    // Killed after two parts in all: both uploads are in flight, each under its own state entry (NIFI-15969).
    const crashed = await spawnFlowChild(dir, 'once', { FLOE_FLOW_CRASH_AT: 'put-s3-after-part', FLOE_FLOW_CRASH_AFTER: '2' }).exited;
    expect(crashed.signal).toBe('SIGKILL');
    const keys = Object.keys(JSON.parse(await readFile(statePath(), 'utf8')) as object);
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.startsWith('put/floe-mp/big/x.bin/'))).toBe(true);
    const uploads = (await savedState()).map((s) => s.uploadId);
    expect(new Set(uploads).size).toBe(2);

    expect((await spawnFlowChild(dir, 'once').exited).out).toContain('done');
    const final = createHash('md5').update(await store.getBytes('big/x.bin')).digest('hex');
    expect(bodies.has(final)).toBe(true); // one of the two files, whole: parts never mixed
    expect((await store.head('big/x.bin'))!.etag).toMatch(/-2$/);
    const { provenance } = await inspectFlow(flowFromYaml(yaml(moto.endpoint)), flowStateDir(dir, 'ingest'));
    expect(await provenance.query({ eventType: 'SEND', filename: 'x.bin' })).toHaveLength(2);
    expect(await savedState()).toEqual([]);
    expect(await store.multipartUploads.list('big/')).toEqual([]);
  }, 120_000);

  it('age-off aborts uploads older than the max age (moto dates them 2010) and forgets old local state', async () => {
    const { ageOffUploads, MultipartStateFile } = await import('../../src/flow/processors/s3-multipart-resume.js');
    const id = await store.multipartUploads.create('big/stale.bin');
    const state = new MultipartStateFile(join(dir, 'mp.json'));
    await state.set('k', { uploadId: id, position: 0, parts: [], partSize: 1, contentLength: 1, timestamp: 0 });
    expect(await ageOffUploads(store.multipartUploads, state, Date.now(), 7 * 86_400_000)).toBeGreaterThanOrEqual(1);
    expect((await store.multipartUploads.list('big/stale')).map((u) => u.uploadId)).not.toContain(id);
    expect(await state.entries()).toEqual([]);
  });

  it('starts over when the upload was aborted on the server', async () => {
    const md5 = await bigFile('fresh.bin');
    await spawnFlowChild(dir, 'once', { FLOE_FLOW_CRASH_AT: 'put-s3-after-part', FLOE_FLOW_CRASH_AFTER: '2' }).exited;
    const [state] = await savedState();
    await store.multipartUploads.abort('big/fresh.bin', state!.uploadId);
    expect((await spawnFlowChild(dir, 'once').exited).out).toContain('done');
    expect(createHash('md5').update(await store.getBytes('big/fresh.bin')).digest('hex')).toBe(md5);
    const send = await sendOf('fresh.bin');
    expect(send.attributes['s3.uploadId']).toBeDefined();
    expect(send.attributes['s3.uploadId']).not.toBe(state!.uploadId);
  }, 120_000);
});
