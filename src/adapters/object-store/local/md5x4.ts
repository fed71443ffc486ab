/**
 * MD5 of up to 8 equal-length byte streams at once, in WebAssembly SIMD: each i32x4 lane runs one stream's
 * MD5, and two such vectors (streams 0–3, 4–7) run side by side. One MD5 is a chain of dependent steps that
 * leaves most of a core idle (OpenSSL's runs at ~0.8 GB/s here); one vector chain is latency-bound the same
 * way, so the second group's steps fill its gaps: 8 streams cost about what 4 do. The module is emitted by the
 * small builder below rather than shipped as a binary: the 64 MD5 steps come out of a loop over RFC 1321's
 * tables.
 *
 * Fixed addresses, so the worker pool's eval'd driver can use the raw exports: the state (vectors A, B, C, D of
 * group 0, then of group 1; lane i = stream 4·group + i) at 0, the digests (16 bytes a stream) at
 * MD5X4_DIGESTS, padding blocks at 256, the K table at 2048, a scratch vector per group at 3072, free memory
 * from MD5X4_DATA on, where callers put the streams' bytes.
 */

/** Streams hashed per call: 4 lanes × GROUPS interleaved vectors. */
const GROUPS = 2;
export const MD5X4_LANES = 4 * GROUPS;
export const MD5X4_DIGESTS = 16 * MD5X4_LANES;
export const MD5X4_DATA = 4096;
const LANES = MD5X4_LANES;
const STATE = 0;
const PAD = 32 * LANES;
const KTAB = 2048;
const SCRATCH = 3072;

const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
const IV = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
const messageWord = (i: number): number => [i, 5 * i + 1, 3 * i + 5, 7 * i][i >> 4]! % 16;

