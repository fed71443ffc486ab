/**
 * FetchFile reads small files with synchronous calls while they come from the page cache: an asynchronous read
 * is four thread-pool round trips (open, fstat, read, close), each costlier than a cached read itself. A
 * synchronous read slower than SLOW_MS (a cold disk, a network share) switches the processor to asynchronous
 * reads for ASYNC_FOR_MS, so a slow file system blocks the process for one read at most, now and then.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Files up to this size are candidates for a synchronous read. */
export const SYNC_READ_MAX = 64 * 1024;
const SLOW_MS = 5;
const ASYNC_FOR_MS = 60_000;

export class SyncReads {
  private asyncUntil = 0;

  enabled(now: number): boolean {
    return now >= this.asyncUntil;
  }

  /** Records how long a synchronous read took. */
  took(millis: number, now: number): void {
    if (millis > SLOW_MS) this.asyncUntil = now + ASYNC_FOR_MS;
  }
}

export type SmallRead = { data: Buffer } | { openError: unknown } | { readError: unknown };

/**
 * Reads a regular file of at most SYNC_READ_MAX bytes whole (a snapshot of the size fstat saw). Undefined when
 * it is bigger or not a regular file: the caller takes the asynchronous path, which handles those.
 */
export function readSmallSync(path: string): SmallRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { openError: error };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > SYNC_READ_MAX) return undefined;
    const buffer = Buffer.allocUnsafe(info.size);
    let done = 0;
    while (done < info.size) {
      const n = readSync(fd, buffer, done, info.size - done, done);
      if (n === 0) break; // truncated since the stat: the snapshot is what is there now
      done += n;
    }
    return { data: done === info.size ? buffer : buffer.subarray(0, done) };
  } catch (error) {
    return { readError: error };
  } finally {
    closeSync(fd);
  }
}
