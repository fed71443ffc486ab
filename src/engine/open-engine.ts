/**
 * Composition root for the SQL engine: picks the warehouse backend and loads it lazily, so front ends
 * that never touch SQL never load DuckDB.
 */
import type { Engine, EngineOptions } from './engine-api.js';
import { EngineImpl } from './engine.js';

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { DuckDbDriver } = await import('../adapters/warehouse/duckdb/duckdb-driver.js');
  const driver = await DuckDbDriver.open(options.database);
  try {
    return await EngineImpl.start(driver, options.now ? { now: options.now } : {});
  } catch (e) {
    await driver.close();
    throw e;
  }
}
