/**
 * The composition root of `floe run`: load floe.yaml, open the project's warehouse with its buckets and task
 * settings, apply the project's SQL as a plan, and start the runtime services: pipe auto-ingest, the flows of
 * floe.yaml (the task scheduler runs inside the engine). The engine and the flows share one bucket registry:
 * a flow's put into a bound bucket is a write through the very store the pipes subscribe to, so the file is
 * queued for its pipe at once (the folder watcher and the reconcile listing stay as fallbacks).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FloeError } from '../core/errors.js';
import { loadProjectConfig, type LoadedProjectConfig } from '../config/project-config.js';
import { taskEnvironment } from '../config/tasks-config.js';
import type { Engine, EngineOptions } from '../engine/engine-api.js';
import { applyProjectSql, readProjectSql, type SqlStep } from './project-sql.js';
import { toFlowDefinition } from '../config/flows-config.js';
import { FlowEngine } from '../flow/flow-engine.js';
import { flowServices, type FlowServiceHandle } from './flow-services.js';
import { BucketRegistry } from '../adapters/object-store/bucket-registry.js';

export interface RunningProject {
  project: LoadedProjectConfig;
  engine: Engine;
  flows: FlowEngine[];
  steps: SqlStep[];
  /** The object stores of floe.yaml's buckets, shared by the engine (stages, pipes) and the flows. */
  objectStores: BucketRegistry;
  /** Stop services and close the warehouse (in-flight loads and task runs finish first). */
  stop(): Promise<void>;
}

export interface RunOptions {
  projectDir: string;
  replaceExisting?: boolean;
  openEngine: (options: EngineOptions) => Promise<Engine>;
  /** Start pipe auto-ingest (default true). */
  pipes?: boolean;
  /** Open the flows (default true) and start their schedules (`startFlows`, default true; --once drives them itself). */
  flows?: boolean;
  startFlows?: boolean;
}

export async function runProject(options: RunOptions): Promise<RunningProject> {
  const dir = resolve(options.projectDir);
  const project = await loadProjectConfig(dir);
  const stateDir = join(dir, '.floe');
  mkdirSync(stateDir, { recursive: true });
  const objectStores = new BucketRegistry(project.config.storage, { projectDir: dir, env: process.env });
  const database = join(stateDir, 'warehouse.duckdb');
  let engine: Engine;
  try {
    engine = await options.openEngine({ database, projectDir: dir, storage: project.config.storage, objectStores, tasks: taskEnvironment(project.config.tasks), ...(project.config.warehouse ? { warehouse: project.config.warehouse } : {}) });
  } catch (error) {
    await objectStores.close();
    // Most often another process holds the file: a user error, not a crash.
    throw new FloeError('CONFIG', `cannot open warehouse ${database}: ${(error as Error).message}`, { cause: error });
  }
  const flows: FlowEngine[] = [];
  let services: FlowServiceHandle | undefined;
  const stop = async (): Promise<void> => {
    // Sources stop first, so nothing new lands while pipes and tasks finish what is in flight.
    for (const f of flows) await f.stop();
    for (const f of flows) await f.close();
    await services?.close();
    await engine.close();
  };
  try {
    const session = await engine.session();
    const steps = await applyProjectSql(engine, session, await readProjectSql(dir, project.config.sql), { replaceExisting: options.replaceExisting ?? false, now: Date.now });
    await session.close();
    const ok = !steps.some((s) => s.action === 'failed');
    if (ok && options.pipes !== false) await engine.pipes.start();
    const defs = Object.entries(project.config.flows).map(([name, flow]) => toFlowDefinition(name, flow));
    if (ok && options.flows !== false && defs.length > 0) {
      services = flowServices(project.config.storage, dir, process.env, objectStores);
      for (const def of defs) flows.push(await FlowEngine.open(def, { projectDir: dir, env: process.env, services: services.services }));
      if (options.startFlows !== false) for (const f of flows) f.start();
    }
    return { project, engine, flows, steps, objectStores, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
