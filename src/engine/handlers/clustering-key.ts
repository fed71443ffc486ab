/**
 * Snowflake clustering keys: `CREATE TABLE … CLUSTER BY (…)`, `ALTER TABLE … CLUSTER BY (…)` and
 * `ALTER TABLE … DROP CLUSTERING KEY`. In Snowflake a clustering key co-locates rows by the key so that lookups by
 * it prune micro-partitions. floe keeps the key in the catalog (SHOW TABLES `cluster_by`) and asks the backend for
 * the access path it has for lookups by those columns — on DuckDB an ART index, which serves joins with a small set
 * of keys (the SCD applier's read of a late key's logged events) without scanning the table; a long-running engine
 * also rebuilds such a table in key order now and then (engine/clustering/reclusterer.ts), and `SUSPEND RECLUSTER`
 * stops that. Keys with expressions are kept as written but get no index (docs/compatibility.md).
 */
import { compilationError } from '../../core/errors.js';
import { displayIdent, resolveIdent } from '../../core/catalog/identifiers.js';
import type { ClusterKey, TableDef } from '../../core/catalog/catalog-model.js';
import type { WarehouseDialect } from '../../core/ports/warehouse.js';
import type { Token } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { physicalTableOf } from '../temp-tables.js';

/**
 * The key list after `CLUSTER BY` (`(a, b)` or `LINEAR(a, b)`), consumed from `cur` up to its closing parenthesis
 * (returned): column names resolved, other items kept as their text in `sql` (whose first character is at offset
 * `base` of the token positions).
 */
function parseClusterKeys(cur: TokenCursor, sql: string, base: number): { keys: ClusterKey[]; close: Token } {
  cur.acceptWords('LINEAR');
  cur.expectSymbol('(');
  const keys: ClusterKey[] = [];
  let item: Token[] = [];
  let depth = 0;
  for (;;) {
    if (cur.atEnd()) throw cur.error('CLUSTER BY: missing ")"');
    const t = cur.next();
    const symbol = t.type === 'symbol' ? t.text : '';
    if ((symbol === ')' || symbol === ',') && depth === 0) {
      if (item.length === 0) throw cur.unexpectedAt(t, 'a clustering key expression');
      keys.push(keyOf(item, sql, base));
      item = [];
      if (symbol === ')') return { keys, close: t };
      continue;
    }
    if (symbol === '(') depth++;
    if (symbol === ')') depth--;
    item.push(t);
  }
}

function keyOf(item: Token[], sql: string, base: number): ClusterKey {
  const [only] = item;
  if (item.length === 1 && only && (only.type === 'word' || only.type === 'quoted')) return { column: resolveIdent(only.type === 'quoted' ? only.value : only.text, only.type === 'quoted') };
  return { expression: sql.slice(item[0]!.start - base, item[item.length - 1]!.end - base) };
}

/**
 * CREATE TABLE's `CLUSTER BY (…)` clause (before a CTAS query's AS), cut out of the statement text — blanked, so
 * positions in error messages stay right — because the parser rejects keys with expressions.
 */
export function extractClusterBy(sql: string, tokens: readonly Token[]): { sql: string; keys: ClusterKey[] } | undefined {
  const base = tokens[0]!.start;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'symbol' && t.text === '(') depth++;
    else if (t.type === 'symbol' && t.text === ')') depth--;
    else if (depth === 0 && t.type === 'word' && t.value === 'AS') return undefined;
    else if (depth === 0 && t.type === 'word' && t.value === 'CLUSTER' && tokens[i + 1]?.type === 'word' && tokens[i + 1]!.value === 'BY') {
      const { keys, close } = parseClusterKeys(new TokenCursor(tokens.slice(i + 2)), sql, base);
      const from = t.start - base;
      const to = close.end - base;
      return { sql: sql.slice(0, from) + ' '.repeat(to - from) + sql.slice(to), keys };
    }
  }
  return undefined;
}

/** Column keys must name columns of the table (Snowflake: "invalid identifier"). */
export function checkClusterKeys(keys: readonly ClusterKey[], def: Pick<TableDef, 'columns'>): void {
  for (const k of keys) if ('column' in k && !def.columns.some((c) => c.name === k.column)) throw compilationError(`invalid identifier '${displayIdent(k.column)}'`);
}

/** SHOW TABLES `cluster_by`, as Snowflake prints it. */
export const showClusterBy = (def: TableDef): string =>
  def.clusterBy ? `LINEAR(${def.clusterBy.map((k) => ('column' in k ? displayIdent(k.column) : k.expression)).join(', ')})` : '';

/** What decides whether a table gets the backend's index (a table being created has no full TableDef yet). */
type IndexedTable = Partial<Pick<TableDef, 'clusterBy' | 'tracked' | 'temporary'>>;

/** The columns of the backend's index for the table's clustering key: only a key of plain columns gets one. */
function indexColumns(def: IndexedTable): string[] | undefined {
  const keys = def.clusterBy;
  // A tracked table's rows live in a base table behind a view, and temporary tables are short-lived: neither is indexed.
  if (!keys || keys.length === 0 || def.tracked || def.temporary) return undefined;
  const cols = keys.flatMap((k) => ('column' in k ? [k.column] : []));
  return cols.length === keys.length ? cols : undefined;
}

/** Whether the table gets the backend's index for its clustering key (and is therefore read by key: `readByKey`). */
export const hasClusterIndex = (def: IndexedTable): boolean => indexColumns(def) !== undefined;

export function createClusterIndexSql(d: WarehouseDialect, def: TableDef): string[] {
  const cols = indexColumns(def);
  return cols ? d.clusterIndex.create(physicalTableOf(d, def), def, cols) : [];
}

export function dropClusterIndexSql(d: WarehouseDialect, def: TableDef): string[] {
  return indexColumns(def) ? d.clusterIndex.drop(def) : [];
}

/**
 * `ALTER TABLE t CLUSTER BY (…)`, `… DROP CLUSTERING KEY`, `… SUSPEND | RESUME RECLUSTER` (the cursor stands after
 * the table name): the table's new definition, or undefined when the statement is another ALTER TABLE.
 */
export function alterClusteringKey(cur: TokenCursor, sql: string, def: TableDef): TableDef | undefined {
  if (cur.acceptWords('CLUSTER', 'BY')) {
    const { keys: clusterBy } = parseClusterKeys(cur, sql, cur.tokens[0]!.start);
    cur.expectEnd();
    checkClusterKeys(clusterBy, def);
    return { ...def, clusterBy };
  }
  if (cur.acceptWords('DROP', 'CLUSTERING', 'KEY')) {
    cur.expectEnd();
    const { clusterBy: _dropped, ...rest } = def;
    return rest;
  }
  if (cur.acceptWords('SUSPEND', 'RECLUSTER')) {
    cur.expectEnd();
    return { ...def, reclusterSuspended: true };
  }
  if (cur.acceptWords('RESUME', 'RECLUSTER')) {
    cur.expectEnd();
    const { reclusterSuspended: _resumed, ...rest } = def;
    return rest;
  }
  return undefined;
}
