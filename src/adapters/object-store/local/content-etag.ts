/**
 * The ETag of a local bucket object: a deterministic function of its bytes, so a re-put of the same content
 * (a retry after a crash) gets the same ETag and COPY's load history still skips it.
 *
 * - under 64 MiB: the content MD5 in hex, as S3 reports for a single-part upload;
 * - 64 MiB and more: S3's multipart shape `md5hex(md5(part 1) ‖ … ‖ md5(part N))-N` with fixed 64 MiB parts,
 *   so the parts of a file can be hashed in parallel (etag-worker-pool.ts), 8 at a time per core with a SIMD
 *   MD5 (md5x4.ts) — one OpenSSL MD5 pass over 1 GB takes ~1.3 s on one core, the floor of a big file's trip
 *   through a flow, which otherwise copies no bytes.
 *
 * The streaming hasher tracks the same part boundaries, so a put from a stream and a put of a file with the
 * same bytes get the same ETag.
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { FloeError } from '../../../core/errors.js';
import { hashFileRanges } from './etag-worker-pool.js';

/** Part size of the multipart ETag shape (and the size from which it is used). */
export const ETAG_PART_SIZE = 64 * 1024 * 1024;

/** Incremental content ETag of bytes seen in order (a put from a stream). */
export class ContentEtagHash {
  private part: Hash = createHash('md5');
  private partBytes = 0;
  private readonly partDigests: Buffer[] = [];

  update(chunk: Uint8Array): this {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(chunk.byteLength - offset, ETAG_PART_SIZE - this.partBytes);
      this.part.update(take === chunk.byteLength ? chunk : chunk.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
      if (this.partBytes === ETAG_PART_SIZE) {
        this.partDigests.push(this.part.digest());
        this.part = createHash('md5');
        this.partBytes = 0;
      }
    }
    return this;
  }

  digest(): string {
    // Under one part, the running part hash is the MD5 of the whole content.
    if (this.partDigests.length === 0) return this.part.digest('hex');
    if (this.partBytes > 0) this.partDigests.push(this.part.digest());
    return multipartEtag(this.partDigests);
  }
}

/** `md5hex(concat(part digests))-N`: S3's ETag of an N-part object. */
function multipartEtag(partDigests: readonly Uint8Array[]): string {
  const hash = createHash('md5');
  for (const d of partDigests) hash.update(d);
  return `${hash.digest('hex')}-${partDigests.length}`;
}

/**
 * The content ETag of the first `length` bytes of a file (default: its size when opened). Big files are
 * hashed part by part in worker threads that read the file themselves, all from the one descriptor opened
 * here, so every part comes from the same file even if the name is replaced meanwhile. A file that shrinks
 * while it is hashed yields the ETag of what was read (as a streaming read would); callers key cached ETags
 * by the stat they started from, so a rewrite is hashed again.
 */
export async function contentEtagOfFile(path: string, length?: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const size = length ?? (await handle.stat()).size;
    if (size < ETAG_PART_SIZE) {
      const hash = createHash('md5');
      if (size > 0) {
        const stream = handle.createReadStream({ start: 0, end: size - 1, highWaterMark: 1024 * 1024, autoClose: false });
        for await (const chunk of stream) hash.update(chunk as Buffer);
      }
      return hash.digest('hex');
    }
    const ranges = Array.from({ length: Math.ceil(size / ETAG_PART_SIZE) }, (_, i) => [i * ETAG_PART_SIZE, Math.min(size, (i + 1) * ETAG_PART_SIZE)] as const);
    // Settles only once every part is over: the workers read through the descriptor closed below.
    const digests = await hashFileRanges(handle.fd, ranges).catch((error: Error) => {
      throw new FloeError('STORAGE', `cannot hash ${path}: ${error.message}`, { cause: error });
    });
    return multipartEtag(digests);
  } finally {
    await handle.close();
  }
}
