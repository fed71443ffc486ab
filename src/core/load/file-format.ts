/**
 * File format options with Snowflake's names and defaults (reference §4.5), validated once so the loader
 * works on a typed description. Unknown options and bad values are errors that name the option.
 */
import { compilationError, unsupported } from '../errors.js';
import type { FormatOptions } from '../catalog/load-objects.js';
import {
  compressionOf,
  describeJson,
  describeParquet,
  formatBool,
  formatValue,
  resolveJsonFormat,
  resolveParquetFormat,
  type Compression,
  type JsonFormat,
  type ParquetFormat,
} from './semi-structured-format.js';

export type { Compression, JsonFormat, ParquetFormat } from './semi-structured-format.js';

export interface CsvFormat {
  type: 'CSV';
  compression: Compression;
  recordDelimiter: string | null;
  fieldDelimiter: string | null;
  multiLine: boolean;
  parseHeader: boolean;
  skipHeader: number;
  skipBlankLines: boolean;
  dateFormat: string;
  timeFormat: string;
  timestampFormat: string;
  binaryFormat: 'HEX' | 'BASE64' | 'UTF8';
  escape: string | null;
  escapeUnenclosedField: string | null;
  trimSpace: boolean;
  fieldOptionallyEnclosedBy: string | null;
  nullIf: string[];
  errorOnColumnCountMismatch: boolean;
  replaceInvalidCharacters: boolean;
  emptyFieldAsNull: boolean;
  skipByteOrderMark: boolean;
  encoding: string;
}

export type FileFormat = CsvFormat | JsonFormat | ParquetFormat;

/** Snowflake's CSV defaults, as DESCRIBE FILE FORMAT shows them. */
export const CSV_DEFAULTS: CsvFormat = {
  type: 'CSV',
  compression: 'AUTO',
  recordDelimiter: '\n',
  fieldDelimiter: ',',
  multiLine: true,
  parseHeader: false,
  skipHeader: 0,
  skipBlankLines: false,
  dateFormat: 'AUTO',
  timeFormat: 'AUTO',
  timestampFormat: 'AUTO',
  binaryFormat: 'HEX',
  escape: null,
  escapeUnenclosedField: '\\',
  trimSpace: false,
  fieldOptionallyEnclosedBy: null,
  nullIf: ['\\N'],
  errorOnColumnCountMismatch: true,
  replaceInvalidCharacters: false,
  emptyFieldAsNull: true,
  skipByteOrderMark: true,
  encoding: 'UTF8',
};

const bool = formatBool;
const one = formatValue;

/** Snowflake delimiter notation: literal characters, `NONE`, hex `0x5e`, octal `\136`. */
export function decodeDelimiter(key: string, v: string): string | null {
  if (v.toUpperCase() === 'NONE') return null;
  if (/^0x[0-9a-f]{2}$/i.test(v)) return String.fromCharCode(parseInt(v.slice(2), 16));
  if (/^\\[0-7]{3}$/.test(v)) return String.fromCharCode(parseInt(v.slice(1), 8));
  if (v.length === 0) throw compilationError(`file format option ${key} cannot be empty (use NONE)`);
  if (v.length > 20) throw compilationError(`file format option ${key} is longer than 20 characters`);
  return v;
}

const compression = compressionOf;

export function formatTypeOf(options: FormatOptions): string {
  const t = options.TYPE;
  return typeof t === 'string' ? t.toUpperCase() : 'CSV';
}

