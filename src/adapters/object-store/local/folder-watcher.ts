/**
 * Watches a folder bucket for files created by other processes (inotify through chokidar, lazily loaded).
 * Files written through the port are announced by the port itself; the watcher skips its own sight of them
 * (same size and mtime) so a local write is reported once in the common case.
 *
 * Writers that fill a file in place (not temp + rename) are waited for: a file is reported once its size has
 * been stable for `stableMs`, so a half-written file is not loaded.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { LOCAL_TMP_DIR } from '../keys.js';

type OnFile = (key: string, st: Stats) => Promise<void>;

const OWN_WRITE_TTL_MS = 60_000;

export class FolderWatcher {
  private readonly own = new Map<string, { size: number; mtimeMs: number; at: number }>();

  private constructor(
    private readonly root: string,
    private readonly closeWatcher: () => Promise<void>,
  ) {}

  static async start(root: string, onFile: OnFile, onError: (e: unknown) => void, stableMs = 50): Promise<FolderWatcher> {
    const { watch } = await import('chokidar');
    const tmp = `${root}${sep}${LOCAL_TMP_DIR}`;
    const w = watch(root, {
      ignoreInitial: true,
      ignored: (path: string) => path === tmp || path.startsWith(tmp + sep),
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: 10 },
    });
    const watcher = new FolderWatcher(root, () => w.close());
    const handle = (path: string, st?: Stats) => {
      void watcher.report(path, st, onFile).catch(onError);
    };
    w.on('add', handle);
    w.on('change', handle);
    w.on('error', onError);
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    return watcher;
  }

  ownWrite(key: string, st: Stats): void {
    const now = Date.now();
    for (const [k, v] of this.own) if (now - v.at > OWN_WRITE_TTL_MS) this.own.delete(k);
    this.own.set(key, { size: st.size, mtimeMs: st.mtimeMs, at: now });
  }

  private async report(path: string, given: Stats | undefined, onFile: OnFile): Promise<void> {
    const key = relative(this.root, path).split(sep).join('/');
    if (key === '' || key.startsWith('..')) return;
    let st = given;
    if (!st) {
      try {
        st = await stat(path);
      } catch {
        return; // gone again
      }
    }
    if (!st.isFile()) return;
    const mine = this.own.get(key);
    if (mine && mine.size === st.size && mine.mtimeMs === st.mtimeMs) {
      this.own.delete(key);
      return;
    }
    await onFile(key, st);
  }

  async close(): Promise<void> {
    await this.closeWatcher();
  }
}
