/**
 * Loads the engine only when a command needs a warehouse, so `floe --help` and argument errors stay fast and
 * never load DuckDB (DESIGN.md §2: heavy SDKs are loaded lazily).
 */
import type { Engine, EngineOptions } from '../engine/engine-api.js';

interface OpenEngineModule {
  openEngine(options: EngineOptions): Promise<Engine>;
}

// A variable specifier keeps TypeScript from resolving the module at build time.
// TODO(lead): once src/engine/open-engine.ts exists, replace with `await import('../engine/open-engine.js')`.
const OPEN_ENGINE_MODULE = '../engine/open-engine.js';

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const mod = (await import(OPEN_ENGINE_MODULE)) as OpenEngineModule;
  return mod.openEngine(options);
}
