/**
 * A small pool of worker threads that MD5 byte ranges of open files (content-etag.ts's parts). Created on
 * first use, min(cpus, 4) workers; a worker is ref'd only while it has a job, so an idle pool never keeps the
 * process alive, while a pending hash does. Workers read the file themselves (positional reads on the
 * caller's descriptor): no file bytes pass through the main thread, only the 16-byte digests come back.
 *
 * Ranges of one length are hashed up to MD5X4_LANES at a time by one worker with the SIMD MD5 of md5x4.ts
 * (~3× OpenSSL's MD5 a core, and a group of 4 costs about what 8 do), reading straight into its memory.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MD5X4_DATA, MD5X4_DIGESTS, MD5X4_LANES, md5x4Wasm } from './md5x4.js';

/** Fewer ranges of one length than this are hashed one by one: spread over the workers, that is sooner. */
const MIN_GROUP = 4;

/** Eval'd (CommonJS) so it runs the same under node, tsx and vitest, without a separately built file. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { wasm, lanes: LANES, digestsAt, dataAt, laneBytes } = workerData;
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
let md5x; // instantiated by the first group, so a worker that only hashes single ranges never allocates it

function hashRange(fd, start, end) {
  const hash = createHash('md5');
  let position = start;
  while (position < end) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
    if (n === 0) break; // the file shrank: the digest of what is there, as a streaming read would give
    hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
    position += n;
  }
  return hash.digest();
}

function readFully(fd, at, n, position) {
  for (let done = 0; done < n; ) {
    const r = readSync(fd, new Uint8Array(md5x.memory.buffer, at + done, n - done), 0, n - done, position + done);
    if (r === 0) return false;
    done += r;
  }
  return true;
}

/** The MD5s of ranges [start, start + length) side by side, or null if the file ends inside one of them. */
function hashGroup(fd, starts, length) {
  if (!md5x) {
    md5x = new WebAssembly.Instance(new WebAssembly.Module(wasm)).exports;
    md5x.memory.grow(Math.ceil((dataAt + LANES * laneBytes) / 65536) - md5x.memory.buffer.byteLength / 65536);
  }
  // Lanes without a range hash the first one's bytes again; their digests are not returned.
  const lanes = Array.from({ length: LANES }, (_, i) => dataAt + (i < starts.length ? i : 0) * laneBytes);
  let tailAt = 0;
  let tail = 0;
  md5x.init();
  for (let done = 0; done < length; ) {
    const n = Math.min(laneBytes, length - done);
    for (let i = 0; i < starts.length; i++) if (!readFully(fd, lanes[i], n, starts[i] + done)) return null;
    tailAt = n - (n % 64);
    tail = n - tailAt;
    if (tailAt > 0) md5x.blocks(...lanes, tailAt / 64);
    done += n;
  }
  md5x.finish(...lanes.map((p) => p + tailAt), tail, length);
  return new Uint8Array(md5x.memory.buffer, digestsAt, 16 * starts.length).slice();
}

parentPort.on('message', (job) => {
  try {
    if (job.starts === undefined) return parentPort.postMessage({ digests: hashRange(job.fd, job.start, job.end) });
    // A file that shrank under a group: each range on its own, which hashes what is there.
    const digests = hashGroup(job.fd, job.starts, job.length) ?? Buffer.concat(job.starts.map((s) => hashRange(job.fd, s, s + job.length)));
    parentPort.postMessage({ digests });
  } catch (error) {
    parentPort.postMessage({ error: error && error.message ? error.message : String(error) });
  }
});
`;

/** One range ({start, end}) or a group of ranges of one length ({starts, length}). */
type JobMessage = { readonly fd: number; readonly start: number; readonly end: number } | { readonly fd: number; readonly starts: readonly number[]; readonly length: number };

interface Job {
  readonly message: JobMessage;
  readonly resolve: (digests: Uint8Array[]) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job?: Job;
}

const POOL_SIZE = Math.max(1, Math.min(availableParallelism(), 4));
const LANE_BYTES = 512 * 1024;
const queue: Job[] = [];
const slots: Slot[] = [];

/**
 * MD5 digests (16 bytes each) of byte ranges [start, end) of the open descriptor `fd`, in order. Settles once
 * every range's job is over, so the caller may close the descriptor then.
 */
export async function hashFileRanges(fd: number, ranges: readonly (readonly [number, number])[]): Promise<Uint8Array[]> {
  const jobs: Promise<Uint8Array[]>[] = [];
  for (let i = 0; i < ranges.length; ) {
    const length = ranges[i]![1] - ranges[i]![0];
    let j = i + 1;
    while (j < ranges.length && j - i < MD5X4_LANES && ranges[j]![1] - ranges[j]![0] === length) j++;
    if (j - i < MIN_GROUP) j = i + 1;
    const message: JobMessage = j - i === 1 ? { fd, start: ranges[i]![0], end: ranges[i]![1] } : { fd, starts: ranges.slice(i, j).map((r) => r[0]), length };
    jobs.push(new Promise((resolve, reject) => queue.push({ message, resolve, reject })));
    i = j;
  }
  dispatch();
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.flatMap((s) => (s as PromiseFulfilledResult<Uint8Array[]>).value);
}

/** MD5 digest (16 bytes) of bytes [start, end) of the open descriptor `fd`; the caller keeps it open until settled. */
export async function hashFileRange(fd: number, start: number, end: number): Promise<Uint8Array> {
  return (await hashFileRanges(fd, [[start, end]]))[0]!;
}

/** Workers currently alive (for tests: the pool is bounded and lazily created). */
export function etagWorkerCount(): number {
  return slots.length;
}

function dispatch(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => !s.job);
    if (!slot) {
      if (slots.length >= POOL_SIZE) return;
      slot = spawn();
    }
    const job = queue.shift()!;
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage(job.message);
  }
}

function spawn(): Slot {
  const workerData = { wasm: md5x4Wasm(), lanes: MD5X4_LANES, digestsAt: MD5X4_DIGESTS, dataAt: MD5X4_DATA, laneBytes: LANE_BYTES };
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], env: {}, workerData, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  worker.unref();
  const slot: Slot = { worker };
  slots.push(slot);
  worker.on('message', (message: { digests?: Uint8Array; error?: string }) => {
    const job = slot.job;
    slot.job = undefined;
    worker.unref();
    if (message.error !== undefined) job?.reject(new Error(message.error));
    else job?.resolve(Array.from({ length: message.digests!.length / 16 }, (_, i) => message.digests!.subarray(16 * i, 16 * i + 16)));
    dispatch();
  });
  // A dead worker fails its job and leaves the pool; the next job gets a fresh one.
  const fail = (error: Error): void => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`hash worker exited with code ${code}`)));
  return slot;
}
