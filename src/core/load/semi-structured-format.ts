/**
 * TYPE = JSON and TYPE = PARQUET file format options with Snowflake's names and defaults (CREATE FILE FORMAT
 * documentation; the reference §4 lists only CSV's). Options floe cannot honour are refused with
 * `unsupported: …`, options of another type with an error naming the option.
 */
import { compilationError, unsupported } from '../errors.js';
import type { FormatOptions } from '../catalog/load-objects.js';

export type Compression = 'AUTO' | 'GZIP' | 'NONE';

export interface JsonFormat {
  type: 'JSON';
  compression: Compression;
  dateFormat: string;
  timeFormat: string;
  timestampFormat: string;
  binaryFormat: 'HEX' | 'BASE64' | 'UTF8';
  trimSpace: boolean;
  /** TRUE: a document may span lines; FALSE: every line is one document (NDJSON). */
  multiLine: boolean;
  nullIf: string[];
  allowDuplicate: boolean;
  stripOuterArray: boolean;
  stripNullValues: boolean;
  replaceInvalidCharacters: boolean;
  skipByteOrderMark: boolean;
}

export interface ParquetFormat {
  type: 'PARQUET';
  compression: 'AUTO' | 'SNAPPY' | 'LZO' | 'NONE';
  binaryAsText: boolean;
  trimSpace: boolean;
  nullIf: string[];
}

export const JSON_DEFAULTS: JsonFormat = {
  type: 'JSON',
  compression: 'AUTO',
  dateFormat: 'AUTO',
  timeFormat: 'AUTO',
  timestampFormat: 'AUTO',
  binaryFormat: 'HEX',
  trimSpace: false,
  multiLine: true,
  nullIf: [],
  allowDuplicate: false,
  stripOuterArray: false,
  stripNullValues: false,
  replaceInvalidCharacters: false,
  skipByteOrderMark: true,
};

export const PARQUET_DEFAULTS: ParquetFormat = {
  type: 'PARQUET',
  compression: 'AUTO',
  binaryAsText: true,
  trimSpace: false,
  nullIf: [],
};

export const formatBool = (key: string, v: string): boolean => {
  const u = v.toUpperCase();
  if (u === 'TRUE') return true;
  if (u === 'FALSE') return false;
  throw compilationError(`invalid value '${v}' for file format option ${key}: expected TRUE or FALSE`);
};

export const formatValue = (key: string, v: string | string[]): string => {
  if (Array.isArray(v)) throw compilationError(`file format option ${key} takes a single value, not a list`);
  return v;
};

export function compressionOf(v: string): Compression {
  const u = v.toUpperCase();
  if (u === 'AUTO' || u === 'GZIP' || u === 'NONE') return u;
  if (['BZ2', 'BROTLI', 'ZSTD', 'DEFLATE', 'RAW_DEFLATE'].includes(u)) throw unsupported(`COMPRESSION = ${u} (floe reads GZIP and uncompressed files)`);
  throw compilationError(`invalid value '${v}' for file format option COMPRESSION`);
}

function binaryFormat(v: string): JsonFormat['binaryFormat'] {
  const u = v.toUpperCase();
  if (u !== 'HEX' && u !== 'BASE64' && u !== 'UTF8') throw compilationError(`invalid value '${v}' for file format option BINARY_FORMAT`);
  return u;
}

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

export function resolveJsonFormat(options: FormatOptions): JsonFormat {
  const f: JsonFormat = { ...JSON_DEFAULTS, nullIf: [...JSON_DEFAULTS.nullIf] };
  for (const [key, raw] of Object.entries(options)) {
    if (key === 'TYPE' || key === 'FORMAT_NAME') continue;
    if (key === 'NULL_IF') {
      f.nullIf = list(raw);
      continue;
    }
    const v = formatValue(key, raw);
    switch (key) {
      case 'COMPRESSION':
        f.compression = compressionOf(v);
        break;
      case 'DATE_FORMAT':
        f.dateFormat = v;
        break;
      case 'TIME_FORMAT':
        f.timeFormat = v;
        break;
      case 'TIMESTAMP_FORMAT':
        f.timestampFormat = v;
        break;
      case 'BINARY_FORMAT':
        f.binaryFormat = binaryFormat(v);
        break;
      case 'TRIM_SPACE':
        f.trimSpace = formatBool(key, v);
        break;
      case 'MULTI_LINE':
        f.multiLine = formatBool(key, v);
        break;
      case 'ALLOW_DUPLICATE':
        f.allowDuplicate = formatBool(key, v);
        break;
      case 'STRIP_OUTER_ARRAY':
        f.stripOuterArray = formatBool(key, v);
        break;
      case 'STRIP_NULL_VALUES':
        f.stripNullValues = formatBool(key, v);
        break;
      // IGNORE_UTF8_ERRORS is the older name of the same behaviour.
      case 'REPLACE_INVALID_CHARACTERS':
      case 'IGNORE_UTF8_ERRORS':
        f.replaceInvalidCharacters = formatBool(key, v) || f.replaceInvalidCharacters;
        break;
      case 'SKIP_BYTE_ORDER_MARK':
        f.skipByteOrderMark = formatBool(key, v);
        break;
      case 'ENABLE_OCTAL':
        if (formatBool(key, v)) throw unsupported('ENABLE_OCTAL = TRUE (floe parses standard JSON numbers only)');
        break;
      case 'FILE_EXTENSION':
        break; // unloading only
      default:
        throw compilationError(`invalid file format option ${key} for TYPE = JSON`);
    }
  }
  return f;
}

