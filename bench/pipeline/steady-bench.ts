/**
 * Scenario 3 (issue #7 "Performance"): steady state. By default the process under test is `floe demo` (what
 * `npm start` runs: the customer project with its in-process generator and live view) at 5 files/s × 1,000
 * rows for 10 minutes after a 20-minute warm-up (`--quick`: 1 minute after 10 s); FLOE_BENCH_STEADY_PROCESS=run
 * measures `floe run` fed by a separate generator process instead. Every few seconds the bench samples the process's
 * RSS and CPU (from /proc) and reports, over the measured part, the averages of the first and the last window (a
 * minute; a third of the run when shorter) and the slopes — they should not grow — plus the slopes over the whole
 * run. The warm-up is not steady state: in it the generator creates its customers (in the first minute 114k
 * inserts against 173k updates, then ~87 % updates), their histories deepen until deletes balance them (a customer
 * lives ~20 events; a late event refolds all of its customer's), and DuckDB's cache fills up to its memory limit. Neither is the
 * process's shutdown after the run's duration, which is reported apart. Afterwards it checks that every generated
 * row was loaded and the stream is drained. The baseline in the same run is the same pipeline idle (running, nothing arriving) for the first
 * samples — for `floe demo`, a `floe demo --no-generate` of the same project before the measured run — so the
 * cost of the work itself is visible.
 *
 * Sizes: FLOE_BENCH_STEADY_SECONDS (measured, after FLOE_BENCH_STEADY_WARMUP_SECONDS), FLOE_BENCH_STEADY_RATE
 * (files/s), FLOE_BENCH_STEADY_ROWS (rows per file), FLOE_BENCH_STEADY_CUSTOMERS, FLOE_BENCH_STEADY_SAMPLE_MS.
 * Run: npx tsx bench/pipeline/steady-bench.ts [--quick]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchMemoryLimit, cpuSeconds, envNumber, fitLine, limitProjectMemory, isQuick, loadNote, mean, memoryMb, sleep, slope } from './bench-util.js';
import { initProject } from '../../src/project/init-project.js';
import { openEngine } from '../../src/engine/open-engine.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SteadyOptions {
  /** Measured seconds, after `warmupSeconds`. */
  seconds: number;
  warmupSeconds: number;
  rate: number;
  rowsPerFile: number;
  customers: number;
  sampleMs: number;
  idleSeconds: number;
}

export function steadyOptions(quick: boolean): SteadyOptions {
  return {
    seconds: envNumber('FLOE_BENCH_STEADY_SECONDS', quick ? 60 : 600),
    // 20 minutes: the demo's customers take that long to reach the history depth at which deletes balance events
    // (docs/status.md, sessions 18 and 20); before it, the work per late event grows with the data.
    warmupSeconds: envNumber('FLOE_BENCH_STEADY_WARMUP_SECONDS', quick ? 10 : 1200),
    rate: envNumber('FLOE_BENCH_STEADY_RATE', 5),
    rowsPerFile: envNumber('FLOE_BENCH_STEADY_ROWS', 1000),
    customers: envNumber('FLOE_BENCH_STEADY_CUSTOMERS', 100_000),
    sampleMs: envNumber('FLOE_BENCH_STEADY_SAMPLE_MS', quick ? 2000 : 5000),
    idleSeconds: envNumber('FLOE_BENCH_STEADY_IDLE_SECONDS', quick ? 6 : 20),
  };
}

interface Sample {
  t: number;
  rssMb: number;
  cpuPct: number;
  landing: number;
}

const avg = (xs: Sample[]): { rssMb: number; cpuPct: number } => ({ rssMb: mean(xs.map((s) => s.rssMb)), cpuPct: mean(xs.map((s) => s.cpuPct)) });

export interface SteadyResult {
  idle: { rssMb: number; cpuPct: number };
  first: { rssMb: number; cpuPct: number };
  last: { rssMb: number; cpuPct: number };
  /** Over the measured part (after the warm-up). */
  rssSlopeMbPerMin: number;
  cpuSlopePctPerMin: number;
  /** Over the whole run, warm-up included. */
  wholeRun: { rssSlopeMbPerMin: number; cpuSlopePctPerMin: number };
  /** CPU per measured minute (whole minutes after the warm-up) and the line through them: slope ± its standard error,
   *  and the minutes' noise around the line (both in points of a core). */
  cpuMinutes: { pct: number[]; slope: number; slopeError: number; noise: number };
  /** After the run's duration: the process stopping (the demo drains, DuckDB checkpoints at close). Not steady state. */
  shutdown: { seconds: number; cpuPct: number; rssMb: number };
  generated: { files: number; rows: number; behindMs: number; seconds: number };
  /** CUSTOMER_RAW rows and unconsumed stream rows when `floe run` was stopped (a backlog means it fell behind). */
  atStop: { raw: number; stream: number };
  drainSeconds: number;
  /** After `floe run --once` drained the backlog: every generated row, and nothing left in the stream. */
  loadedRows: number;
  streamBacklog: number;
  /** The run's samples, warm-up included, shutdown not. */
  samples: Sample[];
}

