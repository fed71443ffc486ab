/**
 * Preload (diagnostic): where a floe process's memory is, every 2 s — DuckDB's `duckdb_memory()` by tag (MB in memory
 * and spilled to temporary files), DuckDB's current limit (floe raises it by the indexes' memory) and the process's
 * RSS — as JSON lines to FLOE_MEMORY_OUT, with the backend statements running at that moment (their first words and
 * age), so a peak can be matched with what caused it. It samples the first DuckDB instance opened on a warehouse
 * file, on a connection of its own. E.g. the backfill's floe side:
 *   FLOE_MEMORY_OUT=mem.jsonl node --import tsx --import ./bench/pipeline/memory-sampler.ts bench/pipeline/backfill-bench.ts --worker floe DATA WORK
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { appendFileSync } from 'node:fs';
import { memoryMb } from './bench-util.js';
import { runningStatements, watchRunningStatements } from './sql-trace.js';

const out = process.env['FLOE_MEMORY_OUT'] ?? 'floe-memory.jsonl';
const create = DuckDBInstance.create.bind(DuckDBInstance);
let sampling = false;

const mb = (bytes: unknown): number => Math.round(Number(bytes) / 2 ** 20);

watchRunningStatements();

(DuckDBInstance as unknown as { create: typeof create }).create = async (...args: Parameters<typeof create>) => {
  const instance = await create(...args);
  if (!sampling && String(args[0] ?? '').endsWith('.duckdb')) {
    sampling = true;
    const conn = await instance.connect();
    const t0 = Date.now();
    setInterval(() => {
      void (async () => {
        const tags = await (
          await conn.run('SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory() WHERE memory_usage_bytes + temporary_storage_bytes > 1e6')
        ).getRows();
        const limit = await (await conn.run("SELECT current_setting('memory_limit')")).getRows();
        const sample = {
          s: Math.round((Date.now() - t0) / 1000),
          rssMb: Math.round(memoryMb().rss),
          limit: String(limit[0]?.[0]),
          tags: Object.fromEntries(tags.map((r) => [String(r[0]), { memMb: mb(r[1]), spilledMb: mb(r[2]) }])),
          running: runningStatements()
            .filter((r) => !r.sql.includes('duckdb_memory()') && !r.sql.includes("current_setting('memory_limit')"))
            .map((r) => `${(r.ms / 1000).toFixed(1)}s ${r.sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`),
        };
        appendFileSync(out, `${JSON.stringify(sample)}\n`);
      })().catch(() => undefined); // closed at exit
    }, 2000).unref();
  }
  return instance;
};
