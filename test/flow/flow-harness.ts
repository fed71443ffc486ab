/** Test helpers: a temporary project, a flow from YAML, an engine with a controllable clock. */
import { mkdtemp, rm } from 'node:fs/promises';
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
