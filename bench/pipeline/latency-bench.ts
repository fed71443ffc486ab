/**
 * Scenario 1 (issue #7 "Performance"): end-to-end latency of the customer project. 1,000-row files land in
 * `data/landing/` at 5 files/s for 60 s (`--quick`: 10 s); for each file, the time from its rename into the
 * landing folder to its rows being visible in both SCD tables (target p50 ≤ 300 ms, p99 ≤ 1 s), with the
 * breakdown landing → bucket (flow), bucket → loaded (pipe), loaded → applied (stream + task).
 *
 * Baseline in the same run: the same files at the same pace through the hand-written minimum — fs.watch on a
 * folder, then DuckDB read_csv + the same SCD work in one transaction per batch of whatever has arrived
 * (duck-scd-baseline.ts). Both sides end with the same SCD tables (fingerprints compared).
 *
 * Sizes: FLOE_BENCH_LAT_SECONDS, FLOE_BENCH_LAT_RATE (files/s), FLOE_BENCH_LAT_ROWS (rows per file),
 * FLOE_BENCH_LAT_CUSTOMERS (live customers the generator grows to).
 * Run: npx tsx bench/pipeline/latency-bench.ts [--quick]
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envNumber, generateFiles, isQuick, loadNote, sleep, summary } from './bench-util.js';
import { DuckScdBaseline } from './duck-scd-baseline.js';
import { FloePipeline } from './floe-pipeline.js';
import { installSqlTrace, resetSqlTrace, sqlTraceReport, traceEnabled } from './sql-trace.js';

export interface LatencyOptions {
  seconds: number;
  rate: number;
  rowsPerFile: number;
  customers: number;
}

export function latencyOptions(quick: boolean): LatencyOptions {
  return {
    seconds: envNumber('FLOE_BENCH_LAT_SECONDS', quick ? 10 : 60),
    rate: envNumber('FLOE_BENCH_LAT_RATE', 5),
    rowsPerFile: envNumber('FLOE_BENCH_LAT_ROWS', 1000),
    customers: envNumber('FLOE_BENCH_LAT_CUSTOMERS', 100_000),
  };
}

export interface LatencyResult {
  floe: number[];
  baseline: number[];
  breakdown: { landingToBucket: number[]; bucketToLoaded: number[]; loadedToApplied: number[] };
  loads: number;
  taskRuns: { runs: number; failed: number; totalMs: number; maxMs: number };
  baselineBatches: number;
  match: boolean;
}

/** Renames each file into `target` on a fixed schedule (not "sleep between files", which drifts). */
async function paced(names: readonly string[], source: string, target: string, rate: number, renamed: Map<string, number>): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    await sleep(start + (i * 1000) / rate - performance.now());
    const tmp = join(target, `.${name}.tmp`);
    writeFileSync(tmp, readFileSync(join(source, name)));
    renamed.set(name, performance.now());
    renameSync(tmp, join(target, name));
  }
}

async function runFloe(dir: string, source: string, warmup: string, names: string[], o: LatencyOptions) {
  const p = await FloePipeline.start(join(dir, 'project'));
  try {
    const renamed = new Map<string, number>();
    // One file first, untimed: the first load and task run pay one-time costs (connections, first binds).
    await paced([warmup], source, p.landing, o.rate, new Map());
    await p.waitApplied([warmup], 120_000);
    const memBefore = await p.memory();
    await paced(names, source, p.landing, o.rate, renamed);
    await p.waitApplied(names, 60_000);
    const memAfter = await p.memory();
    const lat: number[] = [];
    const b = { landingToBucket: [] as number[], bucketToLoaded: [] as number[], loadedToApplied: [] as number[] };
    if (p.failedFiles.length > 0) throw new Error(`floe: files failed to load: ${p.failedFiles.slice(0, 3).join('; ')}`);
    for (const n of names) {
      const t = p.files.get(n)!;
      const r = renamed.get(n)!;
      lat.push(t.applied! - r);
      b.landingToBucket.push(t.bucket! - r);
      b.bucketToLoaded.push(t.loaded! - t.bucket!);
      b.loadedToApplied.push(t.applied! - t.loaded!);
    }
    return { lat, breakdown: b, memory: [memBefore, memAfter], appliedByPoll: p.appliedByPoll, loads: p.loads, taskRuns: await p.taskRuns(), fingerprint: await p.fingerprint() };
  } finally {
    await p.stop();
  }
}

