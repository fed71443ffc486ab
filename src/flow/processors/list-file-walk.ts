/**
 * ListFile's directory walk with NiFi's filters, applied per file in NiFi's order: mtime ≥ min timestamp →
 * min size → max size → min age → max age → path filter → file-name regex → readable → hidden.
 * Symlinks are followed; unreadable directories and files are skipped silently (NIFI-7292). Deviation: a file
 * that vanishes between readdir and stat is skipped, where NiFi ends the whole walk early.
 *
 * The walk uses synchronous readdir/stat/access (as NiFi's walker does on its own thread): on a local disk a
 * cached stat costs microseconds, while each asynchronous call is a thread-pool round trip that costs more
 * than the stat itself. It yields to the event loop every SLICE entries, so other processors keep running; a
 * single slow call (a hung network share) does block the process for its duration — it is reported with the
 * slowest operation, as NiFi's Max Disk Operation Time bulletin.
 */
import { accessSync, constants, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';

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
  /** The slowest single file-system call of the walk (ms) and its path. */
  readonly slowest: { readonly millis: number; readonly path: string };
  /** Files dated in the future (clock skew, bad archives): invisible until then, so ListFile warns. */
  readonly future: { count: number; path: string; mtime: number };
}

/** A modification time this far ahead of the clock counts as "in the future" (small skews are normal). */
const FUTURE_TOLERANCE = 2000;

/** Entries handled between two yields to the event loop. */
const SLICE = 512;

export async function walk(root: string, filters: WalkFilters, now: number): Promise<WalkResult> {
  const files: ListedFile[] = [];
  const visited = new Set<string>();
  const seenDirs = new Set<string>();
  const slowest = { millis: 0, path: '' };
  const future = { count: 0, path: '', mtime: 0 };
  let sinceYield = 0;
  const timed = <T>(path: string, call: () => T): T => {
    const t0 = performance.now();
    try {
      return call();
    } finally {
      const ms = performance.now() - t0;
      if (ms > slowest.millis) Object.assign(slowest, { millis: ms, path });
    }
  };

  async function visit(dir: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = timed(dir, () => readdirSync(dir, { withFileTypes: true }));
    } catch {
      return; // unreadable directory: skipped (NiFi logs at debug only)
    }
    const relativeDir = relative(root, dir).split(sep).join('/');
    for (const entry of entries) {
      if (++sinceYield >= SLICE) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
      const path = join(dir, entry.name);
      const info = timed(path, () => statSync(path, { throwIfNoEntry: false })); // follows symlinks, as NiFi's walker
      if (!info) continue;
      if (info.isDirectory()) {
        if (!filters.recurse) continue;
        const key = `${info.dev}:${info.ino}`;
        if (seenDirs.has(key)) continue; // a symlink loop
        seenDirs.add(key);
        await visit(path);
        continue;
      }
      if (!info.isFile()) continue;
      visited.add(path);
      const mtime = Math.floor(info.mtimeMs);
      if (mtime > now + FUTURE_TOLERANCE && future.count++ === 0) Object.assign(future, { path, mtime });
      if (mtime < filters.minTimestamp) continue;
      if (info.size < filters.minSize) continue;
      if (filters.maxSize !== undefined && info.size > filters.maxSize) continue;
      const age = now - mtime;
      if (age < filters.minAge) continue;
      if (filters.maxAge !== undefined && age > filters.maxAge) continue;
      if (filters.recurse && filters.pathFilter && !fullMatch(filters.pathFilter, relativeDir)) continue;
      if (!fullMatch(filters.fileFilter, entry.name)) continue;
      if (!readable(path)) continue;
      if (filters.ignoreHidden && entry.name.startsWith('.')) continue;
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
    }
  }

  const rootInfo = statSync(root);
  seenDirs.add(`${rootInfo.dev}:${rootInfo.ino}`);
  await visit(root);
  return { files, visited, slowest, future };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Java's Matcher.matches(): the whole string must match. */
export function fullMatch(re: RegExp, text: string): boolean {
  const m = re.exec(text);
  if (!m) return false;
  if (m.index === 0 && m[0].length === text.length) return true;
  return new RegExp(`^(?:${re.source})$`, re.flags).test(text);
}
