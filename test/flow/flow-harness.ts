/** Test helpers: a temporary project, a flow from YAML, an engine with a controllable clock. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { FlowEngine, type FlowEngineOptions } from '../../src/flow/flow-engine.js';
import type { FlowDefinition } from '../../src/flow/flow-definition.js';

export async function tempProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'floe-flow-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses `flows:` YAML the way floe.yaml is parsed and returns the named flow's definition. */
export function flowFromYaml(yaml: string, name = 'ingest'): FlowDefinition {
  const config = parseProjectConfig(yaml);
  const flow = config.flows[name];
  if (!flow) throw new Error(`no flow ${name}`);
  return toFlowDefinition(name, flow);
}

export class TestClock {
  constructor(public t = Date.now()) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export async function openEngine(def: FlowDefinition, dir: string, options: Partial<FlowEngineOptions> = {}): Promise<FlowEngine> {
  return FlowEngine.open(def, { projectDir: dir, env: {}, ...options });
}

export interface FlowTestProject {
  /** The project folder of the current test. */
  dir: string;
  readonly clock: TestClock;
  engine: FlowEngine | undefined;
  /** Opens (after closing the previous engine) the `ingest` flow from YAML on the test's clock. */
  open(yaml: string, options?: Partial<FlowEngineOptions>): Promise<FlowEngine>;
}

/**
 * Per-test project folder with the given subfolders, a clock a few seconds ahead of real time (files the test
 * writes are a few seconds old), and the engine closed after each test.
 */
export function useFlowProject(folders: string[] = ['in'], clockAheadMs = 5000): FlowTestProject {
  let cleanup: (() => Promise<void>) | undefined;
  const t: FlowTestProject = {
    dir: '',
    clock: new TestClock(),
    engine: undefined,
    async open(yaml, options = {}) {
      await t.engine?.close();
      t.engine = await openEngine(flowFromYaml(yaml), t.dir, { now: t.clock.now, ...options });
      return t.engine;
    },
  };
  beforeEach(async () => {
    ({ dir: t.dir, cleanup } = await tempProject());
    for (const f of folders) await mkdir(join(t.dir, f), { recursive: true });
    t.clock.t = Date.now() + clockAheadMs;
  });
  afterEach(async () => {
    await t.engine?.close();
    t.engine = undefined;
    await cleanup?.();
  });
  return t;
}

/**
 * Runs test/flow/crash-child.ts on a project (`once`: one listing + drain; `run`: the scheduler until killed).
 * FLOE_FLOW_CRASH_AT / FLOE_FLOW_CRASH_AFTER in `env` make it SIGKILL itself at a crash point.
 */
export function spawnFlowChild(dir: string, mode: 'once' | 'run', env: Record<string, string> = {}) {
  const p = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir, mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }>((r) => p.on('exit', (code, signal) => r({ code, signal, out })));
  return { process: p, exited };
}
