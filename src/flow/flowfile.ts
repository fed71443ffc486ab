/**
 * A FlowFile: an immutable record of attributes plus a pointer (claim) into the content store. Sessions
 * create modified copies; the repository journals them, so a restarted flow finds every queued file again.
 */
import { randomUUID } from 'node:crypto';

/** Where a flowfile's bytes live: `length` bytes at `offset` of content file `file` (see content-store.ts). */
export interface ContentClaim {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  /**
   * The folder-bucket content ETag of the bytes (adapters/object-store/local/content-etag.ts), when computed on the
   * way in (a hard-linked big file), so a sink need not hash again. (Journals written before it was an ETag have
   * `md5` instead, which is ignored: that file is hashed again.)
   */
  readonly etag?: string;
}

export interface FlowFile {
  /** Repository sequence number: unique within a flow, increases with creation order. */
  readonly id: number;
  readonly uuid: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly size: number;
  readonly claim: ContentClaim | null;
  /** Epoch ms when the file entered the flow (queue expiration is measured from here, as NiFi). */
  readonly entryDate: number;
  readonly lineageStartDate: number;
  /** Epoch ms until which the file is penalized (0 = not penalized). */
  readonly penaltyExpiration: number;
  /** Automatic-retry attempts made by the processor that last received it. */
  readonly retryCount?: number;
}

export function newFlowFile(id: number, now: number, parent?: FlowFile): FlowFile {
  const uuid = randomUUID();
  return {
    id,
    uuid,
    // NiFi gives a new flowfile filename = uuid and path = ./ unless its parent's attributes are inherited.
    attributes: parent ? { ...parent.attributes, uuid } : { uuid, filename: uuid, path: './' },
    size: parent?.size ?? 0,
    claim: parent?.claim ?? null,
    entryDate: now,
    lineageStartDate: parent?.lineageStartDate ?? now,
    penaltyExpiration: 0,
  };
}

export const isPenalized = (ff: FlowFile, now: number): boolean => ff.penaltyExpiration > now;