/** Spawns `floe <args>` and resolves once its stderr shows `ready` (the pipeline is up). */
function startFloe(args: string[], ready: RegExp): Promise<{ p: ChildProcess; stdout: () => string; stderr: () => string }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'floe.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const onData = (d: Buffer): void => {
      err += d.toString();
      if (ready.test(err)) {
        p.stderr!.off('data', onData);
        p.stderr!.on('data', (x: Buffer) => (err = (err + x.toString()).slice(-4000)));
        p.off('exit', onExit);
        resolvePromise({ p, stdout: () => out, stderr: () => err });
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`floe ${args[0]} exited with ${code} before it was running: ${err.trim()}`));
    p.stderr!.on('data', onData);
    p.on('error', reject);
    p.on('exit', onExit);
  });
}

function exited(p: ChildProcess, ms: number): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(true);
  return new Promise((r) => {
    const timer = setTimeout(() => r(false), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      r(true);
    });
  });
}

async function stop(p: ChildProcess): Promise<void> {
  p.kill('SIGINT');
  if (!(await exited(p, 60_000))) p.kill('SIGKILL');
}

/** Samples RSS and CPU of `pid` every `ms` until `done()`; `landing` is counted for the backlog column. */
async function sampleUntil(pid: number, ms: number, landing: string, done: () => boolean, t0 = performance.now()): Promise<Sample[]> {
  const samples: Sample[] = [];
  let lastCpu = cpuSeconds(pid);
  let lastT = performance.now();
  while (!done()) {
    await sleep(ms);
    if (done()) break;
    const now = performance.now();
    let cpu: number;
    let rssMb: number;
    try {
      cpu = cpuSeconds(pid);
      rssMb = memoryMb(pid).rss;
    } catch {
      break; // the process exited between the check and the read of /proc
    }
    if (!(rssMb > 0)) break; // an exited process not reaped yet (a zombie) has no memory lines in /proc
    samples.push({ t: (now - t0) / 1000, rssMb, cpuPct: ((cpu - lastCpu) / ((now - lastT) / 1000)) * 100, landing: readdirSync(landing).length });
    lastCpu = cpu;
    lastT = now;
  }
  return samples;
}

interface Measured {
  idle: Sample[];
  run: Sample[];
  generated: SteadyResult['generated'];
}

/** `floe run` as the process under test, fed by a separate paced generator process. */
async function measureRun(project: string, landing: string, o: SteadyOptions): Promise<Measured> {
  const { p: floe } = await startFloe(['run', '--project', project], /floe running/);
  let gen: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    const idle = await sampleUntil(floe.pid!, o.sampleMs, landing, () => performance.now() - t0 >= o.idleSeconds * 1000, t0);
    let genOut = '';
    gen = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'pipeline', 'paced-generator.ts'), landing, String(o.rate), String(o.warmupSeconds + o.seconds), String(o.rowsPerFile), String(o.customers)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    gen.stdout!.on('data', (d: Buffer) => (genOut += d.toString()));
    let done = false;
    void exited(gen, (o.warmupSeconds + o.seconds + 600) * 1000).then(() => (done = true));
    const run = await sampleUntil(floe.pid!, o.sampleMs, landing, () => done, t0);
    const generated = JSON.parse(genOut.trim().split('\n').pop() ?? '{}') as SteadyResult['generated'];
    // Let the last files through before stopping.
    const drainUntil = performance.now() + 60_000;
    while (readdirSync(landing).some((f) => f.endsWith('.csv')) && performance.now() < drainUntil) await sleep(200);
    await sleep(3000);
    await stop(floe);
    return { idle, run, generated };
  } finally {
    if (gen && gen.exitCode === null) gen.kill('SIGTERM');
    if (floe.exitCode === null && floe.signalCode === null) await stop(floe);
  }
}

