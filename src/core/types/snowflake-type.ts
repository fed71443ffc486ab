/**
 * The Snowflake data type model: parsing every spelling Snowflake accepts (and the spellings the
 * polyglot printer produces for them), the canonical text DESCRIBE TABLE shows, and the result
 * column metadata a query reports.
 */
import { compilationError } from '../errors.js';
import type { ResultTypeName } from '../result.js';

export type TimestampKind = 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';

export type SfType =
  | { kind: 'NUMBER'; precision: number; scale: number }
  | { kind: 'FLOAT' }
  | { kind: 'VARCHAR'; length: number }
  | { kind: 'BINARY'; length: number }
  | { kind: 'BOOLEAN' }
  | { kind: 'DATE' }
  | { kind: 'TIME'; precision: number }
  | { kind: TimestampKind; precision: number }
  | { kind: 'VARIANT' }
  | { kind: 'OBJECT' }
  | { kind: 'ARRAY' };

export const MAX_VARCHAR_LENGTH = 16_777_216;
export const MAX_BINARY_LENGTH = 8_388_608;
const DEFAULT_FRACTIONAL_PRECISION = 9;

const NUMBER_NAMES = new Set(['NUMBER', 'DECIMAL', 'NUMERIC', 'DEC']);
// Integer synonyms are NUMBER(38,0) in Snowflake and accept no (p,s).
const INTEGER_NAMES = new Set(['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT']);
const FLOAT_NAMES = new Set(['FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE', 'DOUBLE PRECISION', 'REAL']);
const VARCHAR_NAMES = new Set([
  'VARCHAR', 'STRING', 'TEXT', 'NVARCHAR', 'NVARCHAR2', 'CHAR VARYING', 'NCHAR VARYING', 'CHARACTER VARYING',
]);
const CHAR_NAMES = new Set(['CHAR', 'CHARACTER', 'NCHAR']);
const BINARY_NAMES = new Set(['BINARY', 'VARBINARY']);
const TIMESTAMP_NAMES: Record<string, TimestampKind> = {
  TIMESTAMP: 'TIMESTAMP_NTZ',
  DATETIME: 'TIMESTAMP_NTZ',
  TIMESTAMP_NTZ: 'TIMESTAMP_NTZ',
  TIMESTAMPNTZ: 'TIMESTAMP_NTZ',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP_NTZ',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
  TIMESTAMPLTZ: 'TIMESTAMP_LTZ',
  'TIMESTAMP WITH LOCAL TIME ZONE': 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_TZ',
  TIMESTAMPTZ: 'TIMESTAMP_TZ',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP_TZ',
};

/** Parse a Snowflake type name (any accepted spelling, case-insensitive). */
export function parseSfType(text: string): SfType {
  const m = /^\s*([A-Za-z_][A-Za-z_0-9 ]*?)\s*(?:\(\s*([^)]*?)\s*\)\s*([A-Za-z ]*?))?\s*$/.exec(text);
  if (!m) throw unsupportedType(text);
  // `TIMESTAMP(3) WITH TIME ZONE` puts the suffix after the parameters.
  const name = `${m[1]} ${m[3] ?? ''}`.trim().replace(/\s+/g, ' ').toUpperCase();
  const params = m[2] === undefined ? [] : m[2].split(',').map((p) => p.trim());
  const ints = params.map((p) => {
    if (!/^\d+$/.test(p)) throw unsupportedType(text);
    return Number(p);
  });
  const noParams = (t: SfType): SfType => {
    if (params.length > 0) throw unsupportedType(text);
    return t;
  };

  if (NUMBER_NAMES.has(name)) {
    if (ints.length > 2) throw unsupportedType(text);
    const precision = ints[0] ?? 38;
    const scale = ints[1] ?? 0;
    if (precision < 1 || precision > 38) {
      throw compilationError(`Unsupported data type '${text}'. Precision must be between 1 and 38.`);
    }
    if (scale < 0 || scale > precision) {
      throw compilationError(`Unsupported data type '${text}'. Scale must be between 0 and the precision ${precision}.`);
    }
    return { kind: 'NUMBER', precision, scale };
  }
  if (INTEGER_NAMES.has(name)) return noParams({ kind: 'NUMBER', precision: 38, scale: 0 });
  if (FLOAT_NAMES.has(name)) {
    // Snowflake accepts FLOAT(p) for portability and ignores p.
    if (ints.length > 1) throw unsupportedType(text);
    return { kind: 'FLOAT' };
  }
  if (VARCHAR_NAMES.has(name) || CHAR_NAMES.has(name)) {
    if (ints.length > 1) throw unsupportedType(text);
    const length = ints[0] ?? (CHAR_NAMES.has(name) ? 1 : MAX_VARCHAR_LENGTH);
    if (length < 1 || length > MAX_VARCHAR_LENGTH) {
      throw compilationError(`Unsupported data type '${text}'. Length must be between 1 and ${MAX_VARCHAR_LENGTH}.`);
    }
    return { kind: 'VARCHAR', length };
  }
  if (BINARY_NAMES.has(name)) {
    if (ints.length > 1) throw unsupportedType(text);
    const length = ints[0] ?? MAX_BINARY_LENGTH;
    if (length < 1 || length > MAX_BINARY_LENGTH) {
      throw compilationError(`Unsupported data type '${text}'. Length must be between 1 and ${MAX_BINARY_LENGTH}.`);
    }
    return { kind: 'BINARY', length };
  }
  if (name === 'BOOLEAN' || name === 'BOOL') return noParams({ kind: 'BOOLEAN' });
  if (name === 'DATE') return noParams({ kind: 'DATE' });
  if (name === 'TIME') return { kind: 'TIME', precision: fractional(ints, text) };
  const ts = TIMESTAMP_NAMES[name];
  if (ts) return { kind: ts, precision: fractional(ints, text) };
  if (name === 'VARIANT' || name === 'JSON') return noParams({ kind: 'VARIANT' });
  if (name === 'OBJECT') return noParams({ kind: 'OBJECT' });
  if (name === 'ARRAY') return noParams({ kind: 'ARRAY' });
  throw unsupportedType(text);
}

function fractional(ints: number[], text: string): number {
  if (ints.length > 1) throw unsupportedType(text);
  const p = ints[0] ?? DEFAULT_FRACTIONAL_PRECISION;
  if (p > 9) throw compilationError(`Unsupported data type '${text}'. Fractional seconds precision must be between 0 and 9.`);
  return p;
}

const unsupportedType = (text: string) => compilationError(`Unsupported data type '${text}'.`);

/** The text DESCRIBE TABLE shows for a column of this type. */
export function formatSfType(t: SfType): string {
  switch (t.kind) {
    case 'NUMBER':
      return `NUMBER(${t.precision},${t.scale})`;
    case 'VARCHAR':
    case 'BINARY':
      return `${t.kind}(${t.length})`;
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return `${t.kind}(${t.precision})`;
    default:
      return t.kind;
  }
}

/** Result column metadata for a value of this type. */
export function resultTypeOf(t: SfType): { type: ResultTypeName; precision?: number; scale?: number } {
  switch (t.kind) {
    case 'NUMBER':
      return { type: 'NUMBER', precision: t.precision, scale: t.scale };
    case 'VARCHAR':
      return { type: 'TEXT' };
    default:
      return { type: t.kind };
  }
}
