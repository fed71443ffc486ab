/**
 * The comparison loop: for each page of whole keys, fold every key's events (fold-compare.ts) and check the SCD
 * tables' rows in the page's key range. An equal page is settled by its digest (canonical.ts) without moving rows;
 * a page that differs is fetched and diffed, and its first differing keys become the report's samples.
 */
import { canonRow, digestOf, digestRows, sameDigest } from './canonical.js';
import type { EventRow, Page } from './expected-events.js';
import { diffRows, foldKey, tableDigestSql, tableRowsSql, tableSpecs, type Conflict, type Expected, type FoldConstants, type TableDiff } from './fold-compare.js';
import type { QueryRows } from './warehouse-client.js';
import type { ResolvedScdConfig } from '../core/scd/scd-config.js';

export interface CompareInput {
  c: ResolvedScdConfig;
  pages: Page[];
  /** The events of a page, ordered by key and sequence. */
  events: (page: Page) => Promise<EventRow[]>;
  /** A query on the pipeline's warehouse about one SCD table. */
  read: (table: string, sql: string) => Promise<QueryRows>;
  constants: FoldConstants;
  limit: number;
  progress?: (message: string) => void;
}

export interface CompareResult {
  tables: TableDiff[];
  conflicts: Conflict[];
  conflictCount: number;
}

/** Consecutive rows of the same key rank (rows come ordered by key rank). */
function* byKey(rows: EventRow[]): Generator<EventRow[]> {
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i]!.keyRank !== rows[start]!.keyRank) {
      yield rows.slice(start, i);
      start = i;
    }
  }
}

export async function compareTables(o: CompareInput): Promise<CompareResult> {
  const { c } = o;
  const specs = tableSpecs(c);
  const tables: TableDiff[] = specs.map((s) => ({ kind: s.kind, table: s.table, columns: s.columns, expected: 0, found: 0, missing: 0, unexpected: 0, samples: [] }));
  const out: CompareResult = { tables, conflicts: [], conflictCount: 0 };
  // No events: one page without bounds, so every table row is still looked at.
  const pages: (Page | undefined)[] = o.pages.length > 0 ? o.pages : [undefined];
  for (const [i, page] of pages.entries()) {
    if (pages.length > 1) o.progress?.(`comparing page ${i + 1}/${pages.length}`);
    const expected: Expected = { scd1: [], scd2: [] };
    const conflicted = new Set<string>();
    for (const group of page ? byKey(await o.events(page)) : []) {
      const r = foldKey(c, group, o.constants);
      if ('sequence' in r) {
        out.conflictCount++;
        conflicted.add(JSON.stringify(r.key));
        if (out.conflicts.length < o.limit) out.conflicts.push(r);
        continue;
      }
      expected.scd1.push(...r.scd1);
      expected.scd2.push(...r.scd2);
    }
    for (const [j, spec] of specs.entries()) {
      const t = tables[j]!;
      const want = expected[spec.kind];
      t.expected += want.length;
      // Rows with a NULL key belong to no page: fetched once (normally there are none).
      const nullKeyed = i === 0 ? (await o.read(spec.table, tableRowsSql(c, spec, undefined, true))).rows.map(canonRow) : [];
      if (conflicted.size === 0 && nullKeyed.length === 0 && sameDigest(digestRows(want), digestOf((await o.read(spec.table, tableDigestSql(c, spec, page))).rows[0]))) {
        t.found += want.length;
        continue;
      }
      const found = [...(await o.read(spec.table, tableRowsSql(c, spec, page))).rows.map(canonRow), ...nullKeyed];
      // A conflicted key has no expected rows (the applier rejects its batch): its rows are not compared.
      const kept = found.filter((r) => !conflicted.has(JSON.stringify(r.slice(0, c.keys.length))));
      const d = diffRows(want, kept, c.keys.length);
      t.found += found.length;
      t.missing += d.missing;
      t.unexpected += d.unexpected;
      t.samples.push(...d.byKey.slice(0, Math.max(0, o.limit - t.samples.length)));
    }
  }
  return out;
}
