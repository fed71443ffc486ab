/**
 * What the clustering key's index costs an event log as it grows (the residual growth of the steady state, issue #7):
 * a table laid out as floe's DuckDB backend lays out a `CLUSTER BY (K)` table (duckdb-dialect.ts: dictionary-encoded
 * text, an ART index on K) takes random-key appends of one SCD task run each (1,500 rows a commit, one transaction),
 * and after every STEP rows — about what the demo appends between two of DuckDB's automatic checkpoints — a
 * CHECKPOINT. Per step: the mean commit (insert + commit) and the checkpoint, for the indexed table in the storage
 * format of new warehouses (duckdb-driver.ts, STORAGE_FORMAT) and in DuckDB's default format v1.0.0 (warehouses
 * created before floe chose one), against the same table without the index (the baseline), in the same run. In
 * v1.0.0 both grow with the rows a key has: a checkpoint converts every index it writes to the old layout. From
 * v1.2.0 an index is written as it lives in memory.
 * Sizes: FLOE_BENCH_INDEX_KEYS (100,000), FLOE_BENCH_INDEX_STEP (350,000), FLOE_BENCH_INDEX_STEPS (10).
 * Run: npx tsx bench/clustering/index-growth-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbDriver, STORAGE_FORMAT } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
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
  /** The side's database (each format is its own file: DuckDB checkpoints a file at a time). */
  database: string;
  commitMs: number[];
  checkpointMs: number[];
}

async function createSide(conn: WarehouseConnection, database: string, name: string, indexed: boolean): Promise<Side> {
  const table = `${database}.main.${duckDbDialect.quoteIdent(name)}`;
  await conn.execute(duckDbDialect.createTable(table, COLUMNS, false, { readByKey: indexed }));
  if (indexed) for (const sql of duckDbDialect.clusterIndex.create(table, { database: 'D', schema: 'S', name }, ['K'])) await conn.execute(sql);
  return { table, database, commitMs: [], checkpointMs: [] };
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
  await conn.execute(`CHECKPOINT ${side.database}`);
  side.checkpointMs.push(performance.now() - t1);
}

export async function runIndexGrowthBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-index-growth-'));
  // The threshold only keeps DuckDB from checkpointing on its own in the middle of a step.
  const driver = await DuckDbDriver.open(join(dir, 'w.duckdb'), { memoryLimit: '512MB', checkpointThreshold: '16GB' });
  try {
    const conn = await driver.connect();
    // DuckDB's default format, which warehouses created before floe used STORAGE_FORMAT keep (duckdb-driver.ts).
    await conn.execute(`ATTACH '${join(dir, 'v10.duckdb')}' AS v10 (STORAGE_VERSION 'v1.0.0')`);
    const indexed = await createSide(conn, 'w', 'EVENTS_INDEXED', true);
    const old = await createSide(conn, 'v10', 'EVENTS_INDEXED', true);
    const plain = await createSide(conn, 'w', 'EVENTS_PLAIN', false);
    const sides = [indexed, old, plain];
    console.log(
      `index growth: ${KEYS.toLocaleString('en-US')} keys, ${BATCH.toLocaleString('en-US')}-row commits, a CHECKPOINT every ${STEP.toLocaleString('en-US')} rows ` +
        `(load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, DuckDB memory_limit 512MB); indexed in storage format ${STORAGE_FORMAT} (new warehouses) and v1.0.0 (DuckDB's default), plain = no index`,
    );
    console.log(`  rows       rows/key | commit ms: ${STORAGE_FORMAT}  v1.0.0  plain | checkpoint ms: ${STORAGE_FORMAT}  v1.0.0  plain`);
    const cells = (xs: number[], width: number, digits: number): string => xs.map((x, k) => x.toFixed(digits).padStart(k === 0 ? width : 7)).join('');
    for (let s = 0; s < STEPS; s++) {
      // Rotate the order so that no side always runs on the warmest cache.
      for (let k = 0; k < sides.length; k++) await step(conn, sides[(s + k) % sides.length]!, s * STEP);
      const rows = (s + 1) * STEP;
      console.log(
        `  ${rows.toLocaleString('en-US').padStart(10)} ${(rows / KEYS).toFixed(1).padStart(8)} |` +
          `${cells(sides.map((x) => x.commitMs[s]!), 18, 1)} |${cells(sides.map((x) => x.checkpointMs[s]!), 22, 0)}`,
      );
    }
    const growth = (xs: number[]): string => `${xs[0]!.toFixed(0)} → ${xs[xs.length - 1]!.toFixed(0)}`;
    const growth1 = (xs: number[]): string => `${xs[0]!.toFixed(1)} → ${xs[xs.length - 1]!.toFixed(1)}`;
    console.log(
      `  commit ms: ${STORAGE_FORMAT} ${growth1(indexed.commitMs)}, v1.0.0 ${growth1(old.commitMs)}, plain ${growth1(plain.commitMs)}; ` +
        `checkpoint ms: ${STORAGE_FORMAT} ${growth(indexed.checkpointMs)}, v1.0.0 ${growth(old.checkpointMs)}, plain ${growth(plain.checkpointMs)}`,
    );
    await conn.close();
  } finally {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runIndexGrowthBench();
