/**
 * The lines `POST /v1/sql` streams, one per statement:
 * - `json` (default): exactly what `floe sql --format json` prints (DESIGN.md §3), built by the same functions;
 * - `typed`: the statement outcome itself — column metadata and floe values, losslessly — so a remote
 *   `floe sql` formats it with its own table/csv/json formatters and prints what a local run prints.
 *   JSON has no bigint and no NaN/±Infinity, so those values travel tagged: `{"$n": "123…"}` for a bigint,
 *   `{"$f": "NaN" | "inf" | "-inf"}` for a non-finite float (floe values are never objects, so tags cannot clash).
 * A line with `"fatal": true` means the engine threw instead of yielding a failure: nothing more comes.
 */
import { FloeError, type ErrorCode, type ErrorLocation } from '../core/errors.js';
import type { FloeValue, StatementResult } from '../core/result.js';
import type { StatementOutcome } from '../engine/engine-api.js';
import { errorReport } from '../cli/format/errors.js';
import { failureJsonLine, resultJsonLine } from '../cli/format/formatters.js';

export type WireFormat = 'json' | 'typed';
export const WIRE_FORMATS: readonly WireFormat[] = ['json', 'typed'];

export interface FailureLine {
  statement: number;
  sql: string;
  error: unknown;
  file?: string;
  fatal?: boolean;
}

export function resultLine(result: StatementResult, format: WireFormat): string {
  if (format === 'json') return resultJsonLine(result);
  return JSON.stringify({ statement: result.statement, sql: result.sql, queryId: result.queryId, columns: result.columns, rows: result.rows, rowsAffected: result.rowsAffected }, encodeValue);
}

export function failureLine(failure: FailureLine, format: WireFormat): string {
  if (format === 'json') {
    const line = failureJsonLine(failure);
    return failure.fatal ? `${line.slice(0, -1)},"fatal":true}` : line;
  }
  const report = errorReport(failure.error);
  return JSON.stringify({ statement: failure.statement, sql: failure.sql, error: report, ...(failure.fatal ? { fatal: true } : {}) });
}

function encodeValue(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $n: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $f: Number.isNaN(value) ? 'NaN' : value > 0 ? 'inf' : '-inf' };
  return value;
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'SQL_SYNTAX', 'SQL_COMPILATION', 'OBJECT_NOT_FOUND', 'OBJECT_EXISTS', 'UNSUPPORTED', 'SQL_EXECUTION', 'NONDETERMINISTIC_MERGE',
  'NOT_NULL_VIOLATION', 'TRANSACTION', 'CONFIG', 'FLOW', 'CONFLICT', 'STORAGE', 'WAREHOUSE_FAILED', 'INTERNAL',
]);

/** A FloeError as the server reported it (unknown codes, e.g. from a newer server, become INTERNAL). */
export function errorFromReport(report: { code?: unknown; message?: unknown; location?: unknown }): FloeError {
  const code = typeof report.code === 'string' && ERROR_CODES.has(report.code) ? (report.code as ErrorCode) : 'INTERNAL';
  const message = typeof report.message === 'string' ? report.message : 'error without a message';
  const location = report.location !== null && typeof report.location === 'object' ? (report.location as ErrorLocation) : undefined;
  return new FloeError(code, message, location ? { location } : undefined);
}

export interface DecodedLine {
  outcome: StatementOutcome;
  fatal: boolean;
}

/** Parses one `typed` line back into the outcome the server's session yielded. */
export function decodeTypedLine(line: string): DecodedLine {
  const raw = JSON.parse(line, decodeValue) as Record<string, unknown>;
  const statement = Number(raw.statement);
  const sql = String(raw.sql ?? '');
  if (raw.error !== undefined) {
    return { outcome: { ok: false, statement, sql, error: errorFromReport(raw.error as Record<string, unknown>) }, fatal: raw.fatal === true };
  }
  const result: StatementResult = {
    statement,
    sql,
    queryId: String(raw.queryId ?? ''),
    columns: raw.columns as StatementResult['columns'],
    rows: raw.rows as FloeValue[][],
    ...(typeof raw.rowsAffected === 'number' ? { rowsAffected: raw.rowsAffected } : {}),
  };
  return { outcome: { ok: true, result }, fatal: false };
}

function decodeValue(this: unknown, _key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$n === 'string') return BigInt(o.$n);
    if (keys.length === 1 && typeof o.$f === 'string') return o.$f === 'NaN' ? Number.NaN : o.$f === 'inf' ? Infinity : -Infinity;
  }
  return value;
}
