/**
 * Keys of a folder bucket under a prefix, in S3 order (UTF-8 byte order). The walk starts at the deepest
 * folder the prefix names, so listing `stream/2024/` does not read the rest of the bucket.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_TMP_DIR, invalidKey } from '../keys.js';

export async function listLocalKeys(bucket: string, root: string, prefix: string): Promise<string[]> {
  const slash = prefix.lastIndexOf('/');
  const dirPart = slash >= 0 ? prefix.slice(0, slash) : '';
  const segments = dirPart === '' ? [] : dirPart.split('/');
  if (prefix.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw invalidKey(bucket, prefix, 'not a valid prefix for a local bucket');
  }
  const keys: string[] = [];
  await walk(join(root, ...segments), segments.length === 0 ? '' : `${dirPart}/`, keys, prefix);
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

async function walk(dir: string, keyPrefix: string, out: string[], prefix: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw error;
  }
  for (const e of entries) {
    if (keyPrefix === '' && e.name === LOCAL_TMP_DIR) continue;
    const key = keyPrefix + e.name;
    // Symlinks and special files are not objects: following them could leave the bucket folder.
    if (e.isFile()) {
      if (key.startsWith(prefix)) out.push(key);
    } else if (e.isDirectory()) {
      const sub = `${key}/`;
      if (sub.startsWith(prefix) || prefix.startsWith(sub)) await walk(join(dir, e.name), sub, out, prefix);
    }
  }
}