const uleb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);
const sleb = (n: number): number[] => {
  const low = n & 0x7f;
  const rest = n >> 7;
  return (rest === 0 && !(low & 0x40)) || (rest === -1 && low & 0x40) ? [low] : [low | 0x80, ...sleb(rest)];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const sized = (bytes: number[]): number[] => [...uleb(bytes.length), ...bytes];
const name = (text: string): number[] => sized([...Buffer.from(text)]);
const section = (id: number, content: number[]): number[] => [id, ...sized(content)];
const [I32, F64, V128] = [0x7f, 0x7c, 0x7b];

/** SIMD opcodes (after the 0xfd prefix). */
const V = { load: 0x00, store: 0x0b, shuffle: 0x0d, splat: 0x11, andnot: 0x4f, or: 0x50, xor: 0x51, bitselect: 0x52, shl: 0xab, shrU: 0xad, add: 0xae, sub: 0xb1 };

class Code {
  readonly bytes: number[] = [];
  op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  get(local: number): this {
    return this.op(0x20, ...uleb(local));
  }
  set(local: number): this {
    return this.op(0x21, ...uleb(local));
  }
  tee(local: number): this {
    return this.op(0x22, ...uleb(local));
  }
  i32(value: number): this {
    return this.op(0x41, ...sleb(value | 0));
  }
  simd(op: number, ...immediates: number[]): this {
    return this.op(0xfd, ...uleb(op), ...immediates);
  }
  /** v128.load / v128.store at the address on the stack + `offset`. */
  load(offset: number): this {
    return this.simd(V.load, 4, ...uleb(offset));
  }
  store(offset: number): this {
    return this.simd(V.store, 4, ...uleb(offset));
  }
  /** i8x16.shuffle given as the four 32-bit words picked from the two operands (0–3 first, 4–7 second). */
  shuffleWords(words: number[]): this {
    return this.simd(V.shuffle, ...words.flatMap((w) => [4 * w, 4 * w + 1, 4 * w + 2, 4 * w + 3]));
  }
  /** Transposes 4 rows of 4 words (row i = the i-th vector from `row`) into 4 columns handed to `column`. */
  transpose(row: (i: number) => void, tmp: number[], column: (i: number, value: () => void) => void): this {
    for (const [t, r, words] of [[0, 0, [0, 4, 1, 5]], [1, 0, [2, 6, 3, 7]], [2, 2, [0, 4, 1, 5]], [3, 2, [2, 6, 3, 7]]] as const) {
      row(r);
      row(r + 1);
      this.shuffleWords([...words]).set(tmp[t]!);
    }
    for (const [c, t, words] of [[0, 0, [0, 1, 4, 5]], [1, 0, [2, 3, 6, 7]], [2, 1, [0, 1, 4, 5]], [3, 1, [2, 3, 6, 7]]] as const) {
      column(c, () => this.get(tmp[t]!).get(tmp[t + 2]!).shuffleWords([...words]));
    }
    return this;
  }
}

/** Hands out local indices after a function's `params` parameters. */
function localsAfter(params: number): () => number {
  let next = params;
  return () => next++;
}

/** blocks(p0, …, p7, n): runs n 64-byte blocks of each stream (stream i at pi) into the state. */
function blocksFunction(): { code: Code; v128Locals: number } {
  const n = LANES;
  const local = localsAfter(LANES + 1);
  const groups = Array.from({ length: GROUPS }, () => ({
    state: [local(), local(), local(), local()],
    saved: [local(), local(), local(), local()],
    m: Array.from({ length: 16 }, local),
  }));
  const tmp = [local(), local(), local(), local()];
  const x = local();
  const code = new Code();
  groups.forEach((g, k) => g.state.forEach((v, i) => code.i32(0).load(STATE + 64 * k + 16 * i).set(v)));
  code.op(0x02, 0x40, 0x03, 0x40); // block, loop
  code.get(n).op(0x45, 0x0d, 1); // br_if (n == 0) out of the block
  for (const g of groups) g.state.forEach((v, i) => code.get(v).set(g.saved[i]!));
  // Message words: 16 bytes of each stream, transposed so vector j holds word j of the group's 4 streams.
  groups.forEach((g, k) => {
    for (let q = 0; q < 4; q++) {
      code.transpose((i) => code.get(4 * k + i).load(16 * q), tmp, (i, value) => {
        value();
        code.set(g.m[4 * q + i]!);
      });
    }
  });
  // The groups' steps alternate: each group's chain waits on its previous step, the other group fills the gap.
  let roles = [0, 1, 2, 3];
  for (let i = 0; i < 64; i++) {
    const s = S[4 * (i >> 4) + (i % 4)]!;
    for (const [k, g] of groups.entries()) {
      const [va, vb, vc, vd] = roles.map((r) => g.state[r]!) as [number, number, number, number];
      // a = b + rotl(a + K[i] + M[g] + f(b, c, d), s), adding f last: b is the step's one late input.
      code.get(va).i32(0).load(KTAB + 16 * i).simd(V.add).get(g.m[messageWord(i)]!).simd(V.add);
      if (i < 16) code.get(vc).get(vd).get(vb).simd(V.bitselect).simd(V.add); // F = b ? c : d
      else if (i < 32) code.get(vb).get(vc).get(vd).simd(V.bitselect).simd(V.add); // G = d ? b : c
      else if (i < 48) code.get(vb).get(vc).simd(V.xor).get(vd).simd(V.xor).simd(V.add); // H = b ^ c ^ d
      // I = c ^ (b | ~d) = ~(c ^ (d & ~b)) = -(c ^ (d & ~b)) - 1; the -1 is folded into the K table.
      else code.get(vc).get(vd).get(vb).simd(V.andnot).simd(V.xor).simd(V.sub);
      code.tee(x).i32(s).simd(V.shl).get(x).i32(32 - s).simd(V.shrU).simd(V.or).get(vb).simd(V.add).set(va);
      // V8 orders pure operations by their data alone and ran one group's 64 steps before the other's (1.4
      // GB/s here); a store is ordered, so storing each step's result keeps the steps alternating (2.4 GB/s).
      code.i32(0).get(va).store(SCRATCH + 16 * k);
    }
    roles = [roles[3]!, roles[0]!, roles[1]!, roles[2]!];
  }
  for (const g of groups) g.state.forEach((v, i) => code.get(v).get(g.saved[i]!).simd(V.add).set(v));
  for (let p = 0; p < LANES; p++) code.get(p).i32(64).op(0x6a).set(p);
  code.get(n).i32(1).op(0x6b).set(n);
  code.op(0x0c, 0, 0x0b, 0x0b); // br to the loop; end loop; end block
  groups.forEach((g, k) => g.state.forEach((v, i) => code.i32(0).get(v).store(STATE + 64 * k + 16 * i)));
  return { code, v128Locals: local() - LANES - 1 };
}

/**
 * finish(p0, …, p7, tail, length): pads the last `tail` (< 64) bytes of each stream, at pi, for streams of
 * `length` bytes in all, runs the padding blocks and writes the digests at MD5X4_DIGESTS (16 bytes a stream).
 */
function finishFunction(): Code {
  const [tail, length, blocks] = [LANES, LANES + 1, LANES + 2];
  const tmp = [LANES + 3, LANES + 4, LANES + 5, LANES + 6];
  const code = new Code();
  code.i32(1).i32(2).get(tail).i32(56).op(0x49, 0x1b).set(blocks); // 1 block if the bit length fits after the tail
  for (let p = 0; p < LANES; p++) {
    const pad = PAD + 128 * p;
    code.i32(pad).i32(0).i32(128).op(0xfc, 0x0b, 0); // memory.fill
    code.i32(pad).get(p).get(tail).op(0xfc, 0x0a, 0, 0); // memory.copy
    code.i32(pad).get(tail).op(0x6a).i32(0x80).op(0x3a, 0, 0); // i32.store8
    code.i32(pad - 8).get(blocks).i32(6).op(0x74, 0x6a); // at pad + 64 * blocks - 8:
    code.get(length).op(0xb1, 0x42, 3, 0x86, 0x37, 3, 0); // i64.store(i64.trunc_f64_u(length) << 3)
  }
  for (let p = 0; p < LANES; p++) code.i32(PAD + 128 * p);
  code.get(blocks).op(0x10, 1); // call blocks
  // Word i of stream j is lane j of state vector i: transposed, each stream's digest is one vector.
  for (let k = 0; k < GROUPS; k++) {
    code.transpose((i) => code.i32(0).load(STATE + 64 * k + 16 * i), tmp, (i, value) => {
      code.i32(0);
      value();
      code.store(MD5X4_DIGESTS + 16 * (4 * k + i));
    });
  }
  return code;
}

function initFunction(): Code {
  const code = new Code();
  for (let k = 0; k < GROUPS; k++) IV.forEach((word, i) => code.i32(0).i32(word).simd(V.splat).store(STATE + 64 * k + 16 * i));
  return code;
}

function buildModule(): Uint8Array<ArrayBuffer> {
  const pointers = Array.from({ length: LANES + 1 }, () => [I32]); // p0 … p7 and a count (blocks) or the tail (finish)
  const blocks = blocksFunction();
  const body = (locals: number[][], code: Code): number[] => sized([...vec(locals), ...code.bytes, 0x0b]);
  const kTable = K.flatMap((k, i) => {
    const word = i < 48 ? k : (k - 1) >>> 0;
    return Array.from({ length: 16 }, (_, b) => (word >>> (8 * (b % 4))) & 0xff);
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, 0, 0], [0x60, ...vec(pointers), 0], [0x60, ...vec([...pointers, [F64]]), 0]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 2, 0], [...name('init'), 0, 0], [...name('blocks'), 0, 1], [...name('finish'), 0, 2]])),
    ...section(10, vec([body([], initFunction()), body([[blocks.v128Locals, V128]], blocks.code), body([[1, I32], [4, V128]], finishFunction())])),
    ...section(11, vec([[0x00, 0x41, ...sleb(KTAB), 0x0b, ...sized(kTable)]])),
  ]);
}

