/**
 * Snowflake types ↔ DuckDB types. VARIANT/OBJECT/ARRAY are stored as DuckDB JSON; TIMESTAMP_TZ is stored
 * as TIMESTAMPTZ (an instant), so a per-row offset is not preserved (documented deviation).
 */
import type { SfType } from '../../../core/types/snowflake-type.js';
import type { ResultTypeName } from '../../../core/result.js';

export function duckDbTypeFor(t: SfType): string {
  switch (t.kind) {
    case 'NUMBER':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'FLOAT':
      return 'DOUBLE';
    case 'VARCHAR':
      return 'VARCHAR';
    case 'BINARY':
      return 'BLOB';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    case 'TIME':
      return 'TIME';
    case 'TIMESTAMP_NTZ':
      return 'TIMESTAMP';
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return 'TIMESTAMPTZ';
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return 'JSON';
  }
}

/**
 * A column's type with its storage. DuckDB bit-packs DECIMALs wider than 18 digits (128-bit integers, so
 * NUMBER(38,0), Snowflake's default for NUMBER and INT) and unpacks them ~50× slower than 64-bit ones — a scan of
 * 3M values took 424 ms instead of 9 ms uncompressed (DuckDB 1.5). Every stream read, SCD apply and join on a key
 * column scans them, so they are stored uncompressed (16 bytes a value).
 */
export function duckDbColumnType(t: SfType, options: { readByKey?: boolean } = {}): string {
  const type = duckDbTypeFor(t);
  if (t.kind === 'NUMBER' && t.precision > 18) return `${type} USING COMPRESSION uncompressed`;
  // A table read through its clustering key's index fetches rows one by one. DuckDB picks FSST for most text, and
  // an FSST row costs ~30 µs a column to fetch (its decoder is set up per row): 288 logged events of 16 late keys,
  // 7 text columns, took 15 ms at 3M events, 3 ms with dictionary encoding (docs/status.md, session 9).
  if (options.readByKey && t.kind === 'VARCHAR') return `${type} USING COMPRESSION dictionary`;
  return type;
}

export interface SfResultType {
  type: ResultTypeName;
  precision?: number;
  scale?: number;
}

const INTEGER_TYPES = new Set([
  'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT',
  'INT1', 'INT2', 'INT4', 'INT8', 'INT', 'INT128',
]);
const FLOAT_TYPES = new Set(['DOUBLE', 'FLOAT', 'REAL', 'FLOAT4', 'FLOAT8']);
const TEXT_TYPES = new Set(['VARCHAR', 'UUID', 'BIT', 'INTERVAL', 'ENUM', 'CHAR', 'TEXT', 'STRING']);

/** Map a DuckDB result column type (as `String(columnType)` prints it) to Snowflake result metadata. */
export function sfResultTypeFromDuckDb(duckTypeText: string): SfResultType {
  const text = duckTypeText.trim().toUpperCase();
  // Nested DuckDB values surface as semi-structured Snowflake values.
  if (text.endsWith(']')) return { type: 'ARRAY' };
  if (text.startsWith('STRUCT') || text.startsWith('MAP') || text.startsWith('UNION')) return { type: 'OBJECT' };
  if (INTEGER_TYPES.has(text)) return { type: 'NUMBER', precision: 38, scale: 0 };
  const dec = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(text);
  if (dec) return { type: 'NUMBER', precision: Number(dec[1]), scale: Number(dec[2]) };
  if (text === 'DECIMAL' || text === 'NUMERIC') return { type: 'NUMBER', precision: 18, scale: 3 };
  if (FLOAT_TYPES.has(text)) return { type: 'FLOAT' };
  if (TEXT_TYPES.has(text) || text.startsWith('VARCHAR') || text.startsWith('ENUM(')) return { type: 'TEXT' };
  if (text === 'BOOLEAN' || text === 'BOOL') return { type: 'BOOLEAN' };
  if (text === 'DATE') return { type: 'DATE' };
  if (text === 'TIME' || text === 'TIME WITH TIME ZONE' || text === 'TIMETZ') return { type: 'TIME' };
  if (text === 'TIMESTAMP WITH TIME ZONE' || text === 'TIMESTAMPTZ') return { type: 'TIMESTAMP_LTZ' };
  if (text.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP_NTZ' };
  if (text === 'JSON') return { type: 'VARIANT' };
  if (text === 'BLOB' || text === 'BYTEA') return { type: 'BINARY' };
  return { type: 'TEXT' };
}

/**
 * Same, from a `@duckdb/node-api` column type object. JSON is an alias type: `String(type)` prints
 * `VARCHAR`, only `type.alias` says `JSON` — so VARIANT columns must be mapped through this function.
 */
export function sfResultTypeOfColumnType(type: { alias?: string; toString(): string }): SfResultType {
  return sfResultTypeFromDuckDb(type.alias ?? String(type));
}
