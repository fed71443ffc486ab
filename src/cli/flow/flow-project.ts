/** Shared by the `floe flow …` commands: the project folder, its floe.yaml flows, and engine options. */
import { resolve } from 'node:path';
import { FloeError } from '../../core/errors.js';
import { loadProjectConfig, type LoadedProjectConfig } from '../../config/project-config.js';
import { toFlowDefinition } from '../../config/flows-config.js';
import type { FlowDefinition } from '../../flow/flow-definition.js';
import type { CliIo } from '../io.js';

export interface FlowProject {
  readonly dir: string;
  readonly loaded: LoadedProjectConfig;
  readonly flows: FlowDefinition[];
}

export async function loadFlowProject(io: CliIo, projectOption: string | undefined): Promise<FlowProject> {
  const dir = resolve(io.cwd, projectOption ?? '.');
  const loaded = await loadProjectConfig(dir);
  const flows = Object.entries(loaded.config.flows).map(([name, flow]) => toFlowDefinition(name, flow));
  return { dir, loaded, flows };
}

/** The named flows, or all of them; an unknown name is a usage error listing the known ones. */
export function selectFlows(project: FlowProject, names: readonly string[]): FlowDefinition[] {
  if (project.flows.length === 0) {
    throw new FloeError('CONFIG', `${project.loaded.file ?? `${project.dir}/floe.yaml`}: no flows defined (add a flows: section)`);
  }
  if (names.length === 0) return project.flows;
  return names.map((n) => {
    const flow = project.flows.find((f) => f.name === n);
    if (!flow) throw new FloeError('CONFIG', `no flow named '${n}' (flows: ${project.flows.map((f) => f.name).join(', ')})`);
    return flow;
  });
}

export function selectFlow(project: FlowProject, name: string | undefined): FlowDefinition {
  if (name === undefined && project.flows.length > 1) {
    throw new FloeError('CONFIG', `name the flow (flows: ${project.flows.map((f) => f.name).join(', ')})`);
  }
  return selectFlows(project, name === undefined ? [] : [name])[0]!;
}
