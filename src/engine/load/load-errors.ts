/**
 * Row errors of past loads (`_floe.load_errors`), written in the load's transaction: what VALIDATE(t, JOB_ID)
 * and VALIDATE_PIPE_LOAD return, and what VALIDATION_MODE = RETURN_ERRORS computes without keeping.
 * Columns follow reference §4.7: ERROR, FILE, LINE, CHARACTER, BYTE_OFFSET, CATEGORY, CODE, SQL_STATE,
 * COLUMN_NAME, ROW_NUMBER, ROW_START_LINE, REJECTED_RECORD.
 */
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { METADATA_SCHEMA } from '../metadata-store.js';
import type { ErrorExprs } from './copy-sql.js';

export const loadErrorsTable = (d: WarehouseDialect): string => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('load_errors')}`;

export async function ensureLoadErrors(conn: WarehouseConnection, d: WarehouseDialect): Promise<void> {
  await conn.execute(
    `CREATE TABLE IF NOT EXISTS ${loadErrorsTable(d)} (job_id VARCHAR NOT NULL, table_key VARCHAR NOT NULL, pipe_id VARCHAR, error_time TIMESTAMPTZ NOT NULL, ` +
      `error VARCHAR, file VARCHAR, line BIGINT, "character" BIGINT, byte_offset BIGINT, category VARCHAR, code BIGINT, sql_state VARCHAR, ` +
      `column_name VARCHAR, row_number BIGINT, row_start_line BIGINT, rejected_record VARCHAR)`,
  );
}

/** The error rows of one file's raw table, in the column order of the error result (without job columns). */
export function errorRowsSql(d: WarehouseDialect, raw: string, err: ErrorExprs, file: string, rawColumns: readonly string[], delimiter: string | null): string {
  const record = rawColumns.length ? `concat_ws(${d.quoteString(delimiter ?? '')}, ${rawColumns.join(', ')})` : 'NULL';
  return (
    `SELECT ${err.message} AS "ERROR", ${d.quoteString(file)} AS "FILE", l AS "LINE", ${err.character} AS "CHARACTER", NULL::BIGINT AS "BYTE_OFFSET", ` +
    `CASE WHEN perr IS NOT NULL THEN 'parsing' ELSE 'conversion' END AS "CATEGORY", (${err.code})::BIGINT AS "CODE", ` +
    `CASE WHEN (${err.code}) = 100038 THEN '22018' ELSE '22000' END AS "SQL_STATE", ${err.column} AS "COLUMN_NAME", r AS "ROW_NUMBER", l AS "ROW_START_LINE", ` +
    `${record} AS "REJECTED_RECORD" FROM ${raw} WHERE (${err.message}) IS NOT NULL`
  );
}

export async function recordErrors(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  job: { jobId: string; tableKey: string; pipeId: string | undefined },
  rowsSql: string,
): Promise<void> {
  await conn.query(`INSERT INTO ${loadErrorsTable(d)} SELECT ?, ?, ?, now(), * FROM (${rowsSql})`, [job.jobId, job.tableKey, job.pipeId ?? null]);
}

/** A file-level failure (corrupt gzip, invalid UTF-8) as one error row. */
export async function recordFileError(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  job: { jobId: string; tableKey: string; pipeId: string | undefined },
  file: string,
  error: { message: string; code: number },
): Promise<void> {
  await conn.query(`INSERT INTO ${loadErrorsTable(d)} VALUES (?, ?, ?, now(), ?, ?, 1, 1, NULL, 'parsing', ?, '22000', NULL, 1, 1, NULL)`, [
    job.jobId, job.tableKey, job.pipeId ?? null, error.message, file, error.code,
  ]);
}

export function validateJobSql(d: WarehouseDialect, where: string): string {
  return (
    `SELECT e.error AS "ERROR", e.file AS "FILE", e.line AS "LINE", e."character" AS "CHARACTER", e.byte_offset AS "BYTE_OFFSET", e.category AS "CATEGORY", ` +
    `e.code AS "CODE", e.sql_state AS "SQL_STATE", e.column_name AS "COLUMN_NAME", e.row_number AS "ROW_NUMBER", e.row_start_line AS "ROW_START_LINE", ` +
    `e.rejected_record AS "REJECTED_RECORD" FROM ${loadErrorsTable(d)} e WHERE ${where} ORDER BY e.error_time, e.file, e.row_number`
  );
}
