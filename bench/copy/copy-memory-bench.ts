/**
 * Memory of a big COPY (issue #4: "memory stays bounded for a 2 GB file"). A script generates a customer CSV of
 * FLOE_BENCH_COPY_BIG_MB megabytes (default 2048) into a temp dir (never committed, deleted afterwards); a child
 * process COPYs it into a file-backed warehouse and reports its peak RSS (VmHWM) and time; a second child does
 * the same work with DuckDB's own read_csv (the baseline). Run: `npx tsx bench/copy/copy-memory-bench.ts`.
 * Check free disk space first: the file, the warehouse and DuckDB's spill files need about 3× the size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
import { openEngine } from '../../src/engine/open-engine.js';

const COLUMNS = `customer_id NUMBER(38,0), first_name STRING, last_name STRING, email STRING, city STRING, country STRING, op STRING, updated_at TIMESTAMP_NTZ`;
const DUCK_COLUMNS = `{'customer_id': 'DECIMAL(38,0)', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'email': 'VARCHAR', 'city': 'VARCHAR', 'country': 'VARCHAR', 'op': 'VARCHAR', 'updated_at': 'TIMESTAMP'}`;

const peakRssMb = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

/** Child: one COPY (floe or the DuckDB baseline), printing `{"seconds":…,"peakRssMb":…,"rows":…}`. */
async function child(mode: string, dir: string): Promise<void> {
  const t0 = performance.now();
  let rows = 0;
  if (mode === 'floe') {
    const engine = await openEngine({ database: join(dir, 'floe.duckdb'), storage: { buckets: { big: { type: 'local', path: join(dir, 'bucket') } } } });
    const s = await engine.session();
    await s.query(`CREATE TABLE customer (${COLUMNS}); CREATE STAGE st URL = 's3://big/'`);
    const [r] = await s.query(`COPY INTO customer FROM @st FILES = ('customers.csv') FILE_FORMAT = (SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"')`);
    rows = Number(r!.rows[0]![3]);
    await engine.close();
  } else {
    const driver = await DuckDbDriver.open(join(dir, 'duck.duckdb'));
    const conn = await driver.connect();
    await conn.execute(`CREATE TABLE customer (${COLUMNS.replace('NUMBER(38,0)', 'DECIMAL(38,0)').replace(/STRING/g, 'VARCHAR').replace('TIMESTAMP_NTZ', 'TIMESTAMP')})`);
    const r = await conn.query(`INSERT INTO customer SELECT * FROM read_csv('${join(dir, 'bucket', 'customers.csv')}', header = true, quote = '"', columns = ${DUCK_COLUMNS})`);
    rows = Number(r.rowsChanged);
    await conn.close();
    await driver.close();
  }
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peakRssMb: peakRssMb(), rows }));
}

export async function runCopyMemoryBench(): Promise<void> {
  const mb = Number(process.env.FLOE_BENCH_COPY_BIG_MB ?? 2048);
  const dir = mkdtempSync(join(tmpdir(), 'floe-bench-big-'));
  try {
    mkdirSync(join(dir, 'bucket'));
    const csv = join(dir, 'bucket', 'customers.csv');
    const rows = Math.round((mb * 1024 * 1024) / 104); // ~104 bytes a row
    const driver = await DuckDbDriver.open(':memory:');
    const conn = await driver.connect();
    await conn.execute(`COPY (SELECT range AS customer_id, 'first' || range AS first_name, 'last' || range AS last_name, 'c' || range || '@example.com' AS email,
      'city, ' || (range % 1000) AS city, 'country' || (range % 50) AS country, 'I' AS op, TIMESTAMP '2026-01-01' + to_seconds(range % 100000000) AS updated_at
      FROM range(${rows})) TO '${csv}' (HEADER true)`);
    await conn.close();
    await driver.close();
    const size = statSync(csv).size / 1024 / 1024;
    const run = (mode: string) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
      return JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; peakRssMb: number; rows: number };
    };
    const floe = run('floe');
    const duck = run('duck');
    if (floe.rows !== rows || duck.rows !== rows) throw new Error(`loaded ${floe.rows} / ${duck.rows} rows, expected ${rows}`);
    console.log(
      `copy: ${size.toFixed(0)} MB CSV (${rows.toLocaleString('en-US')} rows, quoted city field) | floe COPY ${floe.seconds.toFixed(1)} s, peak RSS ${floe.peakRssMb.toFixed(0)} MB | ` +
        `DuckDB read_csv INSERT ${duck.seconds.toFixed(1)} s, peak RSS ${duck.peakRssMb.toFixed(0)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 1]!, process.argv[i + 2]!);
else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runCopyMemoryBench();
