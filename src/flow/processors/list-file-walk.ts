/**
 * ListFile's directory walk with NiFi's filters, applied per file in NiFi's order: mtime ≥ min timestamp →
 * min size → max size → min age → max age → path filter → file-name regex → readable → hidden.
 * Symlinks are followed; unreadable directories and files are skipped silently (NIFI-7292). Deviation: a file
 * that vanishes between readdir and stat is skipped, where NiFi ends the whole walk early.
 */
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { forEachLimit } from '../concurrency.js';

export interface ListedFile {
  /** Absolute path: the entity id used by the tracking strategies. */
  readonly id: string;
  readonly name: string;
  /** Directory relative to the input directory, '' for the root. */
  readonly relativeDir: string;
  readonly parent: string;
  readonly size: number;
  readonly mtime: number;
  readonly atime: number;
  readonly birthtime: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface WalkFilters {
  readonly recurse: boolean;
  readonly fileFilter: RegExp;
  readonly pathFilter?: RegExp;
  readonly minAge: number;
  readonly maxAge?: number;
  readonly minSize: number;
  readonly maxSize?: number;
  readonly ignoreHidden: boolean;
  /** Files with an older mtime are dropped during the walk (Tracking Timestamps). */
  readonly minTimestamp: number;
}

export interface WalkResult {
  readonly files: ListedFile[];
  /** Every regular file visited, whether or not it passed the filters (Tracking Entities eviction). */
  readonly visited: Set<string>;
}

export async function walk(root: string, filters: WalkFilters, now: number): Promise<WalkResult> {
  const files: ListedFile[] = [];
  const visited = new Set<string>();
  const seenDirs = new Set<string>();

  async function visit(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: skipped (NiFi logs at debug only)
    }
    // Stats overlap (16 per directory): a listing is bound by file-system round trips, not CPU.
    await forEachLimit(entries, 16, async (entry) => {
      const path = join(dir, entry.name);
      let info;
      try {
        info = await stat(path); // follows symlinks, as NiFi's walker
      } catch {
        return;
      }
      if (info.isDirectory()) {
        if (!filters.recurse) return;
        const key = `${info.dev}:${info.ino}`;
        if (seenDirs.has(key)) return; // a symlink loop
        seenDirs.add(key);
        await visit(path, depth + 1);
        return;
      }
      if (!info.isFile()) return;
      visited.add(path);
      const mtime = Math.floor(info.mtimeMs);
      if (mtime < filters.minTimestamp) return;
      if (info.size < filters.minSize) return;
      if (filters.maxSize !== undefined && info.size > filters.maxSize) return;
      const age = now - mtime;
      if (age < filters.minAge) return;
      if (filters.maxAge !== undefined && age > filters.maxAge) return;
      const relativeDir = relative(root, dir).split(sep).join('/');
      if (filters.recurse && filters.pathFilter && !fullMatch(filters.pathFilter, relativeDir)) return;
      if (!fullMatch(filters.fileFilter, entry.name)) return;
      try {
        await access(path, constants.R_OK);
      } catch {
        return;
      }
      if (filters.ignoreHidden && entry.name.startsWith('.')) return;
      files.push({
        id: path,
        name: entry.name,
        relativeDir,
        parent: dir,
        size: info.size,
        mtime,
        atime: Math.floor(info.atimeMs),
        birthtime: Math.floor(info.birthtimeMs),
        mode: info.mode,
        uid: info.uid,
        gid: info.gid,
      });
    });
  }

  const rootInfo = await stat(root);
  seenDirs.add(`${rootInfo.dev}:${rootInfo.ino}`);
  await visit(root, 0);
  return { files, visited };
}

/** Java's Matcher.matches(): the whole string must match. */
export function fullMatch(re: RegExp, text: string): boolean {
  const m = re.exec(text);
  if (!m) return false;
  if (m.index === 0 && m[0].length === text.length) return true;
  return new RegExp(`^(?:${re.source})$`, re.flags).test(text);
}
