/** Helpers of the reclustering tests (test/engine/reclustering*.test.ts): engines, clustered tables, and hooks on the
 *  reclusterer's copy statements. */
import { afterEach, expect } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import { lastRows, openInSchema } from './engine-schema.js';
import type { TableDef } from '../../src/core/catalog/catalog-model.js';
import type { QueryResult, WarehouseConnection } from '../../src/core/ports/warehouse.js';
import type { Reclusterer } from '../../src/engine/clustering/reclusterer.js';

let engines: Engine[] = [];
/** Closes the engines a test file's tests opened, after each test (call once, at the top of the file). */
export function closeEnginesAfterEach(): void {
  afterEach(async () => {
    for (const e of engines) await e.close();
    engines = [];
  });
}

/** An engine whose reclusterer has no busy-share budget (rebuilds one after the other), unless a test sets one. */
export const open = async (database?: string): ReturnType<typeof openInSchema> => {
  const opened = await openInSchema(engines, database);
  opened.e.core.reclusterer.policy.maxBusyShare = 1;
  return opened;
};
export const rows = lastRows;

/** `n` rows with keys in a scrambled order (the multiplier is prime to n). */
export function values(n: number, from = 0): string {
  return Array.from({ length: n }, (_, i) => `(${((from + i) * 7919) % 1009}, 'v${from + i}')`).join(', ');
}

/** A query straight to the backend (DuckDB's own catalog and settings). */
export async function backend(e: EngineImpl, sql: string): Promise<unknown[][]> {
  const conn = await e.core.driver.connect();
  try {
    return (await conn.query(sql)).rows;
  } finally {
    await conn.close();
  }
}

/** The backend's view of T: its keys in storage order, and its index. */
export async function physical(e: EngineImpl, table = 'T'): Promise<{ keys: number[]; indexes: string[] }> {
  const keys = (await backend(e, `SELECT K FROM "D.S"."${table}" ORDER BY rowid`)).map((r) => Number(r[0]));
  const indexes = (await backend(e, `SELECT index_name FROM duckdb_indexes() WHERE schema_name = 'D.S'`)).map((r) => String(r[0]));
  return { keys, indexes };
}

/**
 * Each key-range copy statement of the reclusterer's rebuilds goes through `around(n, copy)` (n from 1), which runs
 * it with `copy()` — or not. Returns the count of range statements seen.
 */
export async function aroundRangeCopies(r: Reclusterer, around: (n: number, copy: () => Promise<QueryResult>) => Promise<QueryResult>): Promise<{ ranges: number }> {
  const conn = await (r as unknown as { conn(): Promise<WarehouseConnection> }).conn();
  const query = conn.query.bind(conn);
  const seen = { ranges: 0 };
  conn.query = (sql, params) => (/^INSERT INTO .*\$recluster/.test(sql) ? around(++seen.ranges, () => query(sql, params)) : query(sql, params));
  return seen;
}

export const sortedRuns = (keys: number[]): number => keys.reduce((n, k, i) => (i > 0 && k < keys[i - 1]! ? n + 1 : n), 1);
export const def = (e: EngineImpl, name = 'T'): TableDef => e.core.catalog.table('D', 'S', name)!;
export const content = (s: Session): Promise<unknown[][]> => rows(s, 'SELECT K, V, N FROM T ORDER BY K, V');

export async function clusteredTable(s: Session, n: number): Promise<void> {
  await s.query(`CREATE TABLE T (K INT, V VARCHAR NOT NULL, N INT DEFAULT 42) CLUSTER BY (K)`);
  await s.query(`INSERT INTO T (K, V) VALUES ${values(n)}`);
}

/** An engine with T, a clustered table of `n` rows, and its reclusterer (rebuilds sort `chunkRows` at a time if given). */
export async function clusteredEngine(n: number, chunkRows?: number) {
  const { e, s } = await open();
  await clusteredTable(s, n);
  const r = e.core.reclusterer;
  if (chunkRows !== undefined) r.policy.chunkRows = chunkRows;
  return { e, s, r };
}

/** A second session in T's schema: a writer while a rebuild copies. */
export async function otherSession(e: EngineImpl): Promise<Session> {
  const other = await e.session();
  await other.query('USE SCHEMA D.S');
  return other;
}

/** A clustered table of `n` rows, rebuilt from 1,000 rows, with the rebuilds' copies counted. */
export async function countingCopies(n: number) {
  const { e, s } = await open();
  const r = e.core.reclusterer;
  r.policy.minRows = 1000;
  await clusteredTable(s, n);
  const copies = { n: 0 };
  r.afterCopy = async () => {
    copies.n++;
  };
  await r.pass(); // a process's first check only notes each table's edit count
  expect(copies.n).toBe(0);
  return { e, s, r, copies };
}

