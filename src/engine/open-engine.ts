/**
 * Composition root for the SQL engine: picks the warehouse backend and loads it lazily, so front ends
 * that never touch SQL never load DuckDB; binds the object stores of floe.yaml's storage section.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Engine, EngineOptions } from './engine-api.js';
import { EngineImpl } from './engine.js';
import { systemClock } from './system-clock.js';

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { DuckDbDriver } = await import('../adapters/warehouse/duckdb/duckdb-driver.js');
  const { BucketRegistry } = await import('../adapters/object-store/bucket-registry.js');
  let internalRoot = options.internalStageDir;
  let scratch: string | undefined;
  if (internalRoot === undefined) {
    if (options.database === ':memory:') internalRoot = scratch = mkdtempSync(join(tmpdir(), 'floe-stages-'));
    else internalRoot = join(dirname(resolve(options.database)), 'stages');
  }
  const registry = options.objectStores ?? new BucketRegistry(options.storage ?? { buckets: {} }, { projectDir: options.projectDir ?? process.cwd() });
  const resolver = scratch === undefined ? registry : withCleanup(registry, scratch);
  const driver = await DuckDbDriver.open(options.database, options.warehouse ?? {});
  try {
    const clock = options.clock ?? (options.now ? { now: options.now, setTimer: systemClock.setTimer } : systemClock);
    const engine = await EngineImpl.start(driver, {
      clock,
      storage: { resolver, internalRoot: resolve(internalRoot) },
      ...(options.tasks ? { tasks: options.tasks } : {}),
    });
    if (options.procedures) engine.core.procedureLimits = options.procedures;
    return engine;
  } catch (e) {
    await driver.close();
    await resolver.close();
    throw e;
  }
}

/** Removes the temporary internal-stage folder of an in-memory warehouse when the engine closes. */
function withCleanup<T extends { close(): Promise<void> }>(resolver: T, dir: string): T {
  const close = resolver.close.bind(resolver);
  resolver.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  return resolver;
}
