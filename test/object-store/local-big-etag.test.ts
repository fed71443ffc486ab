/**
 * Big objects (≥ 64 MiB) in a local bucket get S3's multipart-shaped ETag (64 MiB parts). It must not depend
 * on how the bytes arrived — a put from a stream, a putFile (hard link), a file dropped in by another process
 * and hashed by a restarted store — so a re-put of the same content after a crash is skipped by COPY's load
 * history, while changed content is loaded again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/object-store/local/local-object-store.js';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

const PART = 64 * 1024 * 1024;
const ROWS = 66_000; // 1 KiB rows: a little over 64 MiB, two parts
const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();

let dir: string;
let source: string;
let expected: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const bucketRoot = () => join(dir, 'bucket');
const freshStore = () => new LocalObjectStore({ bucket: 'floe-demo', root: bucketRoot() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'floe-big-etag-'));
  const csv = Buffer.alloc(ROWS * 1024, 'x');
  for (let i = 0; i < ROWS; i++) {
    csv.write(`${String(i).padStart(8, '0')},`, i * 1024);
    csv.write('\n', i * 1024 + 1023);
  }
  expect(csv.length).toBeGreaterThan(PART);
  expected = `${md5(Buffer.concat([md5(csv.subarray(0, PART)), md5(csv.subarray(PART))])).toString('hex')}-2`;
  source = join(dir, 'big.csv');
  const handle = await open(source, 'w');
  await handle.write(csv);
  await handle.close();
  engine = await openEngine({ database: ':memory:', storage: { buckets: { 'floe-demo': { type: 'local', path: bucketRoot() } } } });
  s = await engine.session();
  await q("create stage st url='s3://floe-demo/'");
  await q('create table big (id int, pad string)');
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('local bucket: ETag of objects of 64 MiB and more', () => {
  it('is the same for a stream put, a putFile and a dropped-in file hashed after a restart', async () => {
    const linked = join(dir, 'linked.csv');
    await copyFile(source, linked);
    expect((await freshStore().putFile('a/linked.csv', linked)).etag).toBe(expected);
    expect((await freshStore().put('a/streamed.csv', createReadStream(source))).etag).toBe(expected);
    await copyFile(source, join(bucketRoot(), 'a', 'dropped.csv'));
    const restarted = freshStore();
    for (const key of ['a/linked.csv', 'a/streamed.csv', 'a/dropped.csv']) expect((await restarted.head(key))!.etag).toBe(expected);
  });

  it("a re-put of the same content (a retry after a crash) is skipped by COPY's load history, changed content is loaded", async () => {
    const linked = join(dir, 'linked2.csv');
    await copyFile(source, linked);
    await freshStore().putFile('load/big.csv', linked);
    expect((await q("copy into big from @st/load/big.csv")).rows).toEqual([['s3://floe-demo/load/big.csv', 'LOADED', ROWS, ROWS, 1, 0, null, null, null, null]]);
    // The crashed process's retry: another store instance puts the same bytes again, this time from a stream.
    expect((await freshStore().put('load/big.csv', createReadStream(source))).etag).toBe(expected);
    expect((await q('copy into big from @st/load/big.csv')).rows).toEqual([['Copy executed with 0 files processed.']]);
    // One byte changed in the second part: a new ETag, so COPY loads the file again.
    const changed = join(dir, 'changed.csv');
    await copyFile(source, changed);
    const handle = await open(changed, 'r+');
    await handle.write('y', PART + 100); // in the padding of a row
    await handle.close();
    expect((await freshStore().putFile('load/big.csv', changed)).etag).not.toBe(expected);
    expect((await q('copy into big from @st/load/big.csv')).rows[0]?.[1]).toBe('LOADED');
    expect((await q('select count(*) from big')).rows).toEqual([[2 * ROWS]]);
  });
});
