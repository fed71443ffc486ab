import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmallSync, SYNC_READ_MAX, SyncReads } from './sync-reads.js';

describe('FetchFile synchronous small reads', () => {
  it('reads small regular files whole and leaves big files, folders and errors to the caller', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-sync-read-'));
    try {
      await writeFile(join(dir, 'small'), 'hello');
      await writeFile(join(dir, 'big'), Buffer.alloc(SYNC_READ_MAX + 1));
      expect(readSmallSync(join(dir, 'small'))).toEqual({ data: Buffer.from('hello') });
      expect(readSmallSync(join(dir, 'big'))).toBeUndefined();
      expect(readSmallSync(dir)).toBeUndefined();
      const missing = readSmallSync(join(dir, 'missing')) as { openError: NodeJS.ErrnoException };
      expect(missing.openError.code).toBe('ENOENT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a slow synchronous read switches to asynchronous reads for a minute', () => {
    const reads = new SyncReads();
    reads.took(1, 1000);
    expect(reads.enabled(1000)).toBe(true);
    reads.took(50, 2000);
    expect(reads.enabled(2001)).toBe(false);
    expect(reads.enabled(62_000)).toBe(true);
  });
});