/** `floe demo` (npm start) as the process under test: first idle (--no-generate), then generating for the run. */
async function measureDemo(project: string, landing: string, o: SteadyOptions): Promise<Measured> {
  const ready = /floe demo: API /;
  const idleDemo = await startFloe(['demo', project, '--no-generate', '--json'], ready);
  let idle: Sample[];
  try {
    const t0 = performance.now();
    idle = await sampleUntil(idleDemo.p.pid!, o.sampleMs, landing, () => performance.now() - t0 >= o.idleSeconds * 1000, t0);
  } finally {
    await stop(idleDemo.p);
  }
  const tStart = performance.now();
  const demo = await startFloe(
    ['demo', project, '--interval', String(Math.round(1000 / o.rate)), '--rows-per-file', String(o.rowsPerFile), '--customers', String(o.customers), '--duration', `${o.warmupSeconds + o.seconds}s`, '--json'],
    ready,
  );
  try {
    let done = false;
    void exited(demo.p, (o.warmupSeconds + o.seconds + 900) * 1000).then(() => (done = true));
    const run = await sampleUntil(demo.p.pid!, o.sampleMs, landing, () => done);
    // Sampling also stops when /proc shows the process gone, which can be before Node has reaped it and set its exit
    // code (CI once read `null` there).
    await exited(demo.p, 60_000);
    if (demo.p.exitCode !== 0) throw new Error(`floe demo exited with ${demo.p.exitCode ?? demo.p.signalCode}: ${demo.stderr().trim().split('\n').slice(-6).join('\n')}`);
    const summary = JSON.parse(demo.stdout().trim().split('\n').pop() ?? '{}') as { generated: { files: number } };
    const files = summary.generated.files;
    return { idle, run, generated: { files, rows: files * o.rowsPerFile, behindMs: 0, seconds: (performance.now() - tStart) / 1000 } };
  } finally {
    if (demo.p.exitCode === null && demo.p.signalCode === null) await stop(demo.p);
  }
}

