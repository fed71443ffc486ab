import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5x4, MD5X4_LANES, md5x4Wasm } from './md5x4.js';

const md5hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const hex = (digests: Uint8Array[]): string[] => digests.map((d) => Buffer.from(d).toString('hex'));

/** `streams` different random contents of `length` bytes each. */
const contents = (streams: number, length: number): Buffer[] => Array.from({ length: streams }, () => randomBytes(length));

/** Feeds the contents in chunks of the given sizes (cycled; each a multiple of 64), the rest in one last call. */
function hashInChunks(streams: Buffer[], sizes: number[], laneBytes?: number): string[] {
  const hash = new Md5x4(streams.length, laneBytes);
  const length = streams[0]!.length;
  let at = 0;
  for (let i = 0; sizes.length > 0 && at + sizes[i % sizes.length]! <= length; i++) {
    const n = sizes[i % sizes.length]!;
    hash.update(streams.map((s) => s.subarray(at, at + n)));
    at += n;
  }
  if (at < length) hash.update(streams.map((s) => s.subarray(at)));
  return hex(hash.digest());
}

describe('Md5x4: MD5 of equal-length streams side by side', () => {
  it('matches known vectors in every lane', () => {
    const abc = Buffer.from('abc');
    expect(hex(new Md5x4(MD5X4_LANES).update(Array(MD5X4_LANES).fill(abc)).digest())).toEqual(Array(MD5X4_LANES).fill('900150983cd24fb0d6963f7d28e17f72'));
    expect(hex(new Md5x4(2).digest())).toEqual(['d41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e']);
  });

  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 4096, 1024 * 1024 + 3])('matches node:crypto for %i bytes, different contents per lane', (length) => {
    for (const streams of [1, 4, 5, MD5X4_LANES]) {
      const data = contents(streams, length);
      expect(hashInChunks(data, [])).toEqual(data.map(md5hex));
    }
  });

  it('gives the same digests however the bytes are split into updates', () => {
    const data = contents(MD5X4_LANES, 300_000 + 17);
    const expected = data.map(md5hex);
    for (const sizes of [[64], [128, 64 * 1000], [65_536], [64 * 3, 64 * 4096, 64 * 7]]) expect(hashInChunks(data, sizes)).toEqual(expected);
    // Chunks longer than the module's lane buffer are hashed in several rounds.
    expect(hashInChunks(data, [64 * 5000], 64 * 300)).toEqual(expected);
    expect(hashInChunks(data, [], 64)).toEqual(expected);
  });

  it('tells equal lanes apart from different ones: one changed byte changes only that lane', () => {
    const base = randomBytes(5000);
    const data = Array.from({ length: MD5X4_LANES }, () => Buffer.from(base));
    data[3]![4321] ^= 1;
    const digests = hashInChunks(data, [1024]);
    expect(digests.filter((d) => d === md5hex(base))).toHaveLength(MD5X4_LANES - 1);
    expect(digests[3]).toBe(md5hex(data[3]!));
  });

  it('starts over after digest()', () => {
    const hash = new Md5x4(4);
    hash.update(contents(4, 640));
    hash.digest();
    const data = contents(4, 77);
    expect(hex(hash.update(data).digest())).toEqual(data.map(md5hex));
  });

  it('rejects misuse', () => {
    expect(() => new Md5x4(0)).toThrow(RangeError);
    expect(() => new Md5x4(MD5X4_LANES + 1)).toThrow(RangeError);
    expect(() => new Md5x4(4, 100)).toThrow(/multiple of 64/);
    expect(() => new Md5x4(4).update(contents(3, 64))).toThrow(/4 chunks/);
    expect(() => new Md5x4(2).update([Buffer.alloc(64), Buffer.alloc(128)])).toThrow(/equal length/);
    const hash = new Md5x4(2).update(contents(2, 70));
    expect(() => hash.update(contents(2, 64))).toThrow(/partial block/);
  });

  it('is a plain WebAssembly module with the exports the worker pool drives', () => {
    const module = new WebAssembly.Module(md5x4Wasm());
    expect(WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`).sort()).toEqual(['blocks:function', 'finish:function', 'init:function', 'memory:memory']);
  });
});
