/**
 * `KEY = value` option lists of the loading statements: stage and file format properties, copy options,
 * `FILE_FORMAT = ( TYPE = CSV NULL_IF = ('\\N', '') )`, `FILES = ('a.csv', 'b.csv')`.
 * A parenthesised value is a nested option map when it starts with `NAME =`, else a list.
 */
import type { FormatOptions } from '../../core/catalog/load-objects.js';
import { compilationError } from '../../core/errors.js';
import type { TokenCursor } from '../../sql/token-cursor.js';

export interface OptionMap {
  [key: string]: OptionValue;
}
export type OptionValue = string | string[] | OptionMap;

export function parseOptions(cur: TokenCursor, stop: (cur: TokenCursor) => boolean = () => false): OptionMap {
  const out: OptionMap = {};
  while (!cur.atEnd() && !stop(cur) && !(cur.peek()?.type === 'symbol' && cur.peek()?.value === ')')) {
    const key = cur.next();
    if (key.type !== 'word') throw cur.unexpectedAt(key, 'expected an option name');
    cur.expectSymbol('=');
    out[key.value] = parseValue(cur);
    cur.acceptSymbol(',');
  }
  return out;
}

function parseValue(cur: TokenCursor): OptionValue {
  if (!cur.acceptSymbol('(')) return cur.value();
  const t0 = cur.peek();
  const t1 = cur.peek(1);
  if (t0?.type === 'word' && t1?.type === 'symbol' && t1.value === '=') {
    const nested = parseOptions(cur);
    cur.expectSymbol(')');
    return nested;
  }
  const items: string[] = [];
  while (!cur.acceptSymbol(')')) {
    items.push(cur.value());
    cur.acceptSymbol(',');
  }
  return items;
}

export function optionString(key: string, v: OptionValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw compilationError(`option ${key} expects a single value`);
  return v;
}

export function optionBool(key: string, v: OptionValue | undefined, dflt: boolean): boolean {
  const s = optionString(key, v);
  if (s === undefined) return dflt;
  const u = s.toUpperCase();
  if (u === 'TRUE') return true;
  if (u === 'FALSE') return false;
  throw compilationError(`invalid value '${s}' for option ${key}: expected TRUE or FALSE`);
}

/** A nested map of plain values (file format options). */
export function formatOptions(key: string, v: OptionValue | undefined): FormatOptions {
  if (v === undefined) return {};
  if (typeof v === 'string' || Array.isArray(v)) throw compilationError(`option ${key} expects ( NAME = value … )`);
  const out: FormatOptions = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && !Array.isArray(x)) throw compilationError(`option ${key}.${k} cannot be nested`);
    out[k] = x;
  }
  return out;
}