let wasm: Uint8Array<ArrayBuffer> | undefined;
/** The module's bytes (built once), for worker threads that instantiate their own copy. */
export function md5x4Wasm(): Uint8Array<ArrayBuffer> {
  return (wasm ??= buildModule());
}

/** A fresh instance with room for `laneBytes` of data in each of the MD5X4_LANES lanes from MD5X4_DATA on. */
export function md5x4Instance(laneBytes: number): Md5x4Exports {
  const x = new WebAssembly.Instance(new WebAssembly.Module(md5x4Wasm())).exports as unknown as Md5x4Exports;
  x.memory.grow(Math.ceil((MD5X4_DATA + LANES * laneBytes) / 65536) - x.memory.buffer.byteLength / 65536);
  return x;
}

export interface Md5x4Exports {
  readonly memory: WebAssembly.Memory;
  init(): void;
  /** blocks(p0, …, p7, n) */
  blocks(...pointersAndBlocks: number[]): void;
  /** finish(p0, …, p7, tail, length) */
  finish(...pointersTailAndLength: number[]): void;
}

/**
 * Incremental MD5 of 1 to 8 streams of equal length: update() takes the next chunk of each (equal lengths, a
 * multiple of 64 bytes except on the last call), digest() their MD5s. The chunks are copied into the module's
 * memory; the worker pool reads files straight into it instead.
 */