async function runBaseline(dir: string, source: string, warmup: string, names: string[], o: LatencyOptions) {
  const landing = join(dir, 'baseline-landing');
  mkdirSync(landing);
  const db = await DuckScdBaseline.open(join(dir, 'baseline.duckdb'));
  const renamed = new Map<string, number>();
  const applied = new Map<string, number>();
  const queue: string[] = [];
  let batches = 0;
  let busy: Promise<void> | undefined;
  let failure: unknown;
  // One batch at a time, of everything that has arrived: what a hand-written loop would do.
  const drain = (): void => {
    if (busy || queue.length === 0) return;
    const batch = queue.splice(0);
    busy = db
      .apply(batch.map((n) => join(landing, n)))
      .then(() => {
        const at = performance.now();
        batches++;
        for (const n of batch) applied.set(n, at);
      })
      .catch((e: unknown) => void (failure = e))
      .finally(() => {
        busy = undefined;
        drain();
      });
  };
  const watcher = watch(landing, (event, name) => {
    if (event !== 'rename' || !name || name.startsWith('.') || !(renamed.has(name) || name === warmup) || queue.includes(name) || applied.has(name)) return;
    queue.push(name);
    drain();
  });
  try {
    await paced([warmup], source, landing, o.rate, new Map());
    while (!applied.has(warmup) && failure === undefined) await sleep(20);
    await paced(names, source, landing, o.rate, renamed);
    const deadline = performance.now() + 60_000;
    while (names.some((n) => !applied.has(n)) && failure === undefined && performance.now() < deadline) await sleep(20);
    if (failure !== undefined) throw failure;
    if (names.some((n) => !applied.has(n))) throw new Error(`baseline: ${names.filter((n) => !applied.has(n)).length} file(s) not applied`);
    return { lat: names.map((n) => applied.get(n)! - renamed.get(n)!), batches, fingerprint: await db.fingerprint() };
  } finally {
    watcher.close();
    await busy;
    await db.close();
  }
}

export async function runLatencyBench(quick = isQuick(), print = true): Promise<LatencyResult> {
  const o = latencyOptions(quick);
  const dir = mkdtempSync(join(tmpdir(), 'floe-bench-latency-'));
  try {
    const source = join(dir, 'source');
    mkdirSync(source);
    const generated = generateFiles(source, { files: 1 + Math.max(1, Math.round(o.seconds * o.rate)), rowsPerFile: o.rowsPerFile, customers: o.customers });
    const [warmup, ...names] = generated.names as [string, ...string[]];
    if (traceEnabled()) installSqlTrace();
    const floe = await runFloe(dir, source, warmup, names, o);
    const floeTrace = traceEnabled() ? sqlTraceReport() : '';
    resetSqlTrace();
    const base = await runBaseline(dir, source, warmup, names, o);
    const baseTrace = traceEnabled() ? sqlTraceReport(8) : '';
    const match = JSON.stringify(floe.fingerprint) === JSON.stringify(base.fingerprint);
    const result: LatencyResult = {
      floe: floe.lat,
      baseline: base.lat,
      breakdown: floe.breakdown,
      loads: floe.loads,
      taskRuns: floe.taskRuns,
      baselineBatches: base.batches,
      match,
    };
    if (print) {
      console.log(`\npipeline latency: ${names.length} files × ${o.rowsPerFile} rows at ${o.rate} files/s after one warm-up file (${o.customers} customers), ${loadNote()}`);
      console.log(`  floe  landing rename → visible in CUSTOMER + CUSTOMER_HISTORY: ${summary(floe.lat)} (targets p50 ≤ 300 ms, p99 ≤ 1000 ms)`);
      console.log(`        landing → bucket (flow) ${summary(floe.breakdown.landingToBucket)}`);
      console.log(`        bucket → loaded (pipe)  ${summary(floe.breakdown.bucketToLoaded)}`);
      console.log(`        loaded → applied (task) ${summary(floe.breakdown.loadedToApplied)}`);
      console.log(`        ${floe.loads} pipe loads, ${floe.taskRuns.runs} task runs (${floe.taskRuns.failed} failed; run time avg ${(floe.taskRuns.totalMs / Math.max(1, floe.taskRuns.runs)).toFixed(0)} ms, max ${floe.taskRuns.maxMs} ms)${floe.appliedByPoll ? `; ${floe.appliedByPoll} file(s) seen applied only by the fallback poll (late by up to 250 ms)` : ''}`);
      const mem = (m: { heapMb: number; duckdbMb: number; rssMb: number }): string => `RSS ${m.rssMb.toFixed(0)} MB (V8 heap ${m.heapMb.toFixed(0)} MB, DuckDB buffers ${m.duckdbMb.toFixed(0)} MB)`;
      console.log(`        memory after the warm-up file ${mem(floe.memory[0]!)} → after the run ${mem(floe.memory[1]!)}`);
      console.log(`  baseline  fs.watch + DuckDB read_csv + hand-written SCD SQL: ${summary(base.lat)} (${base.batches} batches)`);
      if (floeTrace) console.log(`  floe${floeTrace.slice(1)}\n  baseline${baseTrace.slice(1)}`);
      console.log(`  same SCD tables on both sides: ${match ? 'yes' : `NO — floe ${JSON.stringify(floe.fingerprint)} vs baseline ${JSON.stringify(base.fingerprint)}`}`);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLatencyBench();
