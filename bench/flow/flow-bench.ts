/**
 * Flow engine throughput, each figure next to a baseline doing the same copy with plain fs calls in the
 * same run (issue #6):
 *   1. N small files (default 10 000 × 1 KB): ListFile → FetchFile (Delete File) → PutS3Object into a local
 *      bucket, run by the scheduler, vs. a loop of readFile → write temp + fsync + rename → unlink (the same
 *      durability the local bucket gives each object), and the same loop without fsync.
 *   2. One big file (default 1 GB): the same flow vs. `cp`, with the flow's peak RSS.
 *   3. Listing a folder of many files (default 100 000): ListFile time and memory vs. a bare readdir+stat walk
 *      (listing-bench.ts).
 * Sizes: FLOE_BENCH_FILES, FLOE_BENCH_BIG_MB (0 skips), FLOE_BENCH_LIST_FILES (0 skips), FLOE_BENCH_LIST_PER_DIR.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { flowServices } from '../../src/runtime/flow-services.js';
import { FlowEngine } from '../../src/flow/flow-engine.js';
import { runListingBench } from './listing-bench.js';

const FILES = Number(process.env['FLOE_BENCH_FILES'] ?? 10_000);
const BIG_MB = Number(process.env['FLOE_BENCH_BIG_MB'] ?? 1024);
const LIST_FILES = Number(process.env['FLOE_BENCH_LIST_FILES'] ?? 100_000);
const LIST_PER_DIR = Number(process.env['FLOE_BENCH_LIST_PER_DIR'] ?? 1000);

const yaml = (landing: string): string => `
storage: { buckets: { floe-demo: { type: local, path: bucket } } }
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 1 sec, properties: { Input Directory: ${landing}, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch, backPressureObjectThreshold: 20000 }
      - { from: fetch, relationship: success, to: put, backPressureObjectThreshold: 20000 }
`;

async function writeFiles(dir: string, n: number, size: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const body = Buffer.alloc(size, 'x');
  for (let i = 0; i < n; i++) await writeFile(join(dir, `f${String(i).padStart(6, '0')}.csv`), body);
}

/** Runs the flow with its scheduler until `expected` objects are in the bucket; returns seconds and peak RSS. */
async function runFlow(project: string, expected: number): Promise<{ seconds: number; peakRss: number }> {
  const config = parseProjectConfig(yaml('landing'));
  const handle = flowServices(config.storage, project, process.env);
  const engine = await FlowEngine.open(toFlowDefinition('ingest', config.flows['ingest']!), { projectDir: project, services: handle.services });
  let peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  engine.start();
  const put = engine.nodes.get('put')!;
  while (put.stats.fiveMinutes(Date.now()).inCount < expected) {
    await new Promise((r) => setTimeout(r, 20));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  await handle.close();
  return { seconds, peakRss };
}

async function baselineCopy(from: string, to: string, fsync: boolean): Promise<number> {
  await mkdir(to, { recursive: true });
  const t0 = performance.now();
  for (const name of await readdir(from)) {
    const src = join(from, name);
    const data = await readFile(src);
    const tmp = join(to, `.${name}.tmp`);
    const h = await open(tmp, 'w');
    await h.write(data);
    if (fsync) await h.sync();
    await h.close();
    await rename(tmp, join(to, name));
    await unlink(src);
  }
  return (performance.now() - t0) / 1000;
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

export async function runFlowBench(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'floe-flow-bench-'));
  try {
    console.log(`\nflow: ListFile → FetchFile → PutS3Object (local bucket)`);
    if (BIG_MB > 0) {
      const project = join(root, 'big');
      await mkdir(join(project, 'landing'), { recursive: true });
      execFileSync('dd', ['if=/dev/urandom', `of=${join(project, 'landing', 'big.bin')}`, 'bs=1M', `count=${BIG_MB}`], { stdio: 'ignore' });
      await writeFile(join(root, 'cp-src.bin'), '');
      execFileSync('cp', [join(project, 'landing', 'big.bin'), join(root, 'cp-src.bin')]);
      const c0 = performance.now();
      execFileSync('cp', [join(root, 'cp-src.bin'), join(root, 'cp-dst.bin')]);
      execFileSync('sync', [join(root, 'cp-dst.bin')]);
      const cp = (performance.now() - c0) / 1000;
      await rm(join(root, 'cp-src.bin'));
      await rm(join(root, 'cp-dst.bin'));
      const flow = await runFlow(project, 1);
      const size = (await stat(join(project, 'bucket', 'stream', 'big.bin'))).size;
      console.log(`  1 × ${BIG_MB} MB: flow ${(size / 1024 / 1024 / flow.seconds).toFixed(0)} MB/s (${flow.seconds.toFixed(2)} s, peak RSS ${mb(flow.peakRss)})`);
      console.log(`    baseline cp + sync: ${(size / 1024 / 1024 / cp).toFixed(0)} MB/s; flow / cp = ${(cp / flow.seconds).toFixed(2)}×   (target ≥ 0.7×, RSS ≤ 200 MB)`);
      await rm(project, { recursive: true });
    }
    if (FILES > 0) {
      const project = join(root, 'small');
      await writeFiles(join(project, 'landing'), FILES, 1024);
      const flow = await runFlow(project, FILES);
      await writeFiles(join(root, 'base-in'), FILES, 1024);
      const base = await baselineCopy(join(root, 'base-in'), join(root, 'base-out'), true);
      await writeFiles(join(root, 'base-in2'), FILES, 1024);
      const plain = await baselineCopy(join(root, 'base-in2'), join(root, 'base-out2'), false);
      console.log(`  ${FILES} × 1 KB: flow ${(FILES / flow.seconds).toFixed(0)} files/s (${flow.seconds.toFixed(2)} s, peak RSS ${mb(flow.peakRss)})`);
      console.log(`    baseline fs copy with fsync per file: ${(FILES / base).toFixed(0)} files/s; without fsync: ${(FILES / plain).toFixed(0)} files/s`);
      console.log(`    flow / fsync baseline = ${(base / flow.seconds).toFixed(2)}×   (target ≥ 1000 files/s)`);
    }
    if (LIST_FILES > 0) await runListingBench(root, LIST_FILES, LIST_PER_DIR);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runFlowBench();
