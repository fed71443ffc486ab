/**
 * The SQL that reads a stream: the net change of a tracked table between two versions (reference §1.4),
 * computed set-based in the warehouse from the base table and its log of ended row images.
 *
 * State(V) = base rows with version ≤ V  ∪  log images with version ≤ V < end. For offset V0 and "now" V1:
 * - INSERT rows: images current at V1 that began after V0 (new rows, or new values of updated rows);
 * - DELETE rows: images current at V0 that ended by V1 (deleted rows, or old values of updated rows);
 * - a row id on both sides is an update: both halves get METADATA$ISUPDATE = TRUE and the same ROW_ID.
 * METADATA$ROW_ID is the table id (16 hex digits) followed by the row's decimal number.
 * Append-only streams return each row created after V0 with the values it was created with.
 */
import type { StreamMode } from '../catalog/catalog-model.js';

export interface TrackedSource {
  /** Quoted base and log tables. */
  base: string;
  log: string;
  /** Quoted user column names, in table order. */
  columns: string[];
  /** Quoted hidden column names. */
  rowId: string;
  version: string;
  created: string;
  end: string;
  /** 16 hex digits identifying the table: prefix of METADATA$ROW_ID, so ids are equal across streams. */
  tableHex: string;
}

export interface StreamInterval {
  /** Offset version; -1 reads the whole table as inserts (SHOW_INITIAL_ROWS before the first consumption). */
  from: number;
  to: number;
}

const int = (n: number): string => String(Math.trunc(n));

// Table prefix + decimal row number: unique, stable and equal across streams; cheap to build (padding or
// hex formatting costs more than the rest of a 1M-row read).
function rowIdSql(s: TrackedSource, alias: string): string {
  return `'${s.tableHex}' || CAST(CAST(${alias}.${s.rowId} AS BIGINT) AS VARCHAR)`;
}

function projection(s: TrackedSource, alias: string, action: 'INSERT' | 'DELETE', isUpdate: string): string {
  const cols = s.columns.map((c) => `${alias}.${c}`).join(', ');
  return `${cols}, '${action}' AS "METADATA$ACTION", ${isUpdate} AS "METADATA$ISUPDATE", ${rowIdSql(s, alias)} AS "METADATA$ROW_ID"`;
}

export function netChangesSql(s: TrackedSource, mode: StreamMode, iv: StreamInterval): string {
  const v0 = int(iv.from);
  const v1 = int(iv.to);
  const cols = [...s.columns, s.rowId, s.created].join(', ');
  if (mode === 'APPEND_ONLY') {
    const created = (t: string): string =>
      `SELECT ${projection(s, 'x', 'INSERT', 'FALSE')} FROM ${t} AS x WHERE x.${s.created} > ${v0} AND x.${s.created} <= ${v1} AND x.${s.version} = x.${s.created}`;
    return `${created(s.base)} UNION ALL ${created(s.log)}`;
  }
  const ins = `SELECT ${cols} FROM ${s.base} WHERE ${s.version} > ${v0} AND ${s.version} <= ${v1}
    UNION ALL SELECT ${cols} FROM ${s.log} WHERE ${s.version} > ${v0} AND ${s.version} <= ${v1} AND ${s.end} > ${v1}`;
  const del = `SELECT ${cols} FROM ${s.log} WHERE ${s.version} <= ${v0} AND ${s.end} > ${v0} AND ${s.end} <= ${v1}`;
  // An INSERT image of a row created at or before the offset is the new half of an update (the row existed
  // at V0, so its V0 image is on the DELETE side); a DELETE image is an update's old half when the row still
  // has an image at V1 — only updated rows (created ≤ V0) can, so the lookup set stays small.
  return `WITH floe_ins AS (${ins}), floe_del AS (${del})
    SELECT ${projection(s, 'i', 'INSERT', `(i.${s.created} <= ${v0})`)} FROM floe_ins AS i
    UNION ALL
    SELECT ${projection(s, 'd', 'DELETE', `(d.${s.rowId} IN (SELECT ${s.rowId} FROM floe_ins WHERE ${s.created} <= ${v0}))`)} FROM floe_del AS d`;
}

/** TRUE when anything changed in the interval (no false negatives; inserts-then-deletes give TRUE). */
export function hasChangesSql(s: TrackedSource, iv: StreamInterval): string {
  const v0 = int(iv.from);
  const v1 = int(iv.to);
  return `SELECT (EXISTS (SELECT 1 FROM ${s.base} WHERE ${s.version} > ${v0} AND ${s.version} <= ${v1})
    OR EXISTS (SELECT 1 FROM ${s.log} WHERE ${s.end} > ${v0} AND ${s.end} <= ${v1})) AS has_data`;
}

/** Log images no stream can need any more: they ended at or before the oldest offset. */
export function compactLogSql(s: TrackedSource, oldestOffset: number): string {
  return `DELETE FROM ${s.log} WHERE ${s.end} <= ${int(oldestOffset)}`;
}