/** Typed format from option text; `base` supplies values not given (a named format under inline overrides). */
export function resolveFileFormat(options: FormatOptions): FileFormat {
  const type = formatTypeOf(options);
  if (type === 'JSON') return resolveJsonFormat(options);
  if (type === 'PARQUET') return resolveParquetFormat(options);
  if (type !== 'CSV') throw unsupported(`file format TYPE = ${type} (floe loads CSV, JSON and PARQUET)`);
  const f: CsvFormat = { ...CSV_DEFAULTS, nullIf: [...CSV_DEFAULTS.nullIf] };
  for (const [key, raw] of Object.entries(options)) {
    if (key === 'TYPE' || key === 'FORMAT_NAME') continue;
    if (key === 'NULL_IF') {
      f.nullIf = Array.isArray(raw) ? raw : [raw];
      continue;
    }
    const v = one(key, raw);
    switch (key) {
      case 'COMPRESSION':
        f.compression = compression(v);
        break;
      case 'RECORD_DELIMITER':
        f.recordDelimiter = decodeDelimiter(key, v);
        break;
      case 'FIELD_DELIMITER':
        f.fieldDelimiter = decodeDelimiter(key, v);
        break;
      case 'MULTI_LINE':
        f.multiLine = bool(key, v);
        break;
      case 'PARSE_HEADER':
        f.parseHeader = bool(key, v);
        break;
      case 'SKIP_HEADER':
        if (!/^\d+$/.test(v)) throw compilationError(`invalid value '${v}' for file format option SKIP_HEADER: expected a number`);
        f.skipHeader = Number(v);
        break;
      case 'SKIP_BLANK_LINES':
        f.skipBlankLines = bool(key, v);
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
      case 'BINARY_FORMAT': {
        const u = v.toUpperCase();
        if (u !== 'HEX' && u !== 'BASE64' && u !== 'UTF8') throw compilationError(`invalid value '${v}' for file format option BINARY_FORMAT`);
        f.binaryFormat = u;
        break;
      }
      case 'ESCAPE':
        f.escape = singleByte(key, v);
        break;
      case 'ESCAPE_UNENCLOSED_FIELD':
        f.escapeUnenclosedField = singleByte(key, v);
        break;
      case 'TRIM_SPACE':
        f.trimSpace = bool(key, v);
        break;
      case 'FIELD_OPTIONALLY_ENCLOSED_BY': {
        const q = singleByte(key, v);
        if (q !== null && q !== '"' && q !== "'") throw compilationError(`invalid value '${v}' for file format option FIELD_OPTIONALLY_ENCLOSED_BY: expected NONE, '"' or '\\''`);
        f.fieldOptionallyEnclosedBy = q;
        break;
      }
      case 'ERROR_ON_COLUMN_COUNT_MISMATCH':
        f.errorOnColumnCountMismatch = bool(key, v);
        break;
      case 'REPLACE_INVALID_CHARACTERS':
        f.replaceInvalidCharacters = bool(key, v);
        break;
      case 'EMPTY_FIELD_AS_NULL':
        f.emptyFieldAsNull = bool(key, v);
        break;
      case 'SKIP_BYTE_ORDER_MARK':
        f.skipByteOrderMark = bool(key, v);
        break;
      case 'ENCODING': {
        const u = v.toUpperCase().replace(/-/g, '');
        if (u !== 'UTF8') throw unsupported(`ENCODING = '${v}' (floe loads UTF-8 files)`);
        f.encoding = 'UTF8';
        break;
      }
      case 'FILE_EXTENSION':
        break; // unloading only
      default:
        throw compilationError(`invalid file format option ${key} for TYPE = CSV`);
    }
  }
  if (f.parseHeader && f.skipHeader > 0) {
    throw compilationError('Option SKIP_HEADER is not supported with PARSE_HEADER = TRUE. Use only one of them.');
  }
  if (f.fieldDelimiter !== null && f.recordDelimiter !== null && (f.fieldDelimiter.includes(f.recordDelimiter) || f.recordDelimiter.includes(f.fieldDelimiter))) {
    throw compilationError('FIELD_DELIMITER and RECORD_DELIMITER cannot be substrings of each other.');
  }
  return f;
}

function singleByte(key: string, v: string): string | null {
  const d = decodeDelimiter(key, v);
  if (d !== null && d.length !== 1) throw compilationError(`file format option ${key} must be a single character or NONE`);
  return d;
}

/** Rows of DESCRIBE FILE FORMAT / the stage's STAGE_FILE_FORMAT section: [property, type, value, default]. */
export function describeCsv(f: CsvFormat): [string, string, string, string][] {
  const show = (v: string | null): string => (v === null ? 'NONE' : v.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t'));
  const list = (l: string[]): string => `[${l.map(show).join(', ')}]`;
  const d = CSV_DEFAULTS;
  return [
    ['TYPE', 'String', 'CSV', 'CSV'],
    ['RECORD_DELIMITER', 'String', show(f.recordDelimiter), show(d.recordDelimiter)],
    ['FIELD_DELIMITER', 'String', show(f.fieldDelimiter), show(d.fieldDelimiter)],
    ['FILE_EXTENSION', 'String', '', ''],
    ['SKIP_HEADER', 'Integer', String(f.skipHeader), '0'],
    ['PARSE_HEADER', 'Boolean', String(f.parseHeader), 'false'],
    ['DATE_FORMAT', 'String', f.dateFormat, 'AUTO'],
    ['TIME_FORMAT', 'String', f.timeFormat, 'AUTO'],
    ['TIMESTAMP_FORMAT', 'String', f.timestampFormat, 'AUTO'],
    ['BINARY_FORMAT', 'String', f.binaryFormat, 'HEX'],
    ['ESCAPE', 'String', show(f.escape), 'NONE'],
    ['ESCAPE_UNENCLOSED_FIELD', 'String', show(f.escapeUnenclosedField), '\\\\'],
    ['TRIM_SPACE', 'Boolean', String(f.trimSpace), 'false'],
    ['FIELD_OPTIONALLY_ENCLOSED_BY', 'String', show(f.fieldOptionallyEnclosedBy), 'NONE'],
    ['NULL_IF', 'List', list(f.nullIf), list(d.nullIf)],
    ['COMPRESSION', 'String', f.compression, 'AUTO'],
    ['ERROR_ON_COLUMN_COUNT_MISMATCH', 'Boolean', String(f.errorOnColumnCountMismatch), 'true'],
    ['SKIP_BLANK_LINES', 'Boolean', String(f.skipBlankLines), 'false'],
    ['REPLACE_INVALID_CHARACTERS', 'Boolean', String(f.replaceInvalidCharacters), 'false'],
    ['EMPTY_FIELD_AS_NULL', 'Boolean', String(f.emptyFieldAsNull), 'true'],
    ['SKIP_BYTE_ORDER_MARK', 'Boolean', String(f.skipByteOrderMark), 'true'],
    ['ENCODING', 'String', f.encoding, 'UTF8'],
    ['MULTI_LINE', 'Boolean', String(f.multiLine), 'true'],
  ];
}

/** DESCRIBE FILE FORMAT rows of any type. */
export function describeFormat(f: FileFormat): [string, string, string, string][] {
  if (f.type === 'JSON') return describeJson(f);
  if (f.type === 'PARQUET') return describeParquet(f);
  return describeCsv(f);
}
