/**
 * The composition root of `floe run`: load floe.yaml, open the project's warehouse with its buckets and task
 * settings, apply the project's SQL as a plan, and start the runtime services (pipe auto-ingest; the task
 * scheduler runs inside the engine). Flows join here when the flow engine lands (issue #6).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProjectConfig, type LoadedProjectConfig } from '../config/project-config.js';
import { taskEnvironment } from '../config/tasks-config.js';
import type { Engine, EngineOptions } from '../engine/engine-api.js';
import { applyProjectSql, readProjectSql, type SqlStep } from './project-sql.js';

export interface RunningProject {
  project: LoadedProjectConfig;
  engine: Engine;
  steps: SqlStep[];
  /** Stop services and close the warehouse (in-flight loads and task runs finish first). */
  stop(): Promise<void>;
}

export interface RunOptions {
  projectDir: string;
  replaceExisting?: boolean;
  openEngine: (options: EngineOptions) => Promise<Engine>;
  /** Start pipe auto-ingest (default true). */
  pipes?: boolean;
}

export async function runProject(options: RunOptions): Promise<RunningProject> {
  const dir = resolve(options.projectDir);
  const project = await loadProjectConfig(dir);
  const stateDir = join(dir, '.floe');
  mkdirSync(stateDir, { recursive: true });
  const engine = await options.openEngine({
    database: join(stateDir, 'warehouse.duckdb'),
    projectDir: dir,
    storage: project.config.storage,
    tasks: taskEnvironment(project.config.tasks),
  });
  try {
    const session = await engine.session();
    const steps = await applyProjectSql(engine, session, await readProjectSql(dir), { replaceExisting: options.replaceExisting ?? false, now: Date.now });
    await session.close();
    if (options.pipes !== false && !steps.some((s) => s.action === 'failed')) await engine.pipes.start();
    return { project, engine, steps, stop: () => engine.close() };
  } catch (e) {
    await engine.close();
    throw e;
  }
}
