/**
 * ListFile on a big folder (issue #6: "listing a folder of 100,000 files: time and memory reported";
 * reference scenario 22: 1 M files in 10 k subfolders with FLOE_BENCH_LIST_FILES=1000000
 * FLOE_BENCH_LIST_PER_DIR=100). Empty files, so a million of them cost inodes, not data blocks.
 * Two runs of the same listing, each in a fresh flow with FetchFile stopped:
 *   - NiFi's behaviour (Respect Back Pressure false): one run emits the whole listing, every flowfile queued;
 *   - floe's default: a run emits what fits under the connection's threshold (10 000), the rest waits.
 * FLOE_BENCH_LIST_MODES=floe skips the NiFi run (for 1 M files it queues 1 M flowfiles, ~1.3 GB).
 * Baseline: a plain readdir + stat walk of the same folder in the same run. Each listing runs in a child
 * process of its own, so one's memory does not hide the other's.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { FlowEngine } from '../../src/flow/flow-engine.js';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function createFolder(landing: string, files: number, perDir: number): Promise<number> {
  let dirs = 0;
  for (let d = 0; d * perDir < files; d++, dirs++) {
    const dir = join(landing, `d${d}`);
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < Math.min(perDir, files - d * perDir); i++) await (await open(join(dir, `f${i}.csv`), 'w')).close();
  }
  return dirs;
}

interface ListingFigures {
  seconds: number;
  queued: number;
  rss: number;
  heap?: number;
  /** floe's default: runs (and seconds) until the whole listing was emitted, the queue emptied between runs. */
  whole?: { runs: number; seconds: number; emitted: number };
}

async function listOnce(root: string, landing: string, respect: boolean): Promise<ListingFigures> {
  const yaml = `
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: '${landing}', Minimum File Age: 0 sec, Respect Back Pressure: '${respect}' } }
      fetch: { type: FetchFile, state: STOPPED, autoTerminate: [success, not.found, permission.denied, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
`;
  const config = parseProjectConfig(yaml);
  const project = join(root, `list-${respect}`);
  const engine = await FlowEngine.open(toFlowDefinition('ingest', config.flows['ingest']!), { projectDir: project });
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  await engine.runOnce('list');
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  const heap = global.gc ? process.memoryUsage().heapUsed : undefined;
  const queued = engine.status().flowFilesQueued;
  let whole: ListingFigures['whole'];
  if (respect) {
    // The rest of the same listing, as a consumer makes room: one walk, then emission in threshold-sized runs.
    const w0 = performance.now();
    let runs = 1;
    let emitted = queued;
    for (;;) {
      await engine.emptyQueue('list.success.fetch');
      await engine.runOnce('list');
      const n = engine.status().flowFilesQueued;
      if (n === 0) break;
      emitted += n;
      runs++;
    }
    whole = { runs, seconds: seconds + (performance.now() - w0) / 1000, emitted };
  }
  await engine.close();
  return { seconds, queued, rss: peak - rss0, heap, whole };
}

export async function runListingBench(root: string, files: number, perDir: number): Promise<void> {
  const landing = join(root, 'many');
  const dirs = await createFolder(landing, files, perDir);
  const w0 = performance.now();
  let n = 0;
  for (const d of await readdir(landing)) {
    for (const f of await readdir(join(landing, d))) {
      await stat(join(landing, d, f));
      n++;
    }
  }
  const walk = (performance.now() - w0) / 1000;
  console.log(`  listing ${n} files in ${dirs} folders (baseline readdir + stat walk: ${walk.toFixed(2)} s):`);
  const modes = (process.env['FLOE_BENCH_LIST_MODES'] ?? 'nifi,floe').split(',');
  for (const respect of [false, true].filter((r) => modes.includes(r ? 'floe' : 'nifi'))) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, 'child', root, landing, String(respect)], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as ListingFigures;
    const label = respect ? 'floe default (emits up to the 10 000 threshold)' : 'whole listing in one run (NiFi)';
    console.log(
      `    ${label}: ListFile ${r.seconds.toFixed(2)} s, ${r.queued} flowfiles queued, peak RSS +${mb(r.rss)}` +
        `${r.heap !== undefined ? `, live heap after GC ${mb(r.heap)}` : ''} (journal + provenance included)`,
    );
    if (r.whole) {
      console.log(`      whole listing: ${r.whole.emitted} flowfiles in ${r.whole.runs} runs, ${r.whole.seconds.toFixed(2)} s (queue emptied between runs, DROP events included)`);
    }
  }
}

if (process.argv[2] === 'child') {
  const [root, landing, respect] = process.argv.slice(3) as [string, string, string];
  console.log(JSON.stringify(await listOnce(root, landing, respect === 'true')));
}
