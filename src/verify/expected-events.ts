/**
 * The events, computed in the scratch engine from the re-read staging rows with scd.yaml's rules: typed key,
 * sequence and payload columns, `deleteWhen` and `source.where` evaluated in SQL (the user's predicates are SQL).
 * Ordering is left to SQL too: per key, dense ranks of the first sequence component and of the whole sequence tuple
 * replace the values in the fold, so timestamps compare as instants and composite sequences as tuples. Values are
 * carried as canonical text (canonical.ts). Events are cut into pages of whole keys so the fold and the comparison
 * hold one page at a time.
 */
import type { ResolvedScdConfig } from '../core/scd/scd-config.js';
import { canonicalSql, type Canon } from './canonical.js';
import { nameSql } from './source-pipes.js';
import type { WarehouseClient } from './warehouse-client.js';
import type { QualifiedName } from './verify-project.js';

export const WORK = 'FLOE_VERIFY.WORK';
const NORMALISED = `${WORK}.NORMALISED`;
const EVENTS = `${WORK}.EVENTS`;

export interface Page {
  firstRank: number;
  lastRank: number;
  /**
   * Canonical key of the page's last key (the upper bound, inclusive) and of the previous page's (exclusive). The
   * first page has no lower bound and the last no upper bound, so table rows of keys no event has fall in a page.
   */
  upper?: string[];
  lower?: string[];
}

export interface RejectedEvents {
  nullKey: number;
  nullSequence: number;
  /** A few of them: canonical keys then sequence values. */
  samples: Canon[][];
}

export interface EventSet {
  events: number;
  keys: number;
  rejected: RejectedEvents;
  pages: Page[];
}

/** One event row of a page: key rank, sequence ranks, op, keys, sequence values, payload. */
export interface EventRow {
  keyRank: number;
  firstSeqRank: number;
  seqRank: number;
  op: 'U' | 'D';
  key: Canon[];
  seq: Canon[];
  values: Canon[];
}

const list = (xs: string[]): string => xs.join(', ');

