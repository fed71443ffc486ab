/**
 * Loads the engine only when a command needs a warehouse, so `floe --help` and argument errors stay fast and
 * never load DuckDB (DESIGN.md §2: heavy SDKs are loaded lazily).
 */
import type { Engine, EngineOptions } from '../engine/engine-api.js';

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const mod = await import('../engine/open-engine.js');
  return mod.openEngine(options);
}
