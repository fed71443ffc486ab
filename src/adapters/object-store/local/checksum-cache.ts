/**
 * Content ETags (content-etag.ts) of local objects, computed once per file version. Files written through the
 * port are remembered at write time; files dropped into the folder by other processes are hashed on first use
 * (read in ranges, so a big file never sits in memory). A version is identified by inode, size and mtime — a
 * rewrite changes them.
 */
import type { Stats } from 'node:fs';
import { contentEtagOfFile } from './content-etag.js';

interface Entry {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly etag: string;
}

const MAX_ENTRIES = 100_000;

export class ChecksumCache {
  private readonly entries = new Map<string, Entry>();

  remember(path: string, st: Stats, etag: string): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, etag });
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  async etag(path: string, st: Stats): Promise<string> {
    const e = this.entries.get(path);
    if (e && e.ino === st.ino && e.size === st.size && e.mtimeMs === st.mtimeMs) return e.etag;
    const etag = await contentEtagOfFile(path, st.size);
    this.remember(path, st, etag);
    return etag;
  }
}
