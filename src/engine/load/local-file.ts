/**
 * The engine's file readers (DuckDB read_csv / read_json_objects / read_parquet) need a file on this machine:
 * local buckets give theirs in place; S3 objects are streamed to a temp file first (DuckDB has no S3 access
 * here). A reader may also ask for the bytes to be normalised on the way — gunzipped by zlib (which, unlike
 * the engine, reports a truncated stream), invalid UTF-8 replaced (REPLACE_INVALID_CHARACTERS), CR bytes
 * dropped — chunk by chunk, so memory stays bounded whatever the file size.
 */
import { closeSync, createReadStream, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ObjectStore } from '../../core/ports/object-store.js';

export interface LocalFile {
  path: string;
  /** Whether the file at `path` is gzip-compressed (COMPRESSION = GZIP, or AUTO and gzip magic bytes). */
  gzip: boolean;
  release(): void;
}

export interface LocalFileOptions {
  compression: 'AUTO' | 'GZIP' | 'NONE' | string;
  /** Decompress a gzip file here (the result is plain). */
  gunzip?: boolean;
  /** Decode as UTF-8 replacing invalid sequences with U+FFFD. */
  replaceInvalidUtf8?: boolean;
  /** Drop CR bytes (CRLF → LF) when the file has any. */
  stripCr?: boolean;
}

function hasGzipMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

async function containsByte(path: string, byte: number): Promise<boolean> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) if (chunk.indexOf(byte) >= 0) return true;
  return false;
}

/** A UTF-8 re-encoder that replaces invalid sequences (multi-byte characters split across chunks are kept). */
function replaceInvalid(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
}

function dropCr(): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (chunk.indexOf(0x0d) < 0) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0x0d) out[n++] = chunk[i]!;
      done(null, out.subarray(0, n));
    },
  });
}

export async function localFile(store: ObjectStore, key: string, o: LocalFileOptions): Promise<LocalFile> {
  const inPlace = store.localPath?.(key);
  const gzipOf = (path: string) => o.compression === 'GZIP' || (o.compression === 'AUTO' && hasGzipMagic(path));
  let dir: string | undefined;
  const release = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  const temp = () => (dir ??= mkdtempSync(join(tmpdir(), 'floe-load-')));
  try {
    let src = inPlace;
    if (src === undefined) {
      src = join(temp(), 'object');
      await pipeline(await store.getStream(key), createWriteStream(src));
    }
    const gzip = gzipOf(src);
    const gunzip = gzip && o.gunzip === true;
    const stripCr = o.stripCr === true && (gunzip || !gzip) && (gunzip || (await containsByte(src, 0x0d)));
    if (!gunzip && !o.replaceInvalidUtf8 && !stripCr) return { path: src, gzip, release };
    const stages: Transform[] = [];
    if (gzip) stages.push(createGunzip());
    if (o.replaceInvalidUtf8) stages.push(replaceInvalid());
    if (o.stripCr) stages.push(dropCr());
    const clean = join(temp(), 'normalised');
    await (pipeline as (...s: unknown[]) => Promise<void>)(createReadStream(src), ...stages, createWriteStream(clean));
    if (src !== inPlace) rmSync(src);
    return { path: clean, gzip: false, release };
  } catch (e) {
    release();
    throw e;
  }
}
