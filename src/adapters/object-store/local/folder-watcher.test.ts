import type { Stats } from 'node:fs';
import { mkdir, mkdtemp, open, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_TMP_DIR } from '../keys.js';
import { FolderWatcher } from './folder-watcher.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('FolderWatcher', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function watched(stableMs = 50) {
    const root = await mkdtemp(join(tmpdir(), 'floe-watch-'));
    const seen: Array<{ key: string; size: number }> = [];
    const errors: unknown[] = [];
    const w = await FolderWatcher.start(root, async (key, st) => void seen.push({ key, size: st.size }), (e) => errors.push(e), stableMs);
    cleanup.push(async () => {
      await w.close();
      await rm(root, { recursive: true, force: true });
    });
    return { root, seen, errors, w };
  }

  it('reports a file written in place once, after it stopped growing', async () => {
    const { root, seen, errors } = await watched(80);
    const fh = await open(join(root, 'slow.csv'), 'w');
    for (let i = 0; i < 10; i++) {
      await fh.write(`row ${i}\n`);
      await sleep(20); // shorter than the stable time: still being written
    }
    await fh.close();
    await until(() => seen.length > 0, 'the report');
    await sleep(300);
    expect(seen).toEqual([{ key: 'slow.csv', size: 60 }]);
    expect(errors).toEqual([]);
  });

  it('reports files in folders created after it started, and skips the temp folder and symbolic links', async () => {
    const { root, seen } = await watched();
    await mkdir(join(root, LOCAL_TMP_DIR), { recursive: true });
    await writeFile(join(root, LOCAL_TMP_DIR, 'part.tmp'), 'x');
    await writeFile(join(root, 'target.txt'), 'secret');
    await symlink(join(root, 'target.txt'), join(root, 'link.csv'));
    // Written right after the folders are created, before the watcher can have a watch on them (inotify's race).
    const deep = Array.from({ length: 20 }, (_, i) => `d${i}/e/deep.csv`);
    for (const key of deep) {
      await mkdir(join(root, key, '..'), { recursive: true });
      await writeFile(join(root, key), '1,2\n');
    }
    await until(() => deep.every((k) => seen.some((s) => s.key === k)), 'the files in new folders');
    await sleep(300);
    expect(seen.map((s) => s.key).sort()).toEqual([...deep, 'target.txt'].sort());
  });

  it("skips the port's own writes (same size and mtime) but not a later rewrite", async () => {
    const { root, seen, w } = await watched();
    const path = join(root, 'own.csv');
    await writeFile(path, 'mine');
    w.ownWrite('own.csv', await stat(path));
    await writeFile(join(root, 'marker.csv'), 'm');
    await until(() => seen.some((s) => s.key === 'marker.csv'), 'marker.csv');
    await sleep(200);
    expect(seen.map((s) => s.key)).toEqual(['marker.csv']);
    await writeFile(path, 'rewritten by someone else');
    await until(() => seen.some((s) => s.key === 'own.csv'), 'the rewrite');
    expect(seen.find((s) => s.key === 'own.csv')!.size).toBe(25);
  });

  it('reports a new file next to thousands of existing ones', async () => {
    const root = await mkdtemp(join(tmpdir(), 'floe-watch-'));
    await mkdir(join(root, 'stream'));
    await Promise.all(Array.from({ length: 3000 }, (_, i) => writeFile(join(root, 'stream', `old-${i}.csv`), 'x')));
    const seen: string[] = [];
    const w = await FolderWatcher.start(root, async (key: string, _st: Stats) => void seen.push(key), () => undefined);
    cleanup.push(async () => {
      await w.close();
      await rm(root, { recursive: true, force: true });
    });
    await writeFile(join(root, 'stream', 'new.csv'), 'y');
    await until(() => seen.length > 0, 'new.csv');
    await sleep(200);
    expect(seen).toEqual(['stream/new.csv']); // existing files are not reported at start
  });

  it('reports nothing after close', async () => {
    const { root, seen, w } = await watched(200);
    await writeFile(join(root, 'late.csv'), 'x');
    await sleep(100); // the event arrived; the file is still settling
    await w.close();
    await sleep(400);
    expect(seen).toEqual([]);
  });
});
