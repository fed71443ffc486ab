/**
 * One COPY's files as a batch: all of them are read into one raw table (file number `f`), checked with one
 * grouped query, their errors recorded and their good rows inserted with one statement each. Per-file
 * decisions (ON_ERROR, statuses, first error) are Snowflake's, in file order.
 */
import { executionError } from '../../core/errors.js';
import type { FileFormat } from '../../core/load/file-format.js';
import type { ObjectInfo, ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import type { FloeValue } from '../../core/result.js';
import type { ErrorExprs } from './copy-sql.js';
import { FAST_PATH_MIN_BYTES, tryFastRead, type FastPath } from './csv-fast-path.js';
import { errorRowsSql, recordErrors, recordFileError } from './load-errors.js';
import { createRawTable, type RawShape } from './raw-table.js';
import { readCsvIntoRaw, type ReadResult } from './stage-file-reader.js';
import { readJsonIntoRaw, type Probe } from './json-reader.js';
import { readParquetIntoRaw } from './parquet-reader.js';

export type OnError = { mode: 'ABORT_STATEMENT' } | { mode: 'CONTINUE' } | { mode: 'SKIP_FILE'; limit: number; percent: boolean };

export interface ReadOptions {
  /** Try the DuckDB CSV fast path first (only outside a transaction: a refused read must not abort one). */
  fastPath: boolean;
  /** A side connection's check of the engine's reads (inside an explicit transaction). */
  probe?: Probe;
  /** Read at most this many records (VALIDATION_MODE = RETURN_<n>_ROWS). */
  limitRows?: number;
  /** The CSV fast paths to try (default: all). */
  fastPaths?: readonly FastPath[];
}

/** Reads one file into the raw table with the reader of its format; its rows get f = fileNo. */
export async function readFileIntoRaw(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  store: ObjectStore,
  info: ObjectInfo,
  format: FileFormat,
  shape: RawShape,
  fileNo: number,
  o: ReadOptions,
): Promise<ReadResult> {
  const opts = { ...(o.probe ? { probe: o.probe } : {}), ...(o.limitRows !== undefined ? { limitRows: o.limitRows } : {}) };
  if (format.type === 'JSON') return readJsonIntoRaw(conn, d, raw, store, info.key, format, fileNo, opts);
  if (format.type === 'PARQUET') return readParquetIntoRaw(conn, d, raw, store, info.key, format, fileNo, opts);
  const path = o.fastPath && o.limitRows === undefined && info.size >= FAST_PATH_MIN_BYTES && store.localPath ? store.localPath(info.key) : undefined;
  const fast = path !== undefined ? await tryFastRead(conn, d, raw, path, format, shape, fileNo, o.fastPaths) : undefined;
  return fast ?? (await readCsvIntoRaw(conn, raw, store, info.key, format, shape, fileNo, o.limitRows));
}

/** Reads every file into a fresh raw table; file i (0-based) gets f = i + 1. */
export async function readBatch(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  store: ObjectStore,
  files: readonly ObjectInfo[],
  format: FileFormat,
  shape: RawShape,
  options: ReadOptions,
): Promise<ReadResult[]> {
  await createRawTable(conn, raw, shape.fields);
  const out: ReadResult[] = [];
  for (const [i, info] of files.entries()) out.push(await readFileIntoRaw(conn, d, raw, store, info, format, shape, i + 1, options));
  return out;
}

export interface FileVerdict {
  rowsParsed: number;
  rowsLoaded: number;
  errorLimit: number;
  errorsSeen: number;
  load: boolean;
  first: [string | null, number | null, number | null, string | null];
}

export interface BatchInput {
  conn: WarehouseConnection;
  d: WarehouseDialect;
  raw: string;
  err: ErrorExprs;
  names: readonly string[];
  reads: readonly ReadResult[];
  onError: OnError;
  job: { jobId: string; tableKey: string; pipeId: string | undefined };
  /** Raw columns concatenated into REJECTED_RECORD. */
  recordColumns: readonly string[];
  delimiter: string | null;
  /** Error rows per file number, when the read already counted them. */
  errorsByFile?: ReadonlyMap<number, number>;
}

/** Counts errors, records them, applies ON_ERROR; throws Snowflake's ABORT_STATEMENT error. */
export async function judgeBatch(b: BatchInput): Promise<FileVerdict[]> {
  const { conn, d, raw, err } = b;
  const errorsByFile = new Map<number, number>(b.errorsByFile ?? []);
  if (!b.errorsByFile) {
    const stats = await conn.query(`SELECT f, count(*) FROM ${raw} WHERE ${err.bad} GROUP BY f`);
    for (const [f, n] of stats.rows) errorsByFile.set(Number(f), Number(n));
  }
  const firsts = new Map<number, FloeValue[]>();
  if (errorsByFile.size > 0) {
    const fileSql = `CASE f ${b.names.map((n, i) => `WHEN ${i + 1} THEN ${d.quoteString(n)}`).join(' ')} END`;
    const withRowErrors = b.reads.flatMap((r, i) => (r.fileError ? [] : [i + 1]));
    const only = (sql: string) => `SELECT * FROM (${sql}) WHERE __f IN (${withRowErrors.join(', ') || 'NULL'})`;
    const rowsSql = errorRowsSql(d, raw, err, { sql: fileSql }, b.recordColumns, b.delimiter, '__f');
    await recordErrors(conn, d, b.job, `SELECT * EXCLUDE (__f) FROM (${only(rowsSql)})`);
    const f = await conn.query(
      `SELECT f, m, l, c, col, r FROM (SELECT f, ${err.message} AS m, l, ${err.character} AS c, ${err.column} AS col, r, ` +
        `row_number() OVER (PARTITION BY f ORDER BY r) AS k FROM ${raw} WHERE (${err.message}) IS NOT NULL) WHERE k = 1`,
    );
    for (const row of f.rows) firsts.set(Number(row[0]), row.slice(1));
  }
  const { onError } = b;
  const out: FileVerdict[] = [];
  for (const [i, read] of b.reads.entries()) {
    const name = b.names[i]!;
    let parsed = read.records;
    let errors = 0;
    let first: FileVerdict['first'] = [null, null, null, null];
    if (read.fileError) {
      await recordFileError(conn, d, b.job, name, read.fileError);
      if (onError.mode === 'ABORT_STATEMENT') throw executionError(`${read.fileError.message}\n  File '${name}'`);
      errors = 1;
      parsed = Math.max(parsed, 1);
      first = [read.fileError.message, 1, 1, null];
    } else {
      errors = errorsByFile.get(i + 1) ?? 0;
      if (errors > 0) {
        const [m, l, c, colName, r] = firsts.get(i + 1)!;
        first = [m as string, Number(l), Number(c), colName as string | null];
        if (onError.mode === 'ABORT_STATEMENT') {
          const row = Number(r) === Number(l) ? `Row ${r}` : `Row ${r} starts at line ${l}`;
          const rowText = colName === null ? row : `${row}, column ${colName}`;
          throw executionError(
            `${m}\n  File '${name}', line ${l}, character ${c}\n  ${rowText}\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.`,
          );
        }
      }
    }
    let skip = false;
    let errorLimit = 1;
    if (onError.mode === 'CONTINUE') errorLimit = parsed;
    if (onError.mode === 'SKIP_FILE') {
      errorLimit = onError.percent ? Math.ceil((parsed * onError.limit) / 100) : onError.limit;
      skip = onError.percent ? errors > 0 && (errors * 100) / Math.max(parsed, 1) > onError.limit : errors >= onError.limit;
    }
    const load = !skip && !read.fileError;
    out.push({ rowsParsed: parsed, rowsLoaded: load ? parsed - errors : 0, errorLimit, errorsSeen: errors, load, first });
  }
  return out;
}

/** The WHERE of the batch's single INSERT: the loaded files, without their bad rows. */
export function loadFilter(verdicts: readonly FileVerdict[], err: ErrorExprs): string | undefined {
  const files = verdicts.flatMap((v, i) => (v.load ? [i + 1] : []));
  if (files.length === 0) return undefined;
  const anyErrors = verdicts.some((v) => v.load && v.errorsSeen > 0);
  const all = files.length === verdicts.length;
  const parts = [...(all ? [] : [`f IN (${files.join(', ')})`]), ...(anyErrors ? [`${err.bad} IS NOT TRUE`] : [])];
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}
