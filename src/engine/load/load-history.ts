/**
 * Per-table bulk load history (reference §3.3): a file counts as loaded by name + checksum for 64 days;
 * TRUNCATE clears a table's history; FORCE ignores it. Kept in the warehouse (`_floe.load_history`) and
 * written in the COPY's transaction, so the rows and the record of loading them commit together.
 */
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { METADATA_SCHEMA } from '../metadata-store.js';

export interface FileOutcome {
  file: string;
  /** Path relative to the stage root (COPY_HISTORY FILE_NAME, the pipe history identity). */
  path: string;
  /** Stage location the path is relative to (COPY_HISTORY STAGE_LOCATION). */
  stageLocation: string;
  fileId: string;
  etag: string;
  size: number;
  status: 'LOADED' | 'LOAD_FAILED' | 'PARTIALLY_LOADED';
  rowsParsed: number;
  rowsLoaded: number;
  errorLimit: number;
  errorsSeen: number;
  firstError: string | null;
  firstErrorLine: number | null;
  firstErrorCharacter: number | null;
  firstErrorColumn: string | null;
}

export const HISTORY_DAYS = 64;

const historyTable = (d: WarehouseDialect) => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('load_history')}`;

export async function ensureLoadHistory(conn: WarehouseConnection, d: WarehouseDialect): Promise<void> {
  await conn.execute(
    `CREATE TABLE IF NOT EXISTS ${historyTable(d)} (table_key VARCHAR NOT NULL, file_id VARCHAR NOT NULL, file_name VARCHAR NOT NULL, etag VARCHAR NOT NULL, ` +
      `last_load_time TIMESTAMPTZ NOT NULL, status VARCHAR NOT NULL, row_parsed BIGINT, row_count BIGINT, file_size BIGINT, error_count BIGINT, ` +
      `error_limit BIGINT, first_error VARCHAR, first_error_line BIGINT, first_error_character BIGINT, first_error_column_name VARCHAR, pipe_name VARCHAR, job_id VARCHAR)`,
  );
  // Columns added for COPY_HISTORY and pipes; warehouses created before them get them here.
  // table_created: the table's creation instant, so a re-created table starts with no bulk history (§3.3).
  for (const col of ['stage_location VARCHAR', 'file_path VARCHAR', 'pipe_id VARCHAR', 'pipe_received_time TIMESTAMPTZ', 'table_created VARCHAR']) {
    await conn.execute(`ALTER TABLE ${historyTable(d)} ADD COLUMN IF NOT EXISTS ${col}`);
  }
}

/** The pipe a load ran for (pipe loads are kept out of the table's bulk history). */
export interface PipeLoadInfo {
  /** Fully qualified pipe name, `DB.SCHEMA.PIPE`. */
  name: string;
  pipeId: string;
  /** When the pipe queued each file, by path. */
  receivedMs: ReadonlyMap<string, number>;
}

/** Rows of loads into this generation of the table (rows from before the column existed count for any). */
const generation = `(table_created IS NULL OR table_created = ?)`;

export async function loadedBefore(conn: WarehouseConnection, d: WarehouseDialect, tableKey: string, fileId: string, etag: string, tableCreated: string): Promise<boolean> {
  const r = await conn.query(
    `SELECT 1 FROM ${historyTable(d)} WHERE table_key = ? AND file_id = ? AND etag = ? AND pipe_name IS NULL AND status IN ('LOADED', 'PARTIALLY_LOADED') ` +
      `AND last_load_time > now() - INTERVAL ${HISTORY_DAYS} DAY AND ${generation} LIMIT 1`,
    [tableKey, fileId, etag, tableCreated],
  );
  return r.rows.length > 0;
}

/** Every file (`fileId` + NUL + etag) the table's bulk history counts as loaded: one query per COPY. */
export async function loadedFiles(conn: WarehouseConnection, d: WarehouseDialect, tableKey: string, tableCreated: string): Promise<Set<string>> {
  const r = await conn.query(
    `SELECT DISTINCT file_id, etag FROM ${historyTable(d)} WHERE table_key = ? AND pipe_name IS NULL AND status IN ('LOADED', 'PARTIALLY_LOADED') ` +
      `AND last_load_time > now() - INTERVAL ${HISTORY_DAYS} DAY AND ${generation}`,
    [tableKey, tableCreated],
  );
  return new Set(r.rows.map(([f, e]) => `${String(f)}\u0000${String(e)}`));
}

export async function recordLoads(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  table: { key: string; created: string },
  outcomes: readonly FileOutcome[],
  jobId: string,
  pipe: PipeLoadInfo | undefined,
): Promise<void> {
  const tableKey = table.key;
  const cols =
    'table_key, file_id, file_name, etag, last_load_time, status, row_parsed, row_count, file_size, error_count, error_limit, first_error, ' +
    'first_error_line, first_error_character, first_error_column_name, pipe_name, job_id, stage_location, file_path, pipe_id, table_created, pipe_received_time';
  // One multi-row INSERT per load (a pipe batch of 200 small files is one statement, not 200).
  for (let start = 0; start < outcomes.length; start += 500) {
    const chunk = outcomes.slice(start, start + 500);
    const params: (string | number | null)[] = [];
    const values = chunk.map((o) => {
      const received = pipe?.receivedMs.get(o.path);
      params.push(
        tableKey, o.fileId, o.file, o.etag, o.status, o.rowsParsed, o.rowsLoaded, o.size, o.errorsSeen, o.errorLimit,
        o.firstError, o.firstErrorLine, o.firstErrorCharacter, o.firstErrorColumn, pipe?.name ?? null, jobId, o.stageLocation, o.path, pipe?.pipeId ?? null,
        table.created,
      );
      return `(?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${received === undefined ? 'NULL' : `to_timestamp(${Math.trunc(received)} / 1000.0)`})`;
    });
    await conn.query(`INSERT INTO ${historyTable(d)} (${cols}) VALUES ${values.join(', ')}`, params);
  }
}

export const loadHistoryTable = historyTable;

/** TRUNCATE TABLE resets the table's bulk load history (pipe history is kept, as in Snowflake). */
export async function clearLoadHistory(conn: WarehouseConnection, d: WarehouseDialect, tableKey: string): Promise<void> {
  await ensureLoadHistory(conn, d);
  await conn.query(`DELETE FROM ${historyTable(d)} WHERE table_key = ? AND pipe_name IS NULL`, [tableKey]);
}
