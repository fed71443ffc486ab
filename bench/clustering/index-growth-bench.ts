/**
 * What the clustering key's index costs an event log as it grows (the residual growth of the steady state, issue #7):
 * a table laid out as floe's DuckDB backend lays out a `CLUSTER BY (K)` table (duckdb-dialect.ts: dictionary-encoded
 * text, an ART index on K) takes random-key appends of one SCD task run each (1,500 rows a commit, one transaction),
 * and after every STEP rows — about what the demo appends between two of DuckDB's automatic checkpoints — a
 * CHECKPOINT. Per step: the mean commit (insert + commit) and the checkpoint, against the same table without the
 * index (the baseline) in the same run and database. With the index both grow with the rows a key has: every
 * step touches nearly every key (100,000 keys), and DuckDB rewrites each touched key's part of the index.
 * Sizes: FLOE_BENCH_INDEX_KEYS (100,000), FLOE_BENCH_INDEX_STEP (350,000), FLOE_BENCH_INDEX_STEPS (10).
 * Run: npx tsx bench/clustering/index-growth-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
import { duckDbDialect } from '../../src/adapters/warehouse/duckdb/duckdb-dialect.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';
import type { SfType } from '../../src/core/types/snowflake-type.js';
import { envNumber } from '../pipeline/bench-util.js';

const KEYS = envNumber('FLOE_BENCH_INDEX_KEYS', 100_000);
const STEP = envNumber('FLOE_BENCH_INDEX_STEP', 350_000);
const STEPS = envNumber('FLOE_BENCH_INDEX_STEPS', 10);
const BATCH = 1_500;

const NUMBER: SfType = { kind: 'NUMBER', precision: 18, scale: 0 };
const TEXT: SfType = { kind: 'VARCHAR', length: 16_777_216 };
const TS: SfType = { kind: 'TIMESTAMP_NTZ', precision: 9 };
const COLUMNS = [
  { name: 'K', type: NUMBER, nullable: true },
  { name: 'UPDATED_AT', type: TS, nullable: true },
  { name: 'OP', type: TEXT, nullable: true },
  ...['FIRST_NAME', 'LAST_NAME', 'EMAIL', 'STREET', 'CITY', 'COUNTRY'].map((name) => ({ name, type: TEXT, nullable: true })),
];

interface Side {
  table: string;
  commitMs: number[];
  checkpointMs: number[];
}

async function createSide(conn: WarehouseConnection, name: string, indexed: boolean): Promise<Side> {
  const table = `main.${duckDbDialect.quoteIdent(name)}`;
  await conn.execute(duckDbDialect.createTable(table, COLUMNS, false, { readByKey: indexed }));
  if (indexed) for (const sql of duckDbDialect.clusterIndex.create(table, { database: 'D', schema: 'S', name }, ['K'])) await conn.execute(sql);
  return { table, commitMs: [], checkpointMs: [] };
}

/** One task run's worth of events for random keys: the shape of the customer demo's event log. */
const batchSql = (table: string, first: number): string =>
  `INSERT INTO ${table} SELECT CAST(floor(random() * ${KEYS}) AS DECIMAL(18,0)), TIMESTAMP '2026-01-01' + to_seconds(${first} + i), 'U', ` +
  `'first' || (i % 5000), 'last' || (i % 7000), 'user' || (${first} + i) || '@example.com', (i % 9999) || ' Main Street', ` +
  `'city' || (i % 800), 'country' || (i % 60) FROM range(${BATCH}) r(i)`;

async function step(conn: WarehouseConnection, side: Side, done: number): Promise<void> {
  let commits = 0;
  const t0 = performance.now();
  for (let n = 0; n < STEP; n += BATCH) {
    await conn.execute('BEGIN TRANSACTION');
    await conn.execute(batchSql(side.table, done + n));
    await conn.execute('COMMIT');
    commits++;
  }
  side.commitMs.push((performance.now() - t0) / commits);
  const t1 = performance.now();
  await conn.execute('CHECKPOINT');
  side.checkpointMs.push(performance.now() - t1);
}

export async function runIndexGrowthBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-index-growth-'));
  // The threshold only keeps DuckDB from checkpointing on its own in the middle of a step.
  const driver = await DuckDbDriver.open(join(dir, 'w.duckdb'), { memoryLimit: '512MB', checkpointThreshold: '16GB' });
  try {
    const conn = await driver.connect();
    const indexed = await createSide(conn, 'EVENTS_INDEXED', true);
    const plain = await createSide(conn, 'EVENTS_PLAIN', false);
    console.log(`index growth: ${KEYS.toLocaleString('en-US')} keys, ${BATCH.toLocaleString('en-US')}-row commits, a CHECKPOINT every ${STEP.toLocaleString('en-US')} rows (load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, DuckDB memory_limit 512MB)`);
    console.log('  rows       rows/key | commit ms: indexed  plain | checkpoint ms: indexed  plain');
    for (let s = 0; s < STEPS; s++) {
      // Alternate the order so that neither side always runs on the warmer cache.
      for (const side of s % 2 === 0 ? [indexed, plain] : [plain, indexed]) await step(conn, side, s * STEP);
      const rows = (s + 1) * STEP;
      console.log(
        `  ${rows.toLocaleString('en-US').padStart(10)} ${(rows / KEYS).toFixed(1).padStart(8)} |` +
          ` ${indexed.commitMs[s]!.toFixed(1).padStart(17)} ${plain.commitMs[s]!.toFixed(1).padStart(6)} |` +
          ` ${indexed.checkpointMs[s]!.toFixed(0).padStart(21)} ${plain.checkpointMs[s]!.toFixed(0).padStart(6)}`,
      );
    }
    const growth = (xs: number[]): string => `${xs[0]!.toFixed(1)} → ${xs[xs.length - 1]!.toFixed(1)}`;
    console.log(`  commit: indexed ${growth(indexed.commitMs)} ms, plain ${growth(plain.commitMs)} ms; checkpoint: indexed ${growth(indexed.checkpointMs)} ms, plain ${growth(plain.checkpointMs)} ms`);
    await conn.close();
  } finally {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIndexGrowthBench();
