/**
 * Moves a DuckDB warehouse file to the storage format floe writes new ones in (STORAGE_FORMAT): a file keeps the format
 * it was created with, and in DuckDB's default v1.0 the clustered tables' indexes cost more at every checkpoint as they
 * grow (duckdb-driver.ts). DuckDB copies the whole catalog and its rows into a new file (`COPY FROM DATABASE`: schemas,
 * tables with their defaults and constraints, indexes, views, macros, sequences at their positions); floe then checks
 * that every table has the same rows and that no object went missing, keeps the old file as a backup under another
 * name and moves the new one into place with a rename, so a crash at any point leaves one complete warehouse at the
 * path. Needs the file to itself: DuckDB refuses while another process (`floe run`, `floe demo`) holds it.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { FloeError } from '../../../core/errors.js';
import { mapDuckDbError } from './duckdb-errors.js';
import { STORAGE_FORMAT } from './duckdb-driver.js';

export interface UpgradeResult {
  /** The format the file had ('v1.0.0+', …). */
  from: string;
  /** Where the old file is kept; absent when there was nothing to do. */
  backup?: string;
  tables: number;
  rows: number;
}

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function rowsOf(con: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await con.runAndReadAll(sql)).getRows();
}

async function formatOf(con: DuckDBConnection, db: string): Promise<string> {
  const r = await rowsOf(con, `SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = ${quote(db)}`);
  return String(r[0]?.[0] ?? 'unknown');
}

/** Objects of one attached database, by kind, as sorted lists of `["schema","name"]` (what a copy must reproduce). */
async function catalog(con: DuckDBConnection, db: string): Promise<Record<string, string[]>> {
  const list = async (sql: string): Promise<string[]> => (await rowsOf(con, sql)).map((r) => JSON.stringify([String(r[0]), String(r[1])])).sort();
  const where = `database_name = ${quote(db)}`;
  return {
    tables: await list(`SELECT schema_name, table_name FROM duckdb_tables() WHERE ${where}`),
    views: await list(`SELECT schema_name, view_name FROM duckdb_views() WHERE ${where} AND NOT internal`),
    indexes: await list(`SELECT schema_name, index_name FROM duckdb_indexes() WHERE ${where}`),
    sequences: await list(`SELECT schema_name, sequence_name FROM duckdb_sequences() WHERE ${where}`),
    macros: await list(`SELECT DISTINCT schema_name, function_name FROM duckdb_functions() WHERE ${where} AND function_type IN ('macro', 'table_macro')`),
  };
}

async function rowCounts(con: DuckDBConnection, db: string, tables: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of tables) {
    const [schema, name] = JSON.parse(t) as [string, string];
    const r = await rowsOf(con, `SELECT count(*) FROM ${ident(db)}.${ident(schema)}.${ident(name)}`);
    counts.set(t, Number(r[0]?.[0] ?? 0));
  }
  return counts;
}

/** Rewrites the warehouse at `path` in STORAGE_FORMAT; a file already in it is left alone. */
export async function upgradeWarehouseFormat(path: string): Promise<UpgradeResult> {
  const next = `${path}.upgrade`;
  for (const f of [next, `${next}.wal`]) rmSync(f, { force: true }); // a crashed earlier try
  const instance = await DuckDBInstance.create(':memory:').catch((e: unknown) => {
    throw mapDuckDbError(e);
  });
  const con = await instance.connect();
  let done = false;
  try {
    try {
      // Read-write, so that a write-ahead log left by a crash is replayed into the copy.
      await con.run(`ATTACH ${quote(path)} AS old_wh`);
    } catch (e) {
      throw new FloeError('CONFIG', `cannot open ${path} to upgrade it (stop floe run / floe demo first): ${e instanceof Error ? e.message : String(e)}`);
    }
    const from = await formatOf(con, 'old_wh');
    const before = await catalog(con, 'old_wh');
    const counts = await rowCounts(con, 'old_wh', before.tables);
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    if (from === `${STORAGE_FORMAT}+`) return { from, tables: before.tables.length, rows };
    await con.run(`CHECKPOINT old_wh`);
    await con.run(`ATTACH ${quote(next)} AS new_wh (STORAGE_VERSION ${quote(STORAGE_FORMAT)})`);
    await con.run('COPY FROM DATABASE old_wh TO new_wh');
    const after = await catalog(con, 'new_wh');
    for (const kind of Object.keys(before)) {
      const missing = before[kind]!.filter((x) => !after[kind]!.includes(x));
      if (missing.length > 0) throw new FloeError('INTERNAL', `upgrade of ${path}: the copy lacks ${kind} ${missing.join(', ')}; the warehouse is unchanged`);
    }
    const copied = await rowCounts(con, 'new_wh', before.tables);
    for (const [t, n] of counts) {
      if (copied.get(t) !== n) throw new FloeError('INTERNAL', `upgrade of ${path}: ${t} has ${copied.get(t)} rows in the copy, ${n} in the warehouse; the warehouse is unchanged`);
    }
    await con.run('CHECKPOINT new_wh');
    await con.run('DETACH new_wh');
    await con.run('DETACH old_wh');
    // A log left next to the path would be replayed onto the new file at its next open.
    if (existsSync(`${path}.wal`)) throw new FloeError('INTERNAL', `upgrade of ${path}: its write-ahead log is still there after a checkpoint; the warehouse is unchanged`);
    const backup = `${path}.${from.replace(/\+$/, '')}.bak`;
    rmSync(backup, { force: true });
    linkSync(path, backup);
    renameSync(next, path);
    done = true;
    return { from, backup, tables: before.tables.length, rows };
  } catch (e) {
    throw e instanceof FloeError ? e : mapDuckDbError(e);
  } finally {
    con.closeSync();
    instance.closeSync();
    if (!done && existsSync(next)) for (const f of [next, `${next}.wal`]) rmSync(f, { force: true });
  }
}
