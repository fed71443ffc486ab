/**
 * Recently written small contents, kept in memory so the next processor (PutS3Object after FetchFile) reads
 * them without another open/read/close of the content file — three thread-pool round trips per flowfile.
 * Content is immutable once written, so a cached copy never goes stale. Bounded by total bytes, least recently used out.
 */
import { BoundedCache } from '../core/bounded-cache.js';
import type { ContentClaim } from './flowfile.js';

/** Contents larger than this are not cached. */
export const CACHEABLE_BYTES = 64 * 1024;
const DEFAULT_BUDGET = 32 * 1024 * 1024;

const keyOf = (claim: ContentClaim): string => `${claim.file}:${claim.offset}:${claim.length}`;

export class ContentCache {
  private readonly entries: BoundedCache<Buffer>;

  constructor(budget = DEFAULT_BUDGET) {
    this.entries = new BoundedCache<Buffer>(budget, (_k, v) => v.length);
  }

  /** Keeps a private copy (the caller may reuse its buffer). */
  remember(claim: ContentClaim, data: Uint8Array): void {
    if (data.length > CACHEABLE_BYTES) return;
    this.entries.set(keyOf(claim), Buffer.from(data));
  }

  /** A copy of the cached bytes (readers may modify what they get), or undefined. */
  get(claim: ContentClaim): Buffer | undefined {
    const hit = this.entries.get(keyOf(claim));
    return hit && Buffer.from(hit);
  }

  get size(): number {
    return this.entries.size;
  }
}
