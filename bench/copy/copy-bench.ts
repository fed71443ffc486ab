/**
 * Loading (issue #4), each figure next to a baseline from the same run:
 * 1. COPY INTO of a generated 1M-row customer CSV (~80 MB, written by the bench, not committed) vs DuckDB's
 *    own `read_csv` inserting the same file into an identical table (target: floe ≥ 0.8× DuckDB's speed);
 *    then the customer demo's format (header, FIELD_OPTIONALLY_ENCLOSED_BY = '"', some quoted fields, a
 *    transformation with METADATA$ columns) plain and gzip, each against read_csv with the same options;
 * 2. a pipe loading 2,000 small files (10 rows each) dropped into a local bucket vs one bulk COPY of the
 *    same files (target ≥ 200 files/s);
 * 3. latency from a file landing in the bucket folder to its load committing (p50 / p99; target 100 / 500 ms).
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';

const ROWS = Number(process.env.FLOE_BENCH_ROWS ?? 1_000_000);
const FILES = Number(process.env.FLOE_BENCH_FILES ?? 2000);
const COLUMNS = `customer_id NUMBER(38,0), first_name STRING, last_name STRING, email STRING, city STRING, country STRING, op STRING, updated_at TIMESTAMP_NTZ`;
const DUCK_COLUMNS = `{'customer_id': 'DECIMAL(38,0)', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'email': 'VARCHAR', 'city': 'VARCHAR', 'country': 'VARCHAR', 'op': 'VARCHAR', 'updated_at': 'TIMESTAMP'}`;

const secs = (t0: number): number => (performance.now() - t0) / 1000;
const rate = (n: number, s: number): string => `${Math.round(n / s).toLocaleString('en-US')}/s`;

export async function runCopyBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-bench-copy-'));
  const bucket = join(dir, 'bucket');
  mkdirSync(join(bucket, 'small'), { recursive: true });
  const engine = (await openEngine({ database: join(dir, 'bench.duckdb'), storage: { buckets: { bench: { type: 'local', path: bucket } } } })) as EngineImpl;
  try {
    const s = await engine.session();
    const conn = await engine.core.driver.connect();
    const csv = join(bucket, 'customers.csv');
    await conn.execute(`COPY (SELECT range, 'first' || range, 'last' || range, 'c' || range || '@example.com', 'city' || (range % 1000), 'country' || (range % 50),
      'I', TIMESTAMP '2026-01-01' + to_seconds(range) FROM range(${ROWS})) TO '${csv}' (HEADER false)`);
    await s.query(`CREATE TABLE customer (${COLUMNS}); CREATE TABLE customer_duck (${COLUMNS}); CREATE STAGE st URL = 's3://bench/'`);
    const duckTable = engine.core.driver.dialect.physicalTable('FLOE', 'PUBLIC', 'CUSTOMER_DUCK');

    let t0 = performance.now();
    await conn.execute(`INSERT INTO ${duckTable} SELECT * FROM read_csv('${csv}', header = false, columns = ${DUCK_COLUMNS})`);
    const duck = secs(t0);
    // DuckDB's DECIMAL(38,0) text parse is slow and floe parses through DECIMAL(18,0) first: a second baseline
    // reads the id as BIGINT so the ratio is not flattered by that alone.
    await conn.execute(`DELETE FROM ${duckTable}`);
    t0 = performance.now();
    await conn.execute(`INSERT INTO ${duckTable} SELECT * FROM read_csv('${csv}', header = false, columns = ${DUCK_COLUMNS.replace("'DECIMAL(38,0)'", "'BIGINT'")})`);
    const duckBig = secs(t0);
    // DuckDB's INSERT … SELECT FROM read_csv straight into a persistent table is much slower here than staging
    // through a temp table (what floe does); the fastest DuckDB route is the fair bar.
    await conn.execute(`DELETE FROM ${duckTable}`);
    t0 = performance.now();
    await conn.execute(`CREATE TEMP TABLE duck_stage AS SELECT * FROM read_csv('${csv}', header = false, columns = ${DUCK_COLUMNS.replace("'DECIMAL(38,0)'", "'BIGINT'")})`);
    await conn.execute(`INSERT INTO ${duckTable} SELECT * FROM duck_stage`);
    await conn.execute('DROP TABLE duck_stage');
    const duckStaged = secs(t0);
    t0 = performance.now();
    const [r] = await s.query("COPY INTO customer FROM @st FILES = ('customers.csv')");
    const floe = secs(t0);
    if (r!.rows[0]![3] !== ROWS) throw new Error(`COPY loaded ${String(r!.rows[0]![3])} rows, expected ${ROWS}`);
    console.log(`copy: COPY INTO ${ROWS} rows ${floe.toFixed(2)} s (${rate(ROWS, floe)}) | DuckDB read_csv ${duck.toFixed(2)} s (${rate(ROWS, duck)}) | ratio ${(duck / floe).toFixed(2)}× (target ≥ 0.8×) | vs read_csv with a BIGINT id ${duckBig.toFixed(2)} s: ${(duckBig / floe).toFixed(2)}× | vs read_csv (BIGINT id) into a temp table + INSERT ${duckStaged.toFixed(2)} s: ${(duckStaged / floe).toFixed(2)}×`);

    // 1b. The customer demo's format: header, quoted fields with commas, a transformation with METADATA$.
    const quoted = join(bucket, 'quoted.csv');
    await conn.execute(`COPY (SELECT range AS id, 'first' || range AS first_name, 'last, ' || range AS last_name, 'c' || range || '@example.com' AS email,
      'city' || (range % 1000) AS city, 'country' || (range % 50) AS country, 'I' AS op, TIMESTAMP '2026-01-01' + to_seconds(range) AS updated_at
      FROM range(${ROWS})) TO '${quoted}' (HEADER true)`);
    await conn.execute(`COPY (SELECT * FROM read_csv('${quoted}', header = true, all_varchar = true)) TO '${quoted}.gz' (HEADER true, COMPRESSION gzip)`);
    await s.query(`CREATE TABLE demo (${COLUMNS}, file_name STRING, file_row NUMBER(38,0), loaded_at TIMESTAMP_LTZ)`);
    const demoCopy = (file: string) =>
      `COPY INTO demo FROM (SELECT $1, $2, $3, $4, $5, $6, $7, $8, METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, METADATA$START_SCAN_TIME FROM @st) ` +
      `FILES = ('${file}') FILE_FORMAT = (SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"')`;
    for (const file of ['quoted.csv', 'quoted.csv.gz']) {
      await conn.execute(`DELETE FROM ${duckTable}`);
      t0 = performance.now();
      await conn.execute(`INSERT INTO ${duckTable} SELECT * FROM read_csv('${join(bucket, file)}', header = true, quote = '"', columns = ${DUCK_COLUMNS})`);
      const duckQ = secs(t0);
      t0 = performance.now();
      const [rq] = await s.query(demoCopy(file));
      const floeQ = secs(t0);
      if (rq!.rows[0]![3] !== ROWS) throw new Error(`COPY loaded ${String(rq!.rows[0]![3])} rows, expected ${ROWS}`);
      console.log(`copy: ${file} (demo format, transformation) ${floeQ.toFixed(2)} s (${rate(ROWS, floeQ)}) | DuckDB read_csv ${duckQ.toFixed(2)} s | ratio ${(duckQ / floeQ).toFixed(2)}× (target ≥ 0.8×)`);
    }

    // 2. Pipe throughput on many small files vs one bulk COPY of the same files.
    await s.query(`CREATE TABLE small_pipe (id INT, v STRING); CREATE TABLE small_bulk (id INT, v STRING);
      CREATE PIPE p AUTO_INGEST = TRUE AS COPY INTO small_pipe FROM @st/small/`);
    await engine.pipes.start({ reconcileMs: 0 });
    let loaded = 0;
    const done = new Promise<void>((resolve) =>
      engine.pipes.onLoad((l) => {
        if (l.table.endsWith('SMALL_PIPE') && (loaded += l.files.length) >= FILES) resolve();
      }),
    );
    t0 = performance.now();
    for (let i = 0; i < FILES; i++) {
      const body = Array.from({ length: 10 }, (_, j) => `${i * 10 + j},v${i}`).join('\n') + '\n';
      writeFileSync(join(dir, 'tmp.csv'), body);
      renameSync(join(dir, 'tmp.csv'), join(bucket, 'small', `f${i}.csv`));
    }
    await done;
    const pipe = secs(t0);
    await engine.pipes.stop();
    t0 = performance.now();
    await s.query('COPY INTO small_bulk FROM @st/small/');
    const bulk = secs(t0);
    console.log(`copy: pipe ${FILES} files ${pipe.toFixed(2)} s (${rate(FILES, pipe)} files, target ≥ 200/s) | one bulk COPY of the same files ${bulk.toFixed(2)} s (${rate(FILES, bulk)} files)`);

    // 3. Latency: one file at a time, from rename into the folder to the committed load.
    await s.query('CREATE TABLE lat (id INT); CREATE PIPE pl AUTO_INGEST = TRUE AS COPY INTO lat FROM @st/lat/');
    mkdirSync(join(bucket, 'lat'));
    await engine.pipes.start({ reconcileMs: 0 });
    const samples: number[] = [];
    for (let i = 0; i < 100; i++) {
      const landed = new Promise<void>((resolve) => {
        const off = engine.pipes.onLoad((l) => {
          if (l.files.some((f) => f.path === `lat/x${i}.csv`)) {
            off();
            resolve();
          }
        });
      });
      writeFileSync(join(dir, 'tmp.csv'), `${i}\n`);
      t0 = performance.now();
      renameSync(join(dir, 'tmp.csv'), join(bucket, 'lat', `x${i}.csv`));
      await landed;
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!.toFixed(0);
    console.log(`copy: pipe latency file → committed load p50 ${pct(50)} ms, p99 ${pct(99)} ms (target 100 / 500 ms; the folder watcher waits 50 ms for a stable size)`);
    await conn.close();
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}



if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runCopyBench();
