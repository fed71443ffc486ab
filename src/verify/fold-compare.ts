/**
 * Page by page: fold each key's events with the reference fold (scd-semantics §4.3, src/core/scd/reference-fold.ts)
 * and compare the result with the SCD tables' rows in the same key range, as multisets of canonical rows. Pages are
 * contiguous key ranges, so every table row falls in exactly one page (rows with a NULL key are checked once).
 */
import { FoldConflictError, referenceFold, type FoldEvent } from '../core/scd/reference-fold.js';
import type { ResolvedScdConfig } from '../core/scd/scd-config.js';
import { canonicalSql, digestSql, keyRangeSql, type Canon } from './canonical.js';
import type { EventRow, Page } from './expected-events.js';

export interface KeyDiff {
  key: Canon[];
  /** Rows the fold gives that the table lacks, and rows the table has that the fold does not give. */
  missing: Canon[][];
  unexpected: Canon[][];
}

export interface TableDiff {
  kind: 'scd1' | 'scd2';
  table: string;
  columns: string[];
  expected: number;
  found: number;
  missing: number;
  unexpected: number;
  /** The first differing keys (up to the report limit). */
  samples: KeyDiff[];
}

export interface Conflict {
  key: Canon[];
  sequence: Canon[];
}

export interface TableSpec {
  kind: 'scd1' | 'scd2';
  table: string;
  /** Column names in row order, and the SQL selecting their canonical text. */
  columns: string[];
  select: string[];
}

/** Canonical rows per table kind for one key's fold. */
export interface Expected {
  scd1: Canon[][];
  scd2: Canon[][];
}

export function tableSpecs(c: ResolvedScdConfig): TableSpec[] {
  const canon = (cols: { name: string; type: string }[]): string[] => cols.map((x) => canonicalSql(x.name, x.type));
  const specs: TableSpec[] = [];
  if (c.scd1) {
    const cols = [...c.keys, ...c.columns, ...c.sequenceBy];
    specs.push({ kind: 'scd1', table: c.scd1.table, columns: cols.map((x) => x.name), select: canon(cols) });
  }
  if (c.scd2) {
    const s = c.scd2;
    const t = c.sequenceBy[0]!.type;
    const meta = [{ name: s.validFrom, type: t }, { name: s.validTo, type: t }, ...(s.isCurrent ? [{ name: s.isCurrent, type: 'BOOLEAN' }] : [])];
    const cols = [...c.keys, ...c.columns, ...meta];
    specs.push({ kind: 'scd2', table: s.table, columns: cols.map((x) => x.name), select: canon(cols) });
  }
  return specs;
}

const rangeWhere = (c: ResolvedScdConfig, page: Page | undefined, nullKeys: boolean): string =>
  nullKeys ? c.keys.map((k) => `${k.name} IS NULL`).join(' OR ') : keyRangeSql(c.keys, page?.lower, page?.upper);

/** SQL for a table's canonical rows in a page's key range (or, with `nullKeys`, the rows with a NULL key part). */
export function tableRowsSql(c: ResolvedScdConfig, spec: TableSpec, page: Page | undefined, nullKeys = false): string {
  return `SELECT ${spec.select.join(', ')} FROM ${spec.table} WHERE ${rangeWhere(c, page, nullKeys)}`;
}

/** SQL for the digest (canonical.ts) of the same rows. */
export function tableDigestSql(c: ResolvedScdConfig, spec: TableSpec, page: Page | undefined): string {
  return digestSql(spec.select, `FROM ${spec.table} WHERE ${rangeWhere(c, page, false)}`);
}

export interface FoldConstants {
  /** Canonical texts of the current version's end (endValue or NULL) and of TRUE / FALSE. */
  end: Canon;
  yes: Canon;
  no: Canon;
}

/**
 * The reference fold of one key's events (rows of one key rank) as canonical table rows, or the conflict that
 * makes the applier reject the batch.
 */
export function foldKey(c: ResolvedScdConfig, rows: EventRow[], k: FoldConstants): Expected | Conflict {
  const ids = c.columns.map((_x, i) => `C${i}`);
  const idOf = (name: string): string => ids[c.columns.findIndex((x) => x.name.toUpperCase() === name.toUpperCase())]!;
  const firstSeq = new Map<number, Canon>();
  const seqTuple = new Map<number, Canon[]>();
  const events: FoldEvent[] = rows.map((r) => {
    firstSeq.set(r.firstSeqRank, r.seq[0] ?? null);
    seqTuple.set(r.seqRank, r.seq);
    return { key: r.key, seq: [r.firstSeqRank, r.seqRank], op: r.op, values: Object.fromEntries(ids.map((id, i) => [id, r.values[i] ?? null])) };
  });
  let fold;
  try {
    fold = referenceFold(events, { columns: ids, tracked: c.tracked.map(idOf), ignoreNull: c.ignoreNull.map(idOf) });
  } catch (e) {
    if (!(e instanceof FoldConflictError)) throw e;
    const seen = new Map<number, string>();
    const at = rows.find((r) => {
      if (r.op !== 'U') return false;
      const payload = JSON.stringify(r.values);
      const prior = seen.get(r.seqRank);
      seen.set(r.seqRank, payload);
      return prior !== undefined && prior !== payload;
    });
    return { key: rows[0]!.key, sequence: at?.seq ?? [] };
  }
  const key = rows[0]!.key;
  const payload = (v: { values: Record<string, unknown> }): Canon[] => ids.map((id) => (v.values[id] ?? null) as Canon);
  const scd2 = fold.scd2.map((v) => {
    const current = v.to === null;
    const to = current ? k.end : (firstSeq.get(Number(v.to)) ?? null);
    return [...key, ...payload(v), firstSeq.get(Number(v.from)) ?? null, to, ...(c.scd2?.isCurrent ? [current ? k.yes : k.no] : [])];
  });
  const scd1 = fold.scd1.map((v) => [...key, ...payload(v), ...(seqTuple.get(Number(v.seq[1])) ?? [])]);
  return { scd1, scd2 };
}

const rowId = (r: Canon[]): string => JSON.stringify(r);

/** Multiset difference of expected and found rows; differences grouped by key (the first `keyWidth` columns). */
export function diffRows(expected: Canon[][], found: Canon[][], keyWidth: number): { missing: number; unexpected: number; byKey: KeyDiff[] } {
  const counts = new Map<string, number>();
  const foundIds = found.map(rowId);
  for (const id of foundIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const missingRows: Canon[][] = [];
  for (const r of expected) {
    const id = rowId(r);
    const n = counts.get(id) ?? 0;
    if (n > 0) counts.set(id, n - 1);
    else missingRows.push(r);
  }
  const unexpectedRows: Canon[][] = [];
  for (const [i, r] of found.entries()) {
    const n = counts.get(foundIds[i]!) ?? 0;
    if (n > 0) {
      unexpectedRows.push(r);
      counts.set(foundIds[i]!, n - 1);
    }
  }
  const byKey = new Map<string, KeyDiff>();
  const entry = (r: Canon[]): KeyDiff => {
    const key = r.slice(0, keyWidth);
    const id = rowId(key);
    let d = byKey.get(id);
    if (!d) byKey.set(id, (d = { key, missing: [], unexpected: [] }));
    return d;
  };
  for (const r of missingRows) entry(r).missing.push(r);
  for (const r of unexpectedRows) entry(r).unexpected.push(r);
  return { missing: missingRows.length, unexpected: unexpectedRows.length, byKey: [...byKey.values()] };
}
