/**
 * Compares a statement result with a corpus block's expectation.
 *
 * - Column names compare exactly.
 * - Numbers compare by value: expected `1` matches 1 and 1n.
 * - VARIANT / OBJECT / ARRAY columns compare after JSON normalisation: both sides are parsed (when they are
 *   strings holding JSON) and deep-compared, ignoring whitespace and object key order.
 * - `rowsort` compares rows as a multiset (both sides sorted by their canonical JSON text).
 */
import type { FloeValue, ResultColumn } from '../../src/core/result.js';
import type { JsonValue } from './corpus-format.js';

const JSON_TYPES = new Set(['VARIANT', 'OBJECT', 'ARRAY']);

/** A JSON-compatible canonical form of a value, for equality and sorting. */
function canonical(value: unknown, jsonColumn: boolean): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (jsonColumn && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // not JSON text: compare as the raw string
    }
  }
  return value;
}

/** JSON text with object keys sorted, so that key order does not matter. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`)
    .join(',')}}`;
}

function canonicalRow(row: readonly unknown[], jsonColumns: boolean[]): string {
  return stableStringify(row.map((v, i) => canonical(v, jsonColumns[i] ?? false)));
}

/** Renders an actual row for messages (bigints as numbers, like the JSON Lines contract). */
function showRow(row: readonly FloeValue[]): string {
  return `[${row.map((v) => (typeof v === 'bigint' ? v.toString() : JSON.stringify(v))).join(', ')}]`;
}

export interface Expectation {
  columns: string[];
  rows: JsonValue[][];
  rowsort?: boolean;
}

/** Returns `undefined` when the result matches, else a human-readable description of the difference. */
export function compareResult(
  expected: Expectation,
  actualColumns: readonly ResultColumn[],
  actualRows: readonly FloeValue[][],
): string | undefined {
  const names = actualColumns.map((c) => c.name);
  if (stableStringify(names) !== stableStringify(expected.columns)) {
    return (
      `column names differ\n  expected: ${JSON.stringify(expected.columns)}\n  actual:   ${JSON.stringify(names)}` +
      `\n  actual rows:\n${actualRows.map((r) => `    ${showRow(r)}`).join('\n')}`
    );
  }
  const jsonColumns = actualColumns.map((c) => JSON_TYPES.has(c.type));
  let exp = expected.rows.map((r) => canonicalRow(r, jsonColumns));
  let act = actualRows.map((r) => canonicalRow(r, jsonColumns));
  if (expected.rowsort) {
    exp = [...exp].sort();
    act = [...act].sort();
  }
  const same = exp.length === act.length && exp.every((r, i) => r === act[i]);
  if (same) return undefined;
  const lines = [`rows differ${expected.rowsort ? ' (rowsort)' : ''}`, '  expected:'];
  for (const r of exp) lines.push(`    ${r}`);
  lines.push('  actual:');
  for (const r of act) lines.push(`    ${r}`);
  return lines.join('\n');
}

/** Whether an error message satisfies a block's `statement error` expectation. */
export function errorMatches(expected: string | RegExp | undefined, message: string): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'string') return message.includes(expected);
  return expected.test(message);
}
