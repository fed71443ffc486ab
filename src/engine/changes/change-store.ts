/**
 * Physical layout of change tracking (all in the warehouse's internal schema, so it commits with the data):
 *
 * - A tracked table's rows live in a base table `_floe.t_<id>` with three hidden columns: a row id (stable
 *   across updates, METADATA$ROW_ID), the version that wrote the row's current values, and the version
 *   that created the row. The table's own physical name becomes a view over the user columns, so queries,
 *   existing views and SELECT * never see the hidden columns.
 * - Before a statement updates or deletes rows, their current images go to `_floe.t_<id>_log` with the
 *   version that ended them. The table as of any version V is then
 *   (base rows with version ≤ V) ∪ (log images with version ≤ V < end) — all a stream needs.
 * - `_floe.commits` records each committed version; `_floe.stream_offsets` holds stream offsets (updated
 *   in the consuming statement's transaction).
 */
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { ColumnSpec, WarehouseDialect } from '../../core/ports/warehouse.js';
import type { SfType } from '../../core/types/snowflake-type.js';
import { METADATA_SCHEMA } from '../metadata-store.js';

export const ROW_ID = 'FLOE$ROW_ID';
export const VERSION = 'FLOE$VERSION';
export const CREATED = 'FLOE$CREATED';
export const END = 'FLOE$END';

const BIGINT: SfType = { kind: 'NUMBER', precision: 18, scale: 0 };

export interface ChangeTables {
  commits: string;
  offsets: string;
  rowIds: string;
}

export function changeTables(d: WarehouseDialect): ChangeTables {
  const q = (n: string): string => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent(n)}`;
  return { commits: q('commits'), offsets: q('stream_offsets'), rowIds: `${METADATA_SCHEMA}.row_ids` };
}

export function bootstrapChangeTablesSql(d: WarehouseDialect): string[] {
  const t = changeTables(d);
  return [
    d.changeTracking.createSequence(t.rowIds),
    `CREATE TABLE IF NOT EXISTS ${t.commits} (version BIGINT NOT NULL, committed_ms BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.offsets} (stream_id VARCHAR NOT NULL, table_id VARCHAR NOT NULL,
       offset_version BIGINT NOT NULL, initial_pending BOOLEAN NOT NULL, last_read_ms BIGINT NOT NULL)`,
  ];
}

export interface TrackedNames {
  /** Quoted base table (user columns + hidden columns). */
  base: string;
  /** Quoted log table (base columns + END). */
  log: string;
  /** Quoted view at the table's own physical name. */
  view: string;
}

export function trackedNames(d: WarehouseDialect, def: TableDef): TrackedNames {
  if (def.id === undefined) throw new Error(`table ${def.name} has no id`);
  const q = (n: string): string => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent(n)}`;
  return { base: q(`t_${def.id}`), log: q(`t_${def.id}_log`), view: d.physicalTable(def.database, def.schema, def.name) };
}

function hiddenSpecs(d: WarehouseDialect, rowIds: string): ColumnSpec[] {
  const version = d.changeTracking.currentVersion;
  return [
    { name: ROW_ID, type: BIGINT, nullable: false, defaultSql: d.changeTracking.nextRowId(rowIds) },
    // NOT NULL: a write path that forgot to set the connection's version fails instead of losing changes.
    { name: VERSION, type: BIGINT, nullable: false, defaultSql: version },
    { name: CREATED, type: BIGINT, nullable: false, defaultSql: version },
  ];
}

export const userColumnList = (d: WarehouseDialect, def: TableDef): string => def.columns.map((c) => d.quoteIdent(c.name)).join(', ');
const hiddenList = (d: WarehouseDialect): string => [ROW_ID, VERSION, CREATED].map(d.quoteIdent).join(', ');

export function viewSql(d: WarehouseDialect, def: TableDef, names = trackedNames(d, def)): string {
  return `CREATE OR REPLACE VIEW ${names.view} AS SELECT ${userColumnList(d, def)} FROM ${names.base}`;
}

/**
 * Turn a plain table into tracked storage, keeping its rows (they get version 0: present before any
 * stream could exist). `userSpecs` are the table's columns with backend defaults.
 */
export function enableTrackingSql(d: WarehouseDialect, def: TableDef, userSpecs: readonly ColumnSpec[]): string[] {
  const n = trackedNames(d, def);
  const tables = changeTables(d);
  const cols = userColumnList(d, def);
  const logSpecs: ColumnSpec[] = [
    ...userSpecs.map((s) => ({ name: s.name, type: s.type, nullable: true })),
    ...hiddenSpecs(d, tables.rowIds).map((s) => ({ name: s.name, type: s.type, nullable: false })),
    { name: END, type: BIGINT, nullable: false },
  ];
  return [
    d.createTable(n.base, [...userSpecs, ...hiddenSpecs(d, tables.rowIds)], false),
    d.createTable(n.log, logSpecs, false),
    `INSERT INTO ${n.base} (${cols}, ${d.quoteIdent(VERSION)}, ${d.quoteIdent(CREATED)}) SELECT ${cols}, 0, 0 FROM ${n.view}`,
    `DROP TABLE ${n.view}`,
    viewSql(d, def, n),
  ];
}

/** Back to a plain table (ALTER TABLE … SET CHANGE_TRACKING = FALSE): history is gone, streams go stale. */
export function disableTrackingSql(d: WarehouseDialect, def: TableDef, userSpecs: readonly ColumnSpec[]): string[] {
  const n = trackedNames(d, def);
  const cols = userColumnList(d, def);
  return [
    `DROP VIEW ${n.view}`,
    d.createTable(n.view, userSpecs, false),
    `INSERT INTO ${n.view} (${cols}) SELECT ${cols} FROM ${n.base}`,
    `DROP TABLE ${n.base}`,
    `DROP TABLE ${n.log}`,
  ];
}

/** Drop everything physical of a tracked table (its view may already be gone with its schema). */
export function dropTrackedSql(d: WarehouseDialect, def: TableDef, viewToo: boolean): string[] {
  const n = trackedNames(d, def);
  return [...(viewToo ? [`DROP VIEW IF EXISTS ${n.view}`] : []), `DROP TABLE IF EXISTS ${n.base}`, `DROP TABLE IF EXISTS ${n.log}`];
}

/** Copy the current images of base rows matched by `rowFilter` (over alias `b`) into the log, ended at `version`. */
export function captureSql(d: WarehouseDialect, def: TableDef, version: number, rowFilter: string): string {
  const n = trackedNames(d, def);
  const cols = `${userColumnList(d, def)}, ${hiddenList(d)}`;
  // Rows this transaction already wrote carry its own version: their earlier images were never visible.
  return `INSERT INTO ${n.log} (${cols}, ${d.quoteIdent(END)}) SELECT ${cols}, ${version} FROM ${n.base} AS b
    WHERE b.${d.quoteIdent(VERSION)} < ${version} AND (${rowFilter})`;
}
