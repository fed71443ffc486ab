/**
 * One text form per value, computed in SQL the same way on both sides of the comparison (the scratch engine that
 * re-reads the files and the pipeline's warehouse, local or remote), so equal typed values compare equal as
 * strings and nothing depends on how a client encodes results (e.g. JSON timestamps cut to milliseconds).
 * Sessions run with TIMEZONE = 'UTC', so instants have one spelling whatever the offset they were written with.
 */
import { stringLiteral } from '../engine/scripting/sql-literals.js';

export const CANONICAL_SESSION = `ALTER SESSION SET TIMEZONE = 'UTC'`;

/** Canonical values: the text of a value, or null for NULL. */
export type Canon = string | null;

export interface TypedName {
  name: string;
  type: string;
}

const NTZ = 'YYYY-MM-DD HH24:MI:SS.FF9';
// ISO form with the offset, so the text casts back to the same instant (key range literals).
const TZ = 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM';

function typeClass(type: string): 'ntz' | 'tz' | 'other' {
  const t = type.toUpperCase().replace(/\s+/g, '');
  if (/^(TIMESTAMP_LTZ|TIMESTAMPLTZ|TIMESTAMP_TZ|TIMESTAMPTZ)/.test(t)) return 'tz';
  // TIMESTAMP alone means TIMESTAMP_NTZ under the default TIMESTAMP_TYPE_MAPPING.
  if (/^(TIMESTAMP_NTZ|TIMESTAMPNTZ|DATETIME|TIMESTAMP)(\(|$)/.test(t)) return 'ntz';
  return 'other';
}

/** SQL giving the canonical text of `expr`, a value of Snowflake type `type`. */
export function canonicalSql(expr: string, type: string): string {
  switch (typeClass(type)) {
    case 'ntz':
      return `TO_VARCHAR(${expr}, '${NTZ}')`;
    case 'tz':
      return `TO_VARCHAR(${expr}, '${TZ.replace(/'/g, "''")}')`;
    default:
      return `TO_VARCHAR(${expr})`;
  }
}

/** A typed SQL literal from a canonical text (the inverse of canonicalSql for the types keys use). */
export function literalSql(value: string, type: string): string {
  return `CAST(${stringLiteral(value)} AS ${type})`;
}

/**
 * `key > lower AND key <= upper` for a (composite) key compared lexicographically, written without row-value
 * comparisons so the text is plain Snowflake SQL. `undefined` bounds are open.
 */
export function keyRangeSql(keys: readonly TypedName[], lower: readonly string[] | undefined, upper: readonly string[] | undefined): string {
  const parts: string[] = [];
  if (lower) parts.push(`(${lexicographic(keys, lower, '>')})`);
  if (upper) parts.push(`NOT (${lexicographic(keys, upper, '>')})`);
  parts.push(keys.map((k) => `${k.name} IS NOT NULL`).join(' AND '));
  return parts.join(' AND ');
}

/** `(k1, k2, …) op (v1, v2, …)` for op '>' as an OR of prefixes: k1 > v1 OR (k1 = v1 AND k2 > v2) … */
function lexicographic(keys: readonly TypedName[], values: readonly string[], op: '>'): string {
  const terms: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const eq = keys.slice(0, i).map((k, j) => `${k.name} = ${literalSql(values[j]!, k.type)}`);
    terms.push([...eq, `${keys[i]!.name} ${op} ${literalSql(values[i]!, keys[i]!.type)}`].join(' AND '));
  }
  return terms.length === 1 ? terms[0]! : terms.map((t) => `(${t})`).join(' OR ');
}
