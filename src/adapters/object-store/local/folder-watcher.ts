/**
 * Watches a folder bucket for files created by other processes (inotify through @parcel/watcher, lazily loaded).
 * Files written through the port are announced by the port itself; the watcher skips its own sight of them
 * (same size and mtime), and a file it already reported unchanged, so a write is reported once in the common case.
 *
 * Why not chokidar: on every change of a directory it re-reads and stats the whole directory, and it keeps one
 * watch per file. A bucket folder only grows (a demo writes 3,000 files in 10 minutes), so a new file cost
 * ~3 ms of CPU in an empty folder and ~26 ms with 3,000 files next to it. @parcel/watcher reports the changed
 * paths themselves (one inotify watch per directory), so a file costs the same however full the folder is.
 *
 * Writers that fill a file in place (not temp + rename) are waited for: a file is reported once its size and
 * mtime stayed the same for `stableMs`, so a half-written file is not loaded.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { LOCAL_TMP_DIR } from '../keys.js';

type OnFile = (key: string, st: Stats) => Promise<void>;

const KNOWN_TTL_MS = 60_000;

// lstat: a planted symbolic link is not a file of the bucket (the store refuses to read through one).
const statOf = (path: string): Promise<Stats | undefined> => lstat(path).catch(() => undefined);
type Seen = Pick<Stats, 'size' | 'mtimeMs'>;
const sameFile = (a: Seen, b: Seen): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs;

export class FolderWatcher {
  private readonly known = new Map<string, Seen & { at: number }>();
  /** Paths waiting to settle; `true` once another event arrived for them while waiting. */
  private readonly settling = new Map<string, boolean>();
  /** Pending waits, resolved early on close. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private unsubscribe: () => Promise<void> = async () => undefined;
  private closed = false;
  private readonly tmpDir: string;

  private constructor(
    private readonly root: string,
    private readonly onFile: OnFile,
    private readonly onError: (e: unknown) => void,
    private readonly stableMs: number,
  ) {
    this.tmpDir = join(root, LOCAL_TMP_DIR);
  }

  static async start(root: string, onFile: OnFile, onError: (e: unknown) => void, stableMs = 50): Promise<FolderWatcher> {
    const { subscribe } = await import('@parcel/watcher');
    const watcher = new FolderWatcher(root, onFile, onError, stableMs);
    const sub = await subscribe(
      root,
      (error, events) => {
        if (error) return onError(error);
        for (const e of events) if (e.type !== 'delete') watcher.settle(e.path);
      },
      { ignore: [watcher.tmpDir] },
    );
    watcher.unsubscribe = () => sub.unsubscribe();
    return watcher;
  }

  /** The port wrote `key`: its own sight of it is not reported. */
  ownWrite(key: string, st: Stats): void {
    this.remember(key, st);
  }

  /**
   * Files written by the port or already reported, for a minute: inotify reports one write as several events
   * (create, then update) that may arrive in separate batches, and each would otherwise be reported again.
   * The map is in insertion order (re-set keys are deleted first), so expired entries are at its front.
   */
  private remember(key: string, st: Stats): void {
    const now = Date.now();
    for (const [k, v] of this.known) {
      if (now - v.at <= KNOWN_TTL_MS) break;
      this.known.delete(k);
    }
    this.known.delete(key);
    this.known.set(key, { size: st.size, mtimeMs: st.mtimeMs, at: now });
  }

  /** Starts (or extends) the wait for `path` to stop changing. */
  private settle(path: string): void {
    if (this.settling.has(path)) {
      this.settling.set(path, true);
      return;
    }
    this.settling.set(path, false);
    void this.waitStable(path)
      .then((st) => (st ? this.report(path, st) : undefined))
      .catch(this.onError)
      .finally(() => this.settling.delete(path));
  }

  /** The file's stats once they stayed the same for `stableMs` (undefined: gone, not a file, or closed). */
  private async waitStable(path: string): Promise<Stats | undefined> {
    let before = await statOf(path);
    if (before?.isDirectory()) {
      await this.scanNewFolder(path);
      return undefined;
    }
    // Untouched for the stable time already (the watcher batches events, so that is the common case).
    if (before?.isFile() && Date.now() - before.mtimeMs >= this.stableMs && this.settling.get(path) === false) return before;
    for (;;) {
      if (!before?.isFile() || this.closed) return undefined;
      await this.sleep(this.stableMs);
      const now = await statOf(path);
      const touched = this.settling.get(path) === true;
      this.settling.set(path, false);
      if (now && !touched && sameFile(before, now)) return now;
      before = now;
    }
  }

  /**
   * A folder created after the watch started: files written into it before its own watch was in place have no
   * event (inotify's race), so its content is settled as if each file had just been reported.
   */
  private async scanNewFolder(dir: string): Promise<void> {
    if (this.closed || dir === this.tmpDir) return;
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.scanNewFolder(path);
      else if (entry.isFile()) this.settle(path);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  private async report(path: string, st: Stats): Promise<void> {
    const key = relative(this.root, path).split(sep).join('/');
    if (key === '' || key.startsWith('..') || this.closed) return;
    const known = this.known.get(key);
    if (known && sameFile(known, st)) return;
    this.remember(key, st);
    await this.onFile(key, st);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
    await this.unsubscribe();
  }
}