export function resolveParquetFormat(options: FormatOptions): ParquetFormat {
  const f: ParquetFormat = { ...PARQUET_DEFAULTS, nullIf: [...PARQUET_DEFAULTS.nullIf] };
  for (const [key, raw] of Object.entries(options)) {
    if (key === 'TYPE' || key === 'FORMAT_NAME') continue;
    if (key === 'NULL_IF') {
      f.nullIf = list(raw);
      continue;
    }
    const v = formatValue(key, raw);
    switch (key) {
      case 'COMPRESSION': {
        // Parquet compression is per column chunk and read from the file's metadata; the option only names it.
        const u = v.toUpperCase();
        if (u !== 'AUTO' && u !== 'SNAPPY' && u !== 'LZO' && u !== 'NONE') throw compilationError(`invalid value '${v}' for file format option COMPRESSION for TYPE = PARQUET`);
        f.compression = u;
        break;
      }
      case 'SNAPPY_COMPRESSION':
        formatBool(key, v);
        break;
      case 'BINARY_AS_TEXT':
        f.binaryAsText = formatBool(key, v);
        break;
      case 'USE_LOGICAL_TYPE':
        if (!formatBool(key, v)) throw unsupported('USE_LOGICAL_TYPE = FALSE (floe always reads Parquet logical types: dates, timestamps, decimals)');
        break;
      case 'USE_VECTORIZED_SCANNER':
        formatBool(key, v); // a Snowflake performance switch; floe's reader is DuckDB's either way
        break;
      case 'TRIM_SPACE':
        f.trimSpace = formatBool(key, v);
        break;
      case 'REPLACE_INVALID_CHARACTERS':
        if (formatBool(key, v)) throw unsupported('REPLACE_INVALID_CHARACTERS = TRUE for TYPE = PARQUET (a Parquet string with invalid UTF-8 fails the file)');
        break;
      case 'FILE_EXTENSION':
        break;
      default:
        throw compilationError(`invalid file format option ${key} for TYPE = PARQUET`);
    }
  }
  return f;
}

type DescribeRow = [string, string, string, string];
const listText = (l: string[]): string => `[${l.join(', ')}]`;

export function describeJson(f: JsonFormat): DescribeRow[] {
  const d = JSON_DEFAULTS;
  return [
    ['TYPE', 'String', 'JSON', 'CSV'],
    ['FILE_EXTENSION', 'String', '', ''],
    ['DATE_FORMAT', 'String', f.dateFormat, d.dateFormat],
    ['TIME_FORMAT', 'String', f.timeFormat, d.timeFormat],
    ['TIMESTAMP_FORMAT', 'String', f.timestampFormat, d.timestampFormat],
    ['BINARY_FORMAT', 'String', f.binaryFormat, d.binaryFormat],
    ['TRIM_SPACE', 'Boolean', String(f.trimSpace), 'false'],
    ['NULL_IF', 'List', listText(f.nullIf), listText(d.nullIf)],
    ['COMPRESSION', 'String', f.compression, 'AUTO'],
    ['ENABLE_OCTAL', 'Boolean', 'false', 'false'],
    ['ALLOW_DUPLICATE', 'Boolean', String(f.allowDuplicate), 'false'],
    ['STRIP_OUTER_ARRAY', 'Boolean', String(f.stripOuterArray), 'false'],
    ['STRIP_NULL_VALUES', 'Boolean', String(f.stripNullValues), 'false'],
    ['IGNORE_UTF8_ERRORS', 'Boolean', String(f.replaceInvalidCharacters), 'false'],
    ['REPLACE_INVALID_CHARACTERS', 'Boolean', String(f.replaceInvalidCharacters), 'false'],
    ['SKIP_BYTE_ORDER_MARK', 'Boolean', String(f.skipByteOrderMark), 'true'],
    ['MULTI_LINE', 'Boolean', String(f.multiLine), 'true'],
  ];
}

export function describeParquet(f: ParquetFormat): DescribeRow[] {
  return [
    ['TYPE', 'String', 'PARQUET', 'CSV'],
    ['FILE_EXTENSION', 'String', '', ''],
    ['BINARY_AS_TEXT', 'Boolean', String(f.binaryAsText), 'true'],
    ['USE_LOGICAL_TYPE', 'Boolean', 'true', 'true'],
    ['TRIM_SPACE', 'Boolean', String(f.trimSpace), 'false'],
    ['USE_VECTORIZED_SCANNER', 'Boolean', 'false', 'false'],
    ['REPLACE_INVALID_CHARACTERS', 'Boolean', 'false', 'false'],
    ['NULL_IF', 'List', listText(f.nullIf), listText(PARQUET_DEFAULTS.nullIf)],
    ['COMPRESSION', 'String', f.compression, 'AUTO'],
  ];
}
