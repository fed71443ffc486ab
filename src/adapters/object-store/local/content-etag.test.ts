import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentEtagHash, contentEtagOfFile, ETAG_PART_SIZE } from './content-etag.js';
import { etagWorkerCount, hashFileRange, hashFileRanges } from './etag-worker-pool.js';

const PART = 64 * 1024 * 1024;
const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();

/** The expected ETag computed here from the S3 rule, independently of the code under test. */
function expectedEtag(content: Buffer): string {
  if (content.length < PART) return md5(content).toString('hex');
  const digests: Buffer[] = [];
  for (let start = 0; start < content.length; start += PART) digests.push(md5(content.subarray(start, start + PART)));
  return `${md5(Buffer.concat(digests)).toString('hex')}-${digests.length}`;
}

/** Mostly zeros (a sparse file on disk) with marker bytes that make every part, and the part edges, distinct. */
function content(size: number): { buffer: Buffer; markers: [number, string][] } {
  const markers: [number, string][] = [];
  for (let at = 0; at < size; at += PART) markers.push([at, `part ${at / PART} starts`]);
  markers.push([Math.max(0, PART - 3), 'edge'], [Math.max(0, size - 4), 'tail']);
  const buffer = Buffer.alloc(size);
  for (const [at, text] of markers) if (at < size) buffer.write(text, at);
  return { buffer, markers };
}

let dir: string;
async function sparseFile(name: string, size: number): Promise<{ path: string; buffer: Buffer }> {
  const { buffer, markers } = content(size);
  const path = join(dir, name);
  const handle = await open(path, 'w');
  try {
    await handle.truncate(size);
    for (const [at, text] of markers) if (at < size) await handle.write(buffer, at, Math.min(Buffer.byteLength(text), size - at), at);
  } finally {
    await handle.close();
  }
  return { path, buffer };
}

