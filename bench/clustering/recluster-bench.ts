/**
 * What background reclustering buys (engine/clustering/reclusterer.ts): reading a few keys' rows from a clustered
 * event log with a cold cache, the way the SCD applier reads its late keys. The log holds KEYS keys × EVENTS events
 * appended in time order (every key's events spread over the whole table); each read opens the warehouse afresh
 * (DuckDB's buffer pool empty, the OS page cache warm) and fetches 16 random keys' rows through the key's index.
 * Baseline: the same reads from the log as appended; then after one rebuild in key order (its time is printed too).
 * Sizes: FLOE_BENCH_RECLUSTER_KEYS (default 50,000), FLOE_BENCH_RECLUSTER_EVENTS (per key, default 40).
 * Run: npx tsx bench/clustering/recluster-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import type { Session } from '../../src/engine/engine-api.js';

const KEYS = Number(process.env['FLOE_BENCH_RECLUSTER_KEYS'] ?? 50_000);
const EVENTS = Number(process.env['FLOE_BENCH_RECLUSTER_EVENTS'] ?? 40);
const READS = 7;
const KEYS_PER_READ = 16;

async function run(session: Session, sql: string): Promise<unknown[][]> {
  const r = await session.query(sql);
  return r[r.length - 1]!.rows;
}

/** `SELECT … FROM VALUES (0) … (9)` cross-joined: the integers 0 … 10^digits - 1. */
function numbers(digits: number): string {
  const d = 'SELECT column1 AS x FROM VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)';
  const from = Array.from({ length: digits }, (_, i) => `(${d}) d${i}`).join(', ');
  const value = Array.from({ length: digits }, (_, i) => `d${i}.x * ${10 ** i}`).join(' + ');
  return `SELECT ${value} AS n FROM ${from}`;
}

/** Median time of cold reads of 16 random keys' rows (a fresh engine each time). */
async function coldReads(database: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const engine = await openEngine({ database, tasks: { scheduler: false } });
    const s = await engine.session();
    await run(s, 'USE SCHEMA D.S');
    const keys = Array.from({ length: KEYS_PER_READ }, () => Math.floor(Math.random() * KEYS));
    const t0 = performance.now();
    const rows = await run(s, `SELECT COUNT(*), MAX(NAME), MAX(EMAIL), MAX(STREET), MAX(CITY) FROM EV WHERE K IN (${keys.join(', ')})`);
    times.push(performance.now() - t0);
    if (Number(rows[0]![0]) < KEYS_PER_READ) throw new Error(`recluster-bench: read ${String(rows[0]![0])} rows`);
    await s.close();
    await engine.close();
  }
  return times.sort((a, b) => a - b)[Math.floor(READS / 2)]!;
}

export async function runReclusterBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-recluster-bench-'));
  const database = join(dir, 'warehouse.duckdb');
  try {
    const engine = (await openEngine({ database, tasks: { scheduler: false } })) as EngineImpl;
    const s = await engine.session();
    await run(s, 'CREATE DATABASE D; CREATE SCHEMA D.S; USE SCHEMA D.S');
    await run(s, 'CREATE TABLE EV (K INT, E INT, NAME VARCHAR, EMAIL VARCHAR, STREET VARCHAR, CITY VARCHAR) CLUSTER BY (K)');
    // Event by event: every key's e-th event before any key's (e+1)-th, keys shuffled within a round (by a hash:
    // floe has no RANDOM()).
    for (let e = 0; e < EVENTS; e++) {
      await run(
        s,
        `INSERT INTO EV SELECT n, ${e}, 'name-' || MOD(n * 7 + ${e}, 997), MD5(n || '-${e}') || '@example.com', ` +
          `MD5('street' || n || '-${e}'), 'city-' || MOD(n + ${e}, 5000) FROM (${numbers(Math.ceil(Math.log10(KEYS)))}) WHERE n < ${KEYS} ORDER BY MD5(n || 'order-${e}')`,
      );
    }
    await s.close();
    await engine.close();
    const unsorted = await coldReads(database);

    const again = (await openEngine({ database, tasks: { scheduler: false } })) as EngineImpl;
    const def = again.core.catalog.table('D', 'S', 'EV')!;
    const t0 = performance.now();
    const outcome = await again.core.reclusterer.recluster(def);
    const rebuildMs = performance.now() - t0;
    await again.close();
    if (outcome !== 'reclustered') throw new Error(`recluster-bench: the rebuild ended ${outcome}`);
    const sorted = await coldReads(database);

    console.log(`recluster-bench: ${KEYS} keys × ${EVENTS} events (${KEYS * EVENTS} rows) appended in time order; median of ${READS} cold reads of ${KEYS_PER_READ} keys' rows`);
    console.log(`  baseline: as appended            ${unsorted.toFixed(1)} ms`);
    console.log(`  after the rebuild in key order   ${sorted.toFixed(1)} ms  (x${(sorted / unsorted).toFixed(2)}); the rebuild took ${(rebuildMs / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runReclusterBench();
