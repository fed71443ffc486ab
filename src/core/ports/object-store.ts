/**
 * The object-store port: one bucket as S3 sees it (flat keys, prefixes, ETags), whatever holds it — a local
 * folder or an S3-compatible server. Stages, COPY, PUT/GET and pipes only talk to this interface.
 *
 * Keys are S3 keys (`stream/2024/file.csv`): no leading `/`. Listings are in key order (UTF-8 binary, as S3).
 * `etag` is the object's checksum without quotes (the content MD5 in hex for single-part uploads; S3 multipart
 * ETags look like `<hex>-<parts>`, and a folder bucket uses that shape, 64 MiB parts, from 64 MiB): COPY's load
 * history uses it to tell a modified file from an unmodified one.
 */
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
}

/** Body of a put: bytes, text (UTF-8) or a stream of chunks (read once, never buffered whole). */
export type ObjectBody = Uint8Array | string | AsyncIterable<Uint8Array>;

/** HTTP metadata stored with an object on S3 (PutS3Object's Content Type etc.); a folder bucket keeps none. */
export interface PutOptions {
  readonly contentType?: string;
  readonly contentDisposition?: string;
  readonly cacheControl?: string;
  /**
   * The body's ETag as a folder bucket computes it (MD5 hex under 64 MiB, 64 MiB-part multipart shape above) when
   * the caller already computed it: a folder bucket's putFile takes it as the ETag instead of hashing again.
   */
  readonly contentEtag?: string;
}

export interface ListOptions {
  /** Only keys strictly after this one (resume a listing). */
  readonly startAfter?: string;
  /** Objects fetched per backend request (S3 page size); the iterator hides the paging. */
  readonly pageSize?: number;
}

/** Where an object-created event came from. */
export type ObjectEventSource = 'store' | 'watch' | 'sqs';

export interface ObjectCreatedEvent {
  /** Logical bucket name (the one used in SQL URLs). */
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly eventTime: Date;
  readonly source: ObjectEventSource;
}

/**
 * Receives object-created events. Events are at-least-once: the same key may be reported more than once
 * (a write seen by the port and by the folder watcher, S3's two events for one multipart upload, SQS
 * redelivery), so consumers must be idempotent. A returned promise is awaited before the event is
 * acknowledged (an SQS message is deleted only after every listener has settled without throwing).
 */
export type ObjectEventListener = (event: ObjectCreatedEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Also report objects created by other processes: a folder watcher for local buckets, the configured SQS
   * queue for S3 buckets. Writes made through this port are always reported.
   */
  readonly external?: boolean;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface ObjectStore {
  /** Logical bucket name. */
  readonly bucket: string;
  readonly kind: 'local' | 's3';
  /** Human-readable location for messages and SHOW output (never contains credentials). */
  readonly location: string;
  /** Where external events come from, if any (SQS queue URL or the watched folder). */
  readonly notificationChannel: string | undefined;

  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;
  /**
   * Optional: stores the bytes of a local file that is never rewritten in place (it may be deleted), without
   * passing them through JS — a folder bucket hard-links it (or copies in the kernel). Callers fall back to
   * `put` with a stream.
   */
  putFile?(key: string, path: string, options?: PutOptions): Promise<ObjectInfo>;
  /** A stream of the object's bytes; the caller must consume or destroy it. Throws OBJECT_NOT_FOUND. */
  getStream(key: string): Promise<Readable>;
  getBytes(key: string): Promise<Uint8Array>;
  /** The object's file on this machine when the store is a local folder (lets the engine read it in place). */
  localPath?(key: string): string;
  /** Metadata, or undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix?: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Deletes the object; deleting a missing object is not an error (as S3). */
  delete(key: string): Promise<void>;
  subscribe(listener: ObjectEventListener, options?: SubscribeOptions): Promise<Subscription>;
  /** Stops watchers/pollers and releases clients. */
  close(): Promise<void>;
  /** Step-by-step multipart uploads a caller can resume across restarts (S3 stores); absent on folder buckets. */
  readonly multipartUploads?: MultipartUploads;
}

/** S3's multipart upload operations, for uploads whose progress the caller persists (PutS3Object's resume). */
export interface MultipartUploads {
  create(key: string, options?: PutOptions): Promise<string>;
  /** Uploads part `partNumber` (1-based) and returns its ETag (without quotes). */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string>;
  complete(key: string, uploadId: string, parts: ReadonlyArray<{ partNumber: number; etag: string }>): Promise<ObjectInfo>;
  /** In-progress uploads (first 1000, as one ListMultipartUploads page). */
  list(prefix?: string): Promise<Array<{ key: string; uploadId: string; initiated: Date }>>;
  abort(key: string, uploadId: string): Promise<void>;
}

/** Resolves stage URLs (`s3://bucket/prefix/`, `file:///abs/dir/`) to a store and a key prefix. */
export interface ObjectStoreResolver {
  resolve(url: string): ResolvedLocation;
  /** A folder-backed store rooted at an absolute directory (internal stages, file:// URLs). */
  folder(root: string, name?: string): ObjectStore;
  close(): Promise<void>;
}

export interface ResolvedLocation {
  readonly store: ObjectStore;
  /** Key prefix inside the store (may be empty; a URL's path is a literal prefix, not a directory). */
  readonly prefix: string;
  /** The URL as given, normalised (used in COPY results and LIST names). */
  readonly url: string;
}