export async function buildEvents(scratch: WarehouseClient, c: ResolvedScdConfig, base: QualifiedName, pageEvents: number): Promise<EventSet> {
  const keys = c.keys.map((k) => k.name);
  const seqs = c.sequenceBy.map((s) => s.name);
  const cast = (cols: { name: string; type: string }[]): string[] => cols.map((x) => `CAST(${x.name} AS ${x.type}) AS ${x.name}`);
  const op = c.deleteWhen !== undefined ? `CASE WHEN (${c.deleteWhen}) THEN 'D' ELSE 'U' END` : `'U'`;
  await scratch.query(`CREATE DATABASE IF NOT EXISTS FLOE_VERIFY`);
  await scratch.query(`CREATE SCHEMA IF NOT EXISTS ${WORK}`);
  await scratch.query(
    `CREATE OR REPLACE TABLE ${NORMALISED} AS SELECT ${list([...cast(c.keys), ...cast(c.sequenceBy), `${op} AS __OP`, ...cast(c.columns)])} ` +
      `FROM ${nameSql(base)}${c.source.where !== undefined ? ` WHERE (${c.source.where})` : ''}`,
  );
  const nullKey = keys.map((k) => `${k} IS NULL`).join(' OR ');
  const nullSeq = seqs.map((s) => `${s} IS NULL`).join(' OR ');
  const counts = await scratch.query(
    `SELECT SUM(CASE WHEN ${nullKey} THEN 1 ELSE 0 END), SUM(CASE WHEN ${nullSeq} THEN 1 ELSE 0 END) FROM ${NORMALISED}`,
  );
  const samples = await scratch.query(
    `SELECT ${list([...c.keys, ...c.sequenceBy].map((x) => canonicalSql(x.name, x.type)))} FROM ${NORMALISED} WHERE ${nullKey} OR ${nullSeq} LIMIT 5`,
  );
  const rejected: RejectedEvents = {
    nullKey: Number(counts.rows[0]?.[0] ?? 0),
    nullSequence: Number(counts.rows[0]?.[1] ?? 0),
    samples: samples.rows.map((r) => r.map((v) => (v === null ? null : String(v)))),
  };

  const canon = (cols: { name: string; type: string }[], prefix: string): string[] => cols.map((x, i) => `${canonicalSql(x.name, x.type)} AS ${prefix}${i}`);
  const byKey = `PARTITION BY ${list(keys)}`;
  await scratch.query(
    `CREATE OR REPLACE TABLE ${EVENTS} AS SELECT DENSE_RANK() OVER (ORDER BY ${list(keys)}) AS __KR, ` +
      `DENSE_RANK() OVER (${byKey} ORDER BY ${seqs[0]!}) AS __S1R, DENSE_RANK() OVER (${byKey} ORDER BY ${list(seqs)}) AS __SR, __OP, ` +
      `${list([...canon(c.keys, '__K'), ...canon(c.sequenceBy, '__S'), ...canon(c.columns, '__C')])} ` +
      `FROM ${NORMALISED} WHERE NOT (${nullKey}) AND NOT (${nullSeq}) ORDER BY __KR, __SR`,
  );
  const totals = await scratch.query(`SELECT COUNT(*), COALESCE(MAX(__KR), 0) FROM ${EVENTS}`);
  const events = Number(totals.rows[0]?.[0] ?? 0);
  const keyCount = Number(totals.rows[0]?.[1] ?? 0);

  // Pages of whole keys, about `pageEvents` events each.
  const pageRows = await scratch.query(
    `SELECT __P, MIN(__KR), MAX(__KR) FROM (SELECT __KR, FLOOR((SUM(__N) OVER (ORDER BY __KR ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - __N) / ${Math.max(1, Math.trunc(pageEvents))}) AS __P ` +
      `FROM (SELECT __KR, COUNT(*) AS __N FROM ${EVENTS} GROUP BY __KR) __G) __Q GROUP BY __P ORDER BY __P`,
  );
  const ranges = pageRows.rows.map((r) => ({ firstRank: Number(r[1]), lastRank: Number(r[2]) }));
  const bounds = new Map<number, string[]>();
  for (let i = 0; i < ranges.length; i += 500) {
    const ranks = ranges.slice(i, i + 500).map((r) => r.lastRank);
    const r = await scratch.query(`SELECT DISTINCT __KR, ${list(keys.map((_k, j) => `__K${j}`))} FROM ${EVENTS} WHERE __KR IN (${ranks.join(', ')})`);
    for (const row of r.rows) bounds.set(Number(row[0]), row.slice(1).map(String));
  }
  const pages: Page[] = ranges.map((r, i) => ({
    ...r,
    ...(i < ranges.length - 1 ? { upper: bounds.get(r.lastRank)! } : {}),
    ...(i > 0 ? { lower: bounds.get(ranges[i - 1]!.lastRank)! } : {}),
  }));
  return { events, keys: keyCount, rejected, pages };
}

/** The events of one page, ordered by key and sequence. */
export async function pageEvents(scratch: WarehouseClient, c: ResolvedScdConfig, page: Page): Promise<EventRow[]> {
  const cols = (n: number, prefix: string): string[] => Array.from({ length: n }, (_x, i) => `${prefix}${i}`);
  const nk = c.keys.length;
  const ns = c.sequenceBy.length;
  const r = await scratch.query(
    `SELECT __KR, __S1R, __SR, __OP, ${list([...cols(nk, '__K'), ...cols(ns, '__S'), ...cols(c.columns.length, '__C')])} ` +
      `FROM ${EVENTS} WHERE __KR BETWEEN ${page.firstRank} AND ${page.lastRank} ORDER BY __KR, __SR`,
  );
  const text = (v: unknown): Canon => (v === null || v === undefined ? null : String(v));
  return r.rows.map((row) => ({
    keyRank: Number(row[0]),
    firstSeqRank: Number(row[1]),
    seqRank: Number(row[2]),
    op: row[3] === 'D' ? 'D' : 'U',
    key: row.slice(4, 4 + nk).map(text),
    seq: row.slice(4 + nk, 4 + nk + ns).map(text),
    values: row.slice(4 + nk + ns).map(text),
  }));
}
