/**
 * The local bucket's folder watcher (files written by other processes, for auto-ingest pipes): CPU per new file
 * and report latency as the folder fills up. A bucket folder only grows, so the cost of one file must not depend
 * on how many are already there (chokidar's did: it re-read the whole directory on every change). Baseline in
 * the same run: a bare `fs.watch` on the folder plus one stat per event, the least any watcher can do.
 * Sizes: FLOE_BENCH_WATCH_FILES (new files per round, default 200), FLOE_BENCH_WATCH_EXISTING (comma-separated
 * folder sizes, default 0,3000,10000), FLOE_BENCH_WATCH_GAP_MS (between two files, default 20).
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderWatcher } from '../../src/adapters/object-store/local/folder-watcher.js';
import { envNumber, pct, sleep } from '../pipeline/bench-util.js';

const FILES = envNumber('FLOE_BENCH_WATCH_FILES', 200);
const EXISTING = (process.env['FLOE_BENCH_WATCH_EXISTING'] ?? '0,3000,10000').split(',').map(Number);
const GAP_MS = envNumber('FLOE_BENCH_WATCH_GAP_MS', 20);

type Start = (root: string, seen: (key: string) => void) => Promise<() => Promise<void>>;

const floeWatcher: Start = async (root, seen) => {
  const w = await FolderWatcher.start(root, async (key) => seen(key), (e) => console.error(e));
  return () => w.close();
};

const bareWatch: Start = async (root, seen) => {
  const dir = join(root, 'stream');
  const w: FSWatcher = watch(dir, (_event, name) => {
    if (name) void stat(join(dir, name)).then((st) => st.isFile() && seen(`stream/${name}`), () => undefined);
  });
  return async () => w.close();
};

async function round(start: Start, existing: number): Promise<{ cpuMsPerFile: number; p50Ms: number; reported: number }> {
  const root = await mkdtemp(join(tmpdir(), 'floe-watch-bench-'));
  await mkdir(join(root, 'stream'));
  for (let i = 0; i < existing; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, existing - i) }, (_, k) => writeFile(join(root, 'stream', `old-${i + k}.csv`), 'x')));
  }
  const written = new Map<string, number>();
  const latency: number[] = [];
  const stop = await start(root, (key) => {
    const at = written.get(key);
    if (at !== undefined) {
      latency.push(performance.now() - at);
      written.delete(key);
    }
  });
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < FILES; i++) {
    // As a writer in another process would: a temp file renamed into the folder.
    const tmp = join(root, `.new-${i}`);
    await writeFile(tmp, 'y'.repeat(10_000));
    written.set(`stream/new-${i}.csv`, performance.now());
    await rename(tmp, join(root, 'stream', `new-${i}.csv`));
    await sleep(GAP_MS);
  }
  const deadline = Date.now() + 5_000;
  while (written.size > 0 && Date.now() < deadline) await sleep(20);
  const cpu = process.cpuUsage(cpu0);
  await stop();
  await rm(root, { recursive: true, force: true });
  return { cpuMsPerFile: (cpu.user + cpu.system) / 1000 / FILES, p50Ms: pct(latency, 50), reported: latency.length };
}

export async function runWatchBench(): Promise<void> {
  console.log(`\nFolder watcher: ${FILES} files renamed into a folder every ${GAP_MS} ms (CPU includes the writes)`);
  for (const existing of EXISTING) {
    const floe = await round(floeWatcher, existing);
    const bare = await round(bareWatch, existing);
    const fmt = (r: typeof floe) => `${r.cpuMsPerFile.toFixed(2)} ms CPU/file, p50 ${r.p50Ms.toFixed(0)} ms, ${r.reported}/${FILES} reported`;
    console.log(`  ${String(existing).padStart(6)} files already there: floe ${fmt(floe)}; bare fs.watch ${fmt(bare)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runWatchBench();
