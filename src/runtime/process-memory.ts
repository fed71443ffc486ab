/**
 * The memory of a running floe (`floe status`, GET /v1/status, the demo's view): the process's resident memory and
 * what its warehouse accounts for. On DuckDB the indexes of clustered tables are held in memory whole and come on top
 * of the configured `memoryLimit` (duckdb-index-memory.ts), so they are shown apart: they grow with the tables.
 */
import type { WarehouseMemory } from '../core/ports/warehouse.js';
import type { Engine } from '../engine/engine-api.js';

export interface ProcessMemory {
  /** The process's resident set (bytes). */
  rssBytes: number;
  /** Absent when the backend cannot tell. */
  warehouse?: WarehouseMemory;
}

export async function readProcessMemory(engine: Engine): Promise<ProcessMemory> {
  const warehouse = await engine.warehouseMemory().catch(() => undefined);
  return { rssBytes: process.memoryUsage.rss(), ...(warehouse ? { warehouse } : {}) };
}

const megabytes = (bytes: number): string => Math.round(bytes / 1e6).toLocaleString('en-US');

/** e.g. `process 1,464 MB · warehouse 598 of 640 MB · indexes 128 MB` (fits the demo's 80 columns); `configured`
 *  adds where the limit comes from. */
export function memoryText(m: ProcessMemory, options: { configured?: boolean } = {}): string {
  const w = m.warehouse;
  if (!w) return `process ${megabytes(m.rssBytes)} MB`;
  const limit = w.limitBytes === undefined ? '' : ` of ${megabytes(w.limitBytes)}`;
  const text = `process ${megabytes(m.rssBytes)} MB · warehouse ${megabytes(w.usedBytes)}${limit} MB · indexes ${megabytes(w.indexBytes)} MB`;
  if (!options.configured || w.configuredBytes === undefined) return text;
  return `${text} (the limit is memoryLimit ${megabytes(w.configuredBytes)} MB plus the indexes)`;
}