/** Feeds a buffer to the streaming hasher in uneven chunks that straddle the part edges. */
function streamEtag(buffer: Buffer): string {
  const hash = new ContentEtagHash();
  const sizes = [1, 3 * 1024 * 1024 + 7, 65_536, 10 * 1024 * 1024 + 1];
  let offset = 0;
  for (let i = 0; offset < buffer.length; i++) {
    const n = sizes[i % sizes.length]!;
    hash.update(buffer.subarray(offset, offset + n));
    offset += n;
  }
  return hash.digest();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'floe-etag-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('content ETag of a local object', () => {
  it('is the plain MD5 of small contents (known vectors)', async () => {
    await writeFile(join(dir, 'hello'), 'hello');
    await writeFile(join(dir, 'empty'), '');
    expect(await contentEtagOfFile(join(dir, 'hello'))).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(await contentEtagOfFile(join(dir, 'empty'))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(new ContentEtagHash().update(Buffer.from('hel')).update(Buffer.from('lo')).digest()).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(new ContentEtagHash().digest()).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(ETAG_PART_SIZE).toBe(PART);
  });

  it.each([
    ['64 MiB - 1: plain MD5', PART - 1, /^[0-9a-f]{32}$/],
    ['64 MiB: one part, multipart shape', PART, /^[0-9a-f]{32}-1$/],
    ['64 MiB + 1: two parts', PART + 1, /^[0-9a-f]{32}-2$/],
    ['2 parts and a partial third', 2 * PART + 12_345, /^[0-9a-f]{32}-3$/],
  ])('%s — file (worker pool) and stream agree with the S3 rule', async (_, size, shape) => {
    const { path, buffer } = await sparseFile(`f${size}`, size);
    const expected = expectedEtag(buffer);
    expect(expected).toMatch(shape);
    expect(await contentEtagOfFile(path)).toBe(expected);
    expect(streamEtag(buffer)).toBe(expected);
  });

  it('9 parts (a SIMD group of 8 and one on its own): the file and the stream of its bytes agree', async () => {
    const { path } = await sparseFile('nine', 8 * PART + 999);
    const stream = new ContentEtagHash();
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) stream.update(chunk as Buffer);
    const etag = await contentEtagOfFile(path);
    expect(etag).toMatch(/-9$/);
    expect(etag).toBe(stream.digest());
  });

  it('hashes groups of equal ranges side by side, others one by one, all in order', async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    const path = join(dir, 'ranges');
    await writeFile(path, bytes);
    const handle = await open(path, 'r');
    try {
      const ranges = (starts: number[], length: number): [number, number][] => starts.map((s) => [s, s + length]);
      const check = async (list: [number, number][]): Promise<void> => {
        const digests = await hashFileRanges(handle.fd, list);
        expect(digests.map((d) => Buffer.from(d).toString('hex'))).toEqual(list.map(([s, e]) => md5(bytes.subarray(s, e)).toString('hex')));
      };
      const spaced = (n: number, step: number): number[] => Array.from({ length: n }, (_, i) => i * step);
      await check(ranges(spaced(9, 700_001), 700_001)); // 8 + 1, longer than a worker's read per lane (512 KiB)
      await check(ranges(spaced(13, 100_000), 100_000)); // 8 + 5
      await check(ranges(spaced(4, 3), 3)); // 4 of a partial block each
      await check([...ranges(spaced(3, 1000), 1000), [0, 0], ...ranges(spaced(6, 4096), 4096), [17, 5_000_017]]);
      // Ranges past the end of the file (it shrank): the digests of what is there, as one by one.
      await check(ranges([bytes.length - 1000, bytes.length - 10, bytes.length, bytes.length + 5], 100));
    } finally {
      await handle.close();
    }
  });

  it('hashes only the first `length` bytes when given (a content claim of a longer file)', async () => {
    const { path, buffer } = await sparseFile('longer', PART + 100);
    expect(await contentEtagOfFile(path, PART + 10)).toBe(expectedEtag(buffer.subarray(0, PART + 10)));
    expect(await contentEtagOfFile(path, 5)).toBe(expectedEtag(buffer.subarray(0, 5)));
  });

  it('is deterministic: the same bytes in another file give the same ETag, one changed byte another', async () => {
    const a = await sparseFile('a', PART + 1);
    const b = await sparseFile('b', PART + 1);
    const first = await contentEtagOfFile(a.path);
    expect(await contentEtagOfFile(b.path)).toBe(first);
    const handle = await open(b.path, 'r+');
    await handle.write(Buffer.from('x'), 0, 1, PART); // in the second part
    await handle.close();
    expect(await contentEtagOfFile(b.path)).not.toBe(first);
  });

  it('uses a bounded pool of worker threads and reports read errors', async () => {
    const { path } = await sparseFile('five', 4 * PART + 1);
    await Promise.all([contentEtagOfFile(path), contentEtagOfFile(path)]);
    expect(etagWorkerCount()).toBeGreaterThan(0);
    expect(etagWorkerCount()).toBeLessThanOrEqual(4);
    const handle = await open(path, 'r');
    const fd = handle.fd;
    await handle.close();
    await expect(hashFileRange(fd, 0, 10)).rejects.toThrow(/EBADF/);
    await expect(contentEtagOfFile(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });

  it('the idle pool does not keep a process alive, a pending hash does', async () => {
    const { path, buffer } = await sparseFile('child', PART + 1);
    const script = `import { contentEtagOfFile } from ${JSON.stringify(join(import.meta.dirname, 'content-etag.ts'))};
await contentEtagOfFile(${JSON.stringify(path)}); // starts the pool: its workers are idle and unref'd afterwards
console.log(await contentEtagOfFile(${JSON.stringify(path)}));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000, env: { PATH: process.env['PATH'] } });
    expect(stdout.trim()).toBe(expectedEtag(buffer)); // printed (the pending job held the process) and exited by itself
  });
});
