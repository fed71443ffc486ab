/**
 * A small pool of worker threads that MD5 byte ranges of open files (content-etag.ts's parts). Created on
 * first use, min(cpus, 4) workers; a worker is ref'd only while it has a job, so an idle pool never keeps the
 * process alive, while a pending hash does. Workers read the file themselves (positional reads on the
 * caller's descriptor): no file bytes pass through the main thread, only the 16-byte digests come back.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Eval'd (CommonJS) so it runs the same under node, tsx and vitest, without a separately built file. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
parentPort.on('message', ({ fd, start, end }) => {
  try {
    const hash = createHash('md5');
    let position = start;
    while (position < end) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (n === 0) break; // the file shrank: the digest of what is there, as a streaming read would give
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      position += n;
    }
    parentPort.postMessage({ digest: hash.digest() });
  } catch (error) {
    parentPort.postMessage({ error: error && error.message ? error.message : String(error) });
  }
});
`;

interface Job {
  readonly fd: number;
  readonly start: number;
  readonly end: number;
  readonly resolve: (digest: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job?: Job;
}

const POOL_SIZE = Math.max(1, Math.min(availableParallelism(), 4));
const queue: Job[] = [];
const slots: Slot[] = [];

/** MD5 digest (16 bytes) of bytes [start, end) of the open descriptor `fd`; the caller keeps it open until settled. */
export function hashFileRange(fd: number, start: number, end: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    queue.push({ fd, start, end, resolve, reject });
    dispatch();
  });
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
    slot.worker.postMessage({ fd: job.fd, start: job.start, end: job.end });
  }
}

function spawn(): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], env: {}, resourceLimits: { maxOldGenerationSizeMb: 32 } });
  worker.unref();
  const slot: Slot = { worker };
  slots.push(slot);
  worker.on('message', (message: { digest?: Uint8Array; error?: string }) => {
    const job = slot.job;
    slot.job = undefined;
    worker.unref();
    if (message.error !== undefined) job?.reject(new Error(message.error));
    else job?.resolve(message.digest!);
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
