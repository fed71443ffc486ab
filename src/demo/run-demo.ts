/**
 * `floe demo`: the whole customer pipeline in one process — init the project if needed, run it (runProject:
 * flows, pipes, tasks), generate files continuously, and show what happens live. Stopping (Ctrl-C, SIGTERM,
 * or the --files/--duration limit) stops the generator, then the flows; in-flight loads and the running task
 * finish before the warehouse closes, so a later `floe demo` or `floe run` continues from there.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FloeError } from '../core/errors.js';
import type { Engine, EngineOptions } from '../engine/engine-api.js';
import type { GeneratorOptions } from '../generator/customer-generator.js';
import { initProject, isProject } from '../project/init-project.js';
import { runProject, type RunningProject } from '../runtime/run-project.js';
import { DemoGenerator } from './demo-generator.js';
import { loadResume } from './demo-resume.js';
import type { DemoPhase, DemoSnapshot } from './demo-snapshot.js';
import { DemoScreen, type DemoOutput } from './demo-screen.js';
import { PipelineMonitor } from './pipeline-monitor.js';
import { shellArg } from './demo-view.js';

export interface DemoOptions {
  /** Project folder (absolute). */
  dir: string;
  /** The folder as the user wrote it, for the printed commands. */
  displayDir: string;
  generate: boolean;
  intervalMs: number;
  rowsPerFile: number;
  customers: number;
  seed: number;
  updateRatio: number;
  deleteRatio: number;
  lateRatio: number;
  files?: number;
  durationMs?: number;
  json: boolean;
  /** Give up when the last files make no progress for this long (default 60 s). */
  drainTimeoutMs?: number;
  output: DemoOutput;
  openEngine: (options: EngineOptions) => Promise<Engine>;
  /** Reports the applied SQL plan and flow problems; false when the project cannot run (a statement failed). */
  reportStart: (running: RunningProject) => boolean;
  /** Serves the project's HTTP API while the demo runs (so `floe sql --project` works from another terminal). */
  serve?: (running: RunningProject) => Promise<{ url: string; close(): Promise<void> }>;
}

type StopReason = 'interrupted' | 'done' | 'timeout' | 'failed';

const DEFAULT_DRAIN_TIMEOUT_MS = 60_000;
const SIGNAL_ECHO_MS = 500;

