/**
 * Object key rules. S3 accepts almost any key; a folder-backed bucket must refuse keys that cannot map to a
 * file strictly inside the bucket folder, so both adapters share the S3 limits and the local adapter adds
 * its own path rules.
 */
import { FloeError } from '../../core/errors.js';

const MAX_KEY_BYTES = 1024;

/** Folder inside a local bucket that holds in-flight writes; never a valid key. */
export const LOCAL_TMP_DIR = '.floe-tmp';

export function invalidKey(bucket: string, key: string, why: string): FloeError {
  return new FloeError('STORAGE', `invalid object key ${JSON.stringify(key)} in bucket '${bucket}': ${why}`);
}

export function checkKey(bucket: string, key: string): void {
  if (key.length === 0) throw invalidKey(bucket, key, 'empty key');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw invalidKey(bucket, key, `longer than ${MAX_KEY_BYTES} bytes`);
  if (key.includes('\0')) throw invalidKey(bucket, key, 'contains a NUL character');
}

/** Path segments of a key for a folder bucket; rejects anything that could leave or alias the folder. */
export function localKeySegments(bucket: string, key: string): string[] {
  checkKey(bucket, key);
  if (key.startsWith('/')) throw invalidKey(bucket, key, 'keys cannot start with /');
  if (key.endsWith('/')) throw invalidKey(bucket, key, 'keys cannot end with / in a local bucket');
  const segments = key.split('/');
  for (const s of segments) {
    if (s === '') throw invalidKey(bucket, key, 'empty path segment (//) is not allowed in a local bucket');
    if (s === '.' || s === '..') throw invalidKey(bucket, key, `path segment '${s}' is not allowed`);
  }
  if (segments[0] === LOCAL_TMP_DIR) throw invalidKey(bucket, key, `'${LOCAL_TMP_DIR}/' is reserved`);
  return segments;
}

export function missingObject(bucket: string, key: string): FloeError {
  return new FloeError('STORAGE', `object '${key}' does not exist in bucket '${bucket}'`, { cause: { notFound: true } });
}

/** Quoted S3 ETags → bare checksum. */
export function normaliseEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"|"$/g, '');
}

export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}