export class Md5x4 {
  private readonly x: Md5x4Exports;
  private readonly lanes: number[];
  private length = 0;
  private tail = -1; // bytes of a last, partial block (at each lane's start) once update() got one

  constructor(
    private readonly streams: number,
    private readonly laneBytes = 256 * 1024,
  ) {
    if (!(streams >= 1 && streams <= LANES)) throw new RangeError(`Md5x4 hashes 1 to ${LANES} streams`);
    if (laneBytes <= 0 || laneBytes % 64 !== 0) throw new RangeError('Md5x4 lane size must be a positive multiple of 64');
    this.x = md5x4Instance(laneBytes);
    // Lanes without a stream hash stream 0's bytes again; their digests are dropped.
    this.lanes = Array.from({ length: LANES }, (_, i) => MD5X4_DATA + (i < streams ? i : 0) * laneBytes);
    this.x.init();
  }

  update(chunks: readonly Uint8Array[]): this {
    const n = chunks[0]?.byteLength ?? 0;
    if (chunks.length !== this.streams || chunks.some((c) => c.byteLength !== n)) throw new RangeError(`Md5x4.update takes ${this.streams} chunks of equal length`);
    if (this.tail >= 0) throw new Error('Md5x4.update after a partial block (only the last chunk may end mid-block)');
    for (let at = 0; at < n; at += this.laneBytes) {
      const take = Math.min(this.laneBytes, n - at);
      const memory = new Uint8Array(this.x.memory.buffer);
      chunks.forEach((c, i) => memory.set(c.subarray(at, at + take), this.lanes[i]));
      const full = take - (take % 64);
      if (full > 0) this.x.blocks(...this.lanes, full / 64);
      if (full < take) {
        this.tail = take - full;
        chunks.forEach((c, i) => memory.set(c.subarray(at + full, at + take), this.lanes[i]));
      }
    }
    this.length += n;
    return this;
  }

  /** The streams' MD5s (16 bytes each); the hasher starts over afterwards. */
  digest(): Uint8Array[] {
    this.x.finish(...this.lanes, Math.max(0, this.tail), this.length);
    const out = new Uint8Array(this.x.memory.buffer, MD5X4_DIGESTS, 16 * this.streams).slice();
    this.x.init();
    this.length = 0;
    this.tail = -1;
    return Array.from({ length: this.streams }, (_, i) => out.subarray(16 * i, 16 * i + 16));
  }
}
