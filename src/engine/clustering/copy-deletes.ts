/**
 * Rows deleted from a table while a rebuild copies it (reclusterer.ts). The copy carries each row's source row id in
 * an extra column; rows up to the snapshot's highest row id are never added later (appends get higher ones) and,
 * without other edits, keep their values, so the copy holds every such row the table still has, and the ones it has
 * too many are those deleted meanwhile. An anti join on the row ids finds them, at the cost of a scan and hash join
 * of the whole table whatever their number: 90–290 ms at 2M rows on DuckDB (2 cores; more with many rows deleted).
 * So most of them are dropped before the swap (`dropDeletedRows`, the table in use), and the swap (`reconcileCopy`,
 * writers held) looks again only when the copy has more rows than the table (two counts: ~10 ms at 2M rows).
 */
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';

/** The table, its copy, and the copy's source row id column (quoted), with the backend's row identity. */
export interface CopyNames {
  phys: string;
  copy: string;
  src: string;
  rowId: string;
}

/**
 * The copy's column of source row ids: a name no column of the table has (a quoted user column could have any name;
 * backends may compare names without regard to case).
 */
export function sourceRowIdColumn(d: WarehouseDialect, def: TableDef): string {
  let name = '__floe_src_rowid';
  while (def.columns.some((c) => c.name.toUpperCase() === name.toUpperCase())) name += '_';
  return d.quoteIdent(name);
}

/** Drop from the copy the rows up to `top` that the table no longer has (its own transaction; the table in use). */
export async function dropDeletedRows(conn: WarehouseConnection, n: CopyNames, top: number): Promise<void> {
  await conn.query(`DELETE FROM ${n.copy} WHERE ${goneSql(n, top)}`);
}

/**
 * In the swap's transaction, the table's writers held: make the copy hold exactly the table's rows up to `top` and
 * drop its source row id column. `deletesNoted`: a DELETE ran since the copy was last checked against the table;
 * without one, a copy with rows too many means the table changed in a way nobody noted. Returns the copy's rows and
 * the row ids it uses (its rows plus those deleted from it: a backend like DuckDB keeps their ids, and the rows the
 * swap appends get ids from there), or undefined when the table changed other than by deletes.
 */
export async function reconcileCopy(conn: WarehouseConnection, n: CopyNames, top: number, deletesNoted: boolean): Promise<{ rows: number; rowIds: number } | undefined> {
  const count = async (sql: string): Promise<number[]> => ((await conn.query(sql)).rows[0] ?? []).map(Number);
  // The copy's highest row id before any delete of this transaction: committed, so not a transaction-local one. A row
  // the catch-up deleted at the copy's very end is not counted (its rebuild is due that many rows earlier).
  const [kept, copied, rowIds] = await count(
    `SELECT (SELECT COUNT(*) FROM ${n.phys} WHERE ${n.rowId} <= ${top}), COUNT(*), COALESCE(MAX(${n.rowId}), -1) + 1 FROM ${n.copy}`,
  );
  if (kept === copied) {
    await conn.execute(`ALTER TABLE ${n.copy} DROP COLUMN ${n.src}`);
    return { rows: kept!, rowIds: rowIds! };
  }
  // Rows the copy lacks: never from a delete.
  if (!deletesNoted || kept! > copied!) return undefined;
  // DuckDB refuses to commit a DROP COLUMN after a DELETE on the same table in one transaction ("another transaction
  // has altered this table"), so the gone rows' own row ids (kept by DROP COLUMN) are noted first, deleted after.
  await conn.execute(`CREATE TEMPORARY TABLE ${GONE} AS SELECT ${n.rowId} AS gone FROM ${n.copy} WHERE ${goneSql(n, top)}`);
  await conn.execute(`ALTER TABLE ${n.copy} DROP COLUMN ${n.src}`);
  await conn.execute(`DELETE FROM ${n.copy} WHERE ${n.rowId} IN (SELECT gone FROM ${GONE})`);
  await conn.execute(`DROP TABLE ${GONE}`);
  const [left] = await count(`SELECT COUNT(*) FROM ${n.copy}`);
  return left === kept ? { rows: kept!, rowIds: rowIds! } : undefined;
}

/** The rebuild session's own temporary table of the copy's rows to delete (dropped before its transaction ends). */
const GONE = '__floe_recluster_gone';

/** The copy's rows whose source row (up to `top`) is gone. NOT IN beat ANTI JOIN and NOT EXISTS on DuckDB. */
const goneSql = (n: CopyNames, top: number): string => `${n.src} NOT IN (SELECT ${n.rowId} FROM ${n.phys} WHERE ${n.rowId} <= ${top})`;