export async function runSteadyBench(quick = isQuick(), print = true): Promise<SteadyResult> {
  const o = steadyOptions(quick);
  const mode = process.env.FLOE_BENCH_STEADY_PROCESS === 'run' ? 'run' : 'demo';
  const dir = mkdtempSync(join(tmpdir(), 'floe-bench-steady-'));
  const project = join(dir, 'project');
  initProject(project);
  limitProjectMemory(project, benchMemoryLimit());
  const landing = join(project, 'data', 'landing');
  try {
    const { idle, run, generated } = mode === 'run' ? await measureRun(project, landing, o) : await measureDemo(project, landing, o);
    const counts = async (): Promise<{ raw: number; stream: number }> => {
      const engine = await openEngine({ database: join(project, '.floe', 'warehouse.duckdb'), projectDir: project, tasks: { scheduler: false } });
      try {
        const s = await engine.session();
        const [raw, stream] = await s.query('SELECT COUNT(*) FROM SCD_DEMO.SCD2.CUSTOMER_RAW; SELECT COUNT(*) FROM SCD_DEMO.SCD2.CUSTOMER_RAW_STREAM');
        return { raw: Number(raw!.rows[0]![0]), stream: Number(stream!.rows[0]![0]) };
      } finally {
        await engine.close();
      }
    };
    const atStop = await counts();
    // What was still in flight when the process stopped is not lost: `floe run --once` picks it up and drains it.
    const tDrain = performance.now();
    await new Promise<void>((resolveDrain, reject) => {
      const d = spawn(process.execPath, [join(ROOT, 'bin', 'floe.js'), 'run', '--once', '--project', project], { cwd: ROOT, stdio: 'ignore' });
      d.on('error', reject);
      d.on('exit', (code) => (code === 0 ? resolveDrain() : reject(new Error(`floe run --once exited with ${code}`))));
    });
    const drainSeconds = (performance.now() - tDrain) / 1000;
    const after = await counts();
    const window = Math.min(60, o.seconds / 3);
    // The process is sampled until it exits; what comes after the run's duration is its shutdown (the demo drains
    // and DuckDB checkpoints the write-ahead log at close: seconds of CPU in the last minute), not steady state.
    const runStart = run[0]?.t ?? 0;
    const running = run.filter((s) => s.t <= runStart + o.warmupSeconds + o.seconds);
    const stopping = run.filter((s) => s.t > runStart + o.warmupSeconds + o.seconds);
    const measured = running.filter((s) => s.t >= runStart + o.warmupSeconds);
    const start = measured[0]?.t ?? 0;
    const end = measured[measured.length - 1]?.t ?? 0;
    const slopes = (xs: Sample[]) => ({
      rssSlopeMbPerMin: slope(xs.map((s) => s.t / 60), xs.map((s) => s.rssMb)),
      cpuSlopePctPerMin: slope(xs.map((s) => s.t / 60), xs.map((s) => s.cpuPct)),
    });
    const minuteCpu: number[] = [];
    for (let m = 0; start + (m + 1) * 60 <= end + 5; m++) {
      const xs = measured.filter((s) => s.t > start + m * 60 && s.t <= start + (m + 1) * 60);
      if (xs.length > 0) minuteCpu.push(avg(xs).cpuPct);
    }
    const result: SteadyResult = {
      idle: avg(idle),
      first: avg(measured.filter((s) => s.t <= start + window)),
      last: avg(measured.filter((s) => s.t >= end - window)),
      ...slopes(measured),
      wholeRun: slopes(running),
      cpuMinutes: { pct: minuteCpu, ...fitLine(minuteCpu.map((_, i) => i), minuteCpu) },
      shutdown: { seconds: stopping.length ? stopping[stopping.length - 1]!.t - (running[running.length - 1]?.t ?? runStart) : 0, ...avg(stopping) },
      generated,
      atStop,
      drainSeconds,
      loadedRows: after.raw,
      streamBacklog: after.stream,
      samples: running,
    };
    if (print) printSteady(result, o, mode);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printSteady(result: SteadyResult, o: SteadyOptions, mode: 'run' | 'demo'): void {
  const { generated, atStop, samples: run } = result;
  const window = Math.min(60, o.seconds / 3);
  const start = run[0]?.t ?? 0;
  const f = (x: { rssMb: number; cpuPct: number }): string => `RSS ${x.rssMb.toFixed(0)} MB, CPU ${x.cpuPct.toFixed(0)} % of a core`;
  const what = mode === 'demo' ? 'floe demo (customer project, in-process generator)' : 'floe run (customer project) + a generator process';
  console.log(`\npipeline steady state: ${what} at ${o.rate} files/s × ${o.rowsPerFile} rows for ${o.warmupSeconds} + ${o.seconds} s (${o.customers} customers), ${loadNote()}`);
  console.log(`  idle (same pipeline, nothing arriving, ${o.idleSeconds} s): ${f(result.idle)}`);
  console.log(`  after a ${o.warmupSeconds} s warm-up: first ${window.toFixed(0)} s: ${f(result.first)} | last ${window.toFixed(0)} s: ${f(result.last)}`);
  console.log(`  slope after the warm-up: RSS ${result.rssSlopeMbPerMin.toFixed(1)} MB/min, CPU ${result.cpuSlopePctPerMin.toFixed(1)} points/min (whole run: ${result.wholeRun.rssSlopeMbPerMin.toFixed(1)} MB/min, ${result.wholeRun.cpuSlopePctPerMin.toFixed(1)} points/min); max landing backlog ${Math.max(...run.map((s) => s.landing))} files`);
  const cm = result.cpuMinutes;
  if (cm.pct.length > 2) {
    console.log(`  measured minutes: CPU ${cm.pct.map((x) => x.toFixed(0)).join(' ')} %; line through them ${cm.slope >= 0 ? '+' : ''}${cm.slope.toFixed(2)} ± ${cm.slopeError.toFixed(2)} points/min (± one standard error), minutes scatter ${cm.noise.toFixed(1)} points around it`);
  }
  const minutes = new Map<number, Sample[]>();
  for (const x of run) {
    const minute = Math.floor((x.t - start) / 60);
    minutes.set(minute, [...(minutes.get(minute) ?? []), x]);
  }
  if (minutes.size > 1) {
    const per = [...minutes.values()].map((xs) => avg(xs));
    console.log(`  per minute (warm-up included): RSS ${per.map((x) => x.rssMb.toFixed(0)).join(' ')} MB | CPU ${per.map((x) => x.cpuPct.toFixed(0)).join(' ')} %`);
  }
  if (result.shutdown.seconds > 0) console.log(`  shutdown (after the run's duration, not in the figures above): ${result.shutdown.seconds.toFixed(0)} s at ${f(result.shutdown)}`);
  console.log(`  generated ${generated.files} files / ${generated.rows} rows in ${generated.seconds.toFixed(0)} s = ${(generated.files / generated.seconds).toFixed(2)} files/s${mode === 'run' ? ` (worst ${generated.behindMs.toFixed(0)} ms behind schedule)` : ' (run time including the final drain)'}`);
  console.log(`  at stop: ${atStop.raw} rows loaded, ${atStop.stream} loaded rows not yet applied; \`floe run --once\` drained the rest in ${result.drainSeconds.toFixed(1)} s → ${result.loadedRows} rows loaded, stream backlog ${result.streamBacklog}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runSteadyBench();
