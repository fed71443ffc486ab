/**
 * How a rebuild (reclusterer.ts) splits a table into ranges of its key, each copied and sorted by its own statement:
 * a sort of the whole table would take the memory the pipeline's own statements need.
 */
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import type { FloeValue } from '../../core/result.js';

type Quantiles = Pick<NonNullable<WarehouseDialect['clusterIndex']['recluster']>, 'quantiles'>;

export interface KeyRange {
  sql: string;
  params: FloeValue[];
}

/**
 * Conditions on the key's first column `column` that split the rows of `table` into `parts` ranges of about equal
 * size, in key order (NULL keys last), from the column's quantiles (estimated: see the port's `quantiles`).
 */
export async function keyRanges(conn: WarehouseConnection, q: Quantiles, table: string, column: string, parts: number): Promise<KeyRange[]> {
  let bounds: FloeValue[] = [];
  if (parts > 1) {
    const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
    const row = (await conn.query(q.quantiles(column, fractions, table))).rows.map((r) => r[0] ?? null);
    // Equal quantiles (a key with many rows) would make empty ranges.
    bounds = row.filter((b, i) => b !== null && (i === 0 || String(b) !== String(row[i - 1])));
  }
  const ranges: KeyRange[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const lo = i > 0 ? `${column} >= ?` : undefined;
    const hi = i < bounds.length ? `${column} < ?` : undefined;
    const params = [...(i > 0 ? [bounds[i - 1]!] : []), ...(i < bounds.length ? [bounds[i]!] : [])];
    ranges.push({ sql: [lo, hi].filter(Boolean).join(' AND ') || `${column} IS NOT NULL`, params });
  }
  ranges.push({ sql: `${column} IS NULL`, params: [] });
  return ranges;
}
