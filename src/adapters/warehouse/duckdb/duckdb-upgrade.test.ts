import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbDriver, STORAGE_FORMAT } from './duckdb-driver.js';
import { upgradeWarehouseFormat } from './duckdb-upgrade.js';
import { DUCKDB_MACROS, DUCKDB_SETTINGS } from './duckdb-macros.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A warehouse as an earlier floe left it: DuckDB's default format, quoted names, an index, a view, a sequence, a
 *  macro, defaults and constraints. */
async function oldWarehouse(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-upgrade-'));
  dirs.push(dir);
  const path = join(dir, 'warehouse.duckdb');
  const db = await DuckDBInstance.create(path);
  const con = await db.connect();
  await con.run(`CREATE SCHEMA "DB.SCH"`);
  await con.run(`CREATE TABLE "DB.SCH"."EVENTS" (K DECIMAL(18,0) NOT NULL, V VARCHAR DEFAULT 'x')`);
  await con.run(`INSERT INTO "DB.SCH"."EVENTS" SELECT i % 100, 'v' || i FROM range(5000) r(i)`);
  await con.run(`CREATE INDEX "EVENTS$cluster" ON "DB.SCH"."EVENTS" (K)`);
  await con.run(`CREATE VIEW "DB.SCH"."V" AS SELECT K FROM "DB.SCH"."EVENTS" WHERE K < 3`);
  await con.run(`CREATE SEQUENCE "DB.SCH"."S"`);
  await con.run(`SELECT nextval('"DB.SCH"."S"') FROM range(7)`);
  await con.run(`CREATE MACRO "DB.SCH".plus1(x) AS x + 1`);
  // A view calling one of floe's session macros (translated Snowflake SQL does): the copy re-creates it without binding
  // it, and floe's sessions, which have the macros, read it.
  for (const sql of [...DUCKDB_SETTINGS, ...DUCKDB_MACROS]) await con.run(sql);
  await con.run(`CREATE VIEW "DB.SCH"."H" AS SELECT floe_hash_signed(hash(K)) AS h FROM "DB.SCH"."EVENTS"`);
  con.closeSync();
  db.closeSync();
  return path;
}

async function query(path: string, sql: string): Promise<unknown[][]> {
  const driver = await DuckDbDriver.open(path);
  try {
    const conn = await driver.connect();
    const r = await conn.query(sql);
    await conn.close();
    return r.rows;
  } finally {
    await driver.close();
  }
}

describe('upgradeWarehouseFormat', () => {
  it(`rewrites a v1.0 warehouse in ${STORAGE_FORMAT} with every object and row, keeping the old file as a backup`, async () => {
    const path = await oldWarehouse();
    const r = await upgradeWarehouseFormat(path);
    expect(r).toMatchObject({ from: 'v1.0.0+', backup: `${path}.v1.0.0.bak`, tables: 1, rows: 5000 });
    expect(existsSync(r.backup!)).toBe(true);
    expect(existsSync(`${path}.upgrade`)).toBe(false);
    expect(await query(path, `SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`)).toEqual([[`${STORAGE_FORMAT}+`]]);
    expect(await query(path, `SELECT count(*), count(DISTINCT K) FROM "DB.SCH"."EVENTS"`)).toEqual([[5000, 100]]);
    expect(await query(path, `SELECT count(*) FROM "DB.SCH"."V"`)).toEqual([[150]]);
    expect(await query(path, `SELECT count(*) FROM "DB.SCH"."H"`)).toEqual([[5000]]);
    expect(await query(path, `SELECT index_name FROM duckdb_indexes()`)).toEqual([['EVENTS$cluster']]);
    // The sequence continues where it was, the macro and the column default work.
    expect(await query(path, `SELECT nextval('"DB.SCH"."S"'), "DB.SCH".plus1(1)`)).toEqual([[8, 2]]);
    expect(await query(path, `INSERT INTO "DB.SCH"."EVENTS" (K) VALUES (1) RETURNING V`)).toEqual([['x']]);
    // The backup is the old warehouse, still readable.
    expect(await query(r.backup!, `SELECT tags['storage_version'], (SELECT count(*) FROM "DB.SCH"."EVENTS") FROM duckdb_databases() WHERE database_name = current_database()`)).toEqual([['v1.0.0+', 5000]]);
  });

  it('leaves a warehouse already in the format alone, also while this process has it open', async () => {
    const path = await oldWarehouse();
    await upgradeWarehouseFormat(path);
    expect(await upgradeWarehouseFormat(path)).toEqual({ from: `${STORAGE_FORMAT}+`, tables: 1, rows: 5000 });
    const driver = await DuckDbDriver.open(path);
    try {
      // Within one process DuckDB shares an open file instead of locking it (another process is refused: the CLI test).
      await expect(upgradeWarehouseFormat(path)).resolves.toMatchObject({ from: `${STORAGE_FORMAT}+` });
    } finally {
      await driver.close();
    }
  });
});
