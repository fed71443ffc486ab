/**
 * One text form per value, computed in SQL the same way on both sides of the comparison (the scratch engine that
 * re-reads the files and the pipeline's warehouse, local or remote), so equal typed values compare equal as
 * strings and nothing depends on how a client encodes results (e.g. JSON timestamps cut to milliseconds).
 * Sessions run with TIMEZONE = 'UTC', so instants have one spelling whatever the offset they were written with.
 */
import { createHash } from 'node:crypto';
import { stringLiteral } from '../engine/scripting/sql-literals.js';

export const CANONICAL_SESSION = `ALTER SESSION SET TIMEZONE = 'UTC'`;

/** Canonical values: the text of a value, or null for NULL. */
export type Canon = string | null;

/** A result row of canonical SQL as canonical values. */
export const canonRow = (r: readonly unknown[]): Canon[] => r.map((v) => (v === null || v === undefined ? null : String(v)));

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

/*
 * Row digests: a page of table rows is first compared by its digest — the row count and the MD5 of the sorted MD5s
 * of its rows — computed by SQL on the warehouse and by node:crypto here over the same encoding, so an equal page
 * moves one row instead of all of them. The digest is exact for multisets (up to MD5 collisions). The encoding is
 * unambiguous: each value is `n` (NULL) or `v` + its text with `\` and `|` escaped by a backslash, joined by `|`.
 */

/** SQL of one value's encoding (never NULL). */
function encodedValueSql(c: string): string {
  return `COALESCE(${stringLiteral('v')} || REPLACE(REPLACE(${c}, ${stringLiteral('\\')}, ${stringLiteral('\\\\')}), ${stringLiteral('|')}, ${stringLiteral('\\|')}), ${stringLiteral('n')})`;
}

/** `a || '|' || b …` as a balanced tree: long flat chains overflow the SQL printer's stack. */
function joined(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  const mid = Math.ceil(parts.length / 2);
  return `(${joined(parts.slice(0, mid))} || ${stringLiteral('|')} || ${joined(parts.slice(mid))})`;
}

/** The same encoding in JavaScript. */
export function encodeRow(row: readonly Canon[]): string {
  return row.map((v) => (v === null ? 'n' : `v${v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')}`)).join('|');
}

export interface Digest {
  count: number;
  md5: string;
}

/** `SELECT COUNT(*), digest` over the rows of `from` (a `FROM … WHERE …` clause), given their canonical columns. */
export function digestSql(columns: readonly string[], from: string): string {
  const values = `SELECT ${columns.map((c, i) => `${encodedValueSql(c)} AS __E${i}`).join(', ')} ${from}`;
  const rows = `SELECT MD5(${joined(columns.map((_c, i) => `__E${i}`))}) AS __M FROM (${values}) __V`;
  return `SELECT COUNT(*), MD5(LISTAGG(__M, '') WITHIN GROUP (ORDER BY __M)) FROM (${rows}) __D`;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export function digestRows(rows: readonly (readonly Canon[])[]): Digest {
  // Hex digests sort the same by code unit (here) and by byte (in SQL).
  const hashes = rows.map((r) => md5(encodeRow(r))).sort();
  return { count: rows.length, md5: md5(hashes.join('')) };
}

/** A digest from the SQL's single row (LISTAGG of no rows is NULL or ''). */
export function digestOf(row: readonly unknown[] | undefined): Digest {
  const count = Number(row?.[0] ?? 0);
  return { count, md5: count === 0 ? md5('') : String(row?.[1]) };
}

export const sameDigest = (x: Digest, y: Digest): boolean => x.count === y.count && x.md5 === y.md5;
