/**
 * Turns floe values (src/core/result.ts encoding) into output text: JSON for `--format json` (the DESIGN.md §3
 * contract) and display text for tables and CSV. Values are interpreted by their column's type, because the
 * same JS value means different things (a string is exact decimal text in NUMBER, JSON text in VARIANT).
 */
import type { FloeValue, ResultColumn } from '../../core/result.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** JSON text of one value, per the `floe sql --format json` contract. */
export function jsonValue(value: FloeValue, column: ResultColumn): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  switch (column.type) {
    case 'NUMBER':
      return jsonNumber(value);
    case 'FLOAT':
      return jsonFloat(value);
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return JSON.stringify(typeof value === 'string' ? timestampMillis(value) : String(value));
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return typeof value === 'string' ? (compactJson(value) ?? JSON.stringify(value)) : jsonScalar(value);
    default:
      return jsonScalar(value);
  }
}

/** Display text for tables (`style: 'table'`, SnowSQL-like) and CSV. NULL is handled by the caller. */
export function displayText(value: Exclude<FloeValue, null>, column: ResultColumn, style: 'table' | 'csv'): string {
  if (typeof value === 'boolean') {
    if (style === 'table') return value ? 'True' : 'False';
    return value ? 'true' : 'false';
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  switch (column.type) {
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return timestampMillis(value);
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return compactJson(value) ?? value;
    default:
      return value;
  }
}

function jsonNumber(value: Exclude<FloeValue, null | boolean>): string {
  if (typeof value === 'bigint') {
    // Beyond 2^53 a JSON number would be rounded by most readers (JavaScript included): keep it exact as a string.
    const abs = value < 0n ? -value : value;
    return abs > MAX_SAFE ? JSON.stringify(value.toString()) : value.toString();
  }
  if (typeof value === 'number') return jsonFloat(value);
  // Exact decimal text from the engine: printed as a JSON number with the same digits, never via a double.
  return decimalJsonText(value) ?? JSON.stringify(value);
}

function jsonFloat(value: Exclude<FloeValue, null | boolean>): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '"NaN"';
    if (value === Infinity) return '"inf"';
    if (value === -Infinity) return '"-inf"';
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') return jsonNumber(value);
  return decimalJsonText(value) ?? JSON.stringify(value);
}

function jsonScalar(value: Exclude<FloeValue, null | boolean>): string {
  if (typeof value === 'bigint') return jsonNumber(value);
  if (typeof value === 'number') return jsonFloat(value);
  return JSON.stringify(value);
}

/** Normalizes decimal text to valid JSON number syntax (`+1` → `1`, `.5` → `0.5`, `007` → `7`), or null. */
export function decimalJsonText(text: string): string | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m === null) return null;
  const [, sign, intPart, frac = '', exp] = m;
  if (intPart === '' && frac === '') return null;
  const int = intPart.replace(/^0+(?=\d)/, '') || '0';
  let out = (sign === '-' ? '-' : '') + int + (frac === '' ? '' : `.${frac}`);
  if (exp !== undefined) out += `e${exp.replace(/^\+/, '')}`;
  return out;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff][ +HHMM]` → milliseconds, truncated (not rounded) as Snowflake displays them. */
export function timestampMillis(text: string): string {
  const m = /^(.*\d{2}:\d{2}:\d{2})(?:\.(\d+))?(\s*[+-]\d{2}:?\d{2}|Z)?$/.exec(text);
  if (m === null) return text;
  const [, base, frac = '', zone = ''] = m;
  return `${base}.${frac.padEnd(3, '0').slice(0, 3)}${zone}`;
}

/**
 * Valid JSON text with insignificant whitespace removed, or null when the text is not JSON. Works on the text
 * rather than re-serializing a parsed value so numbers keep every digit (JSON.parse would round big ones).
 */
export function compactJson(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}