export async function runDemo(o: DemoOptions): Promise<number> {
  const started = Date.now();
  const screen = new DemoScreen(o.output, o.json);
  let stopWith: (r: StopReason) => void = () => undefined;
  let interrupted = false;
  const stopped = new Promise<StopReason>((r) => (stopWith = r));
  let firstSignal: number | undefined;
  const onSignal = (): void => {
    interrupted = true;
    if (firstSignal === undefined) {
      firstSignal = Date.now();
      stopWith('interrupted');
      return;
    }
    // Under `npm start` one Ctrl-C arrives twice (from the terminal and forwarded by npm): only a later one forces.
    if (Date.now() - firstSignal < SIGNAL_ECHO_MS) return;
    // Every hop is crash-safe, so a forced exit loses nothing: the next start recovers and continues.
    o.output.stderr.write('\nfloe demo: forced exit (the next start recovers and continues)\n');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (!isProject(o.dir)) {
      const r = initProject(o.dir);
      screen.note(`floe demo: created the customer project in ${o.displayDir} (floe init: ${r.written.length} files)`);
    }
    screen.note(`floe demo: opening ${o.displayDir} and applying its SQL…`);
    const running = await runProject({ projectDir: o.dir, openEngine: o.openEngine, pipes: false, startFlows: false });
    if (!o.reportStart(running)) {
      await running.stop();
      return 1;
    }
    return await demo(o, running, { screen, started, stopped, stopWith, interrupted: () => interrupted });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface DemoControl {
  screen: DemoScreen;
  started: number;
  stopped: Promise<StopReason>;
  stopWith: (r: StopReason) => void;
  interrupted: () => boolean;
}

async function demo(o: DemoOptions, running: RunningProject, control: DemoControl): Promise<number> {
  const { screen, started, stopped, stopWith } = control;
  const stateDir = join(resolve(o.dir), '.floe');
  const landingDir = join(resolve(o.dir), 'data', 'landing');
  mkdirSync(landingDir, { recursive: true });
  const monitor = new PipelineMonitor(running.engine, running.flows, landingDir);
  let generator: DemoGenerator | undefined;
  let phase: DemoPhase = 'starting';
  let generatorDone = !o.generate;
  let api: { url: string; close(): Promise<void> } | undefined;
  const snapshot = (): DemoSnapshot => ({
    project: o.displayDir,
    phase,
    elapsedMs: Date.now() - started,
    generator: {
      enabled: o.generate,
      files: generator?.totals.files ?? 0,
      ...(o.files !== undefined ? { target: o.files } : {}),
      intervalMs: o.intervalMs,
      rowsPerFile: o.rowsPerFile,
      events: { I: generator?.totals.I ?? 0, U: generator?.totals.U ?? 0, D: generator?.totals.D ?? 0, late: generator?.totals.late ?? 0 },
    },
    ...monitor.snapshot(),
  });

  let failure: FloeError | undefined;
  const unsubscribe = running.engine.onWarehouseFailure((e) => {
    failure = e;
    stopWith('failed');
  });
  try {
    // Read before the pipes start: nothing loads while the resume point is taken.
    const resume = o.generate ? await loadResume(running.engine, stateDir) : undefined;
    await monitor.start();
    await running.engine.pipes.start();
    for (const f of running.flows) f.start();
    api = await o.serve?.(running);
    if (api) screen.note(`floe demo: API ${api.url} — \`npx floe sql --project ${shellArg(o.displayDir)}\` works from another terminal`);
    if (resume && !control.interrupted()) {
      generator = new DemoGenerator({
        landingDir,
        stateDir,
        intervalMs: o.intervalMs,
        ...(o.files !== undefined ? { files: o.files } : {}),
        ...(o.durationMs !== undefined ? { durationMs: o.durationMs } : {}),
        generator: generatorOptions(o),
        ...(resume.resume ? { resume: resume.resume } : {}),
        previousFiles: resume.previousFiles,
        onFile: (f, at) => monitor.tracker.landed(f.name, at),
        onError: (e) => monitor.error('generator', e.message),
      });
      void generator.start().then(() => (generatorDone = true));
    }
    phase = 'running';
    screen.start(snapshot);

    // The end of a --files/--duration demo: everything generated is visible in the SCD tables.
    const limited = o.files !== undefined || o.durationMs !== undefined;
    const drainTimeout = o.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    let lastProgress = Date.now();
    let lastOutstanding = -1;
    const watch = setInterval(() => {
      if (!limited || !generatorDone) return;
      phase = 'draining';
      const outstanding = monitor.tracker.outstanding();
      if (outstanding === 0) stopWith('done');
      if (outstanding !== lastOutstanding) {
        lastOutstanding = outstanding;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > drainTimeout) stopWith('timeout');
    }, 100);
    const reason = await stopped;
    clearInterval(watch);
    // Nothing more can run on the warehouse: stop like a crash (the catch below), the next start recovers.
    if (reason === 'failed') throw failure ?? new Error('the warehouse failed');

    phase = 'stopping';
    await api?.close();
    await generator?.stop();
    for (const f of running.flows) await f.stop();
    // The load in flight finishes (its commit still triggers the task), then every task run in flight.
    await running.engine.pipes.stop();
    await running.engine.idle();
    await monitor.pause();
    await monitor.sample();
    phase = 'stopped';
    const last = snapshot();
    await monitor.close();
    await running.stop();
    const outstanding = monitor.tracker.outstanding();
    screen.finish(last, { outstanding, reason });
    if (reason === 'interrupted') return 0;
    return reason === 'done' && last.files.failed === 0 ? 0 : 1;
  } catch (e) {
    screen.abort();
    await api?.close().catch(() => undefined);
    await generator?.stop().catch(() => undefined);
    await monitor.close().catch(() => undefined);
    await running.stop().catch(() => undefined);
    throw e;
  } finally {
    unsubscribe();
  }
}

function generatorOptions(o: DemoOptions): GeneratorOptions {
  return {
    profile: 'cdc',
    customers: o.customers,
    rowsPerFile: o.rowsPerFile,
    updateRatio: o.updateRatio,
    deleteRatio: o.deleteRatio,
    lateRatio: o.lateRatio,
    seed: o.seed,
    startTime: Date.UTC(2026, 0, 1),
  };
}
