/**
 * The reference fold (scd-semantics.md §4.3) as one set-based query: per key, order the events, derive the
 * effective values, cut runs of equal tracked values into versions and give each its [start, end). It only uses
 * window functions Snowflake, DuckDB and PostgreSQL all have (no IGNORE NULLS, no QUALIFY), so the same text runs
 * everywhere floe does.
 */
import type { ResolvedScdConfig } from './scd-config.js';

/** Internal column names; user columns may not start with `__` (checked in resolveScdConfig). */
export const OP = '__OP';

const list = (names: string[], prefix = ''): string => names.map((n) => `${prefix}${n}`).join(', ');

/** `a AND b AND …` as a balanced tree: long flat chains (hundreds of columns) overflow SQL printers' stacks. */
export function balanced(op: 'AND' | 'OR', items: string[], empty: string): string {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0]!;
  const mid = Math.ceil(items.length / 2);
  return `(${balanced(op, items.slice(0, mid), empty)} ${op} ${balanced(op, items.slice(mid), empty)})`;
}

/**
 * Common table expressions computing the versions of every key in `events` (a query with the event-log columns);
 * the last one, `__VERSIONS`, has one row per version:
 * keys, payload (the values of its last event), the sequence columns of its last event, `__FROM` (first
 * sequence component of the run's first event) and `__NEXT` (of the event after the run; NULL = current).
 * Zero-width versions are already dropped. With `tombstones`, a key whose last event is a delete also gets that
 * event's row (`__DEL = 1`, `__NEXT` NULL), so every key's last event is in the result (the key states).
 */
export function versionsCtes(c: ResolvedScdConfig, events: string, options: { tombstones?: boolean } = {}): string {
  const keys = c.keys.map((k) => k.name);
  const seqs = c.sequenceBy.map((s) => s.name);
  const cols = c.columns.map((col) => col.name);
  const byKey = `PARTITION BY ${list(keys)}`;
  const ordered = `${byKey} ORDER BY __RN`;
  const running = `${ordered} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`;
  const first = seqs[0]!;

  // 1. Order per key: sequence tuple, then upserts before deletes (a delete at the same sequence wins).
  const ctes = [`__EVENTS AS (${events})`];
  let prev = '__ORDERED';
  // (`*` where possible: statements over hundreds of columns must stay small enough for SQL printers.)
  ctes.push(`__ORDERED AS (SELECT __E.*, CASE WHEN ${OP} = 'U' THEN 0 ELSE 1 END AS __DEL,
      ROW_NUMBER() OVER (${byKey} ORDER BY ${list(seqs)}, CASE WHEN ${OP} = 'U' THEN 0 ELSE 1 END) AS __RN
    FROM __EVENTS __E)`);

  // 2. Ignore-null: a NULL keeps the value authored by the latest earlier upsert after the last delete. Without
  //    IGNORE NULLS: count non-NULL values so far; each count group holds exactly one authored value.
  if (c.ignoreNull.length > 0) {
    const counts = c.ignoreNull.map((n, i) => `COUNT(${n}) OVER (PARTITION BY ${list(keys)}, __LIFE ORDER BY __RN ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __N${i}`);
    ctes.push(`__LIVES AS (SELECT __O.*, SUM(__DEL) OVER (${running}) AS __LIFE FROM ${prev} __O)`);
    ctes.push(`__COUNTED AS (SELECT __L.*, ${counts.join(', ')} FROM __LIVES __L)`);
    const ignore = new Map(c.ignoreNull.map((n, i) => [n.toUpperCase(), i]));
    const effective = cols.map((n) => {
      const i = ignore.get(n.toUpperCase());
      return i === undefined ? n : `CASE WHEN __DEL = 1 THEN NULL ELSE MAX(${n}) OVER (PARTITION BY ${list(keys)}, __LIFE, __N${i}) END AS ${n}`;
    });
    ctes.push(`__EFFECTIVE AS (SELECT ${list(keys)}, ${list(seqs)}, ${effective.join(', ')}, __DEL, __RN FROM __COUNTED)`);
    prev = '__EFFECTIVE';
  }

  // 3. A version starts at an upsert that follows nothing, a delete, or an upsert with different tracked values
  //    (null-safe). Deletes are their own group so they end the run before them.
  //    The previous event comes from a self-join on the row number rather than one LAG per column: with hundreds of
  //    tracked columns the window specs alone make statements too large for SQL printers.
  const same = balanced('AND', c.tracked.map((n) => `EQUAL_NULL(__F.${n}, __P.${n})`), 'TRUE');
  ctes.push(`__CHANGES AS (SELECT __F.*, CASE WHEN __F.__DEL = 1 OR __P.__RN IS NULL OR __P.__DEL = 1 OR NOT ${same} THEN 1 ELSE 0 END AS __CHG
    FROM ${prev} __F LEFT JOIN ${prev} __P ON ${keys.map((k) => `__P.${k} = __F.${k}`).join(' AND ')} AND __P.__RN = __F.__RN - 1)`);
  // 4. End of the run (the next event's sequence), whether this row is the run's last member, and the run's start:
  //    the sequence of the latest run-starting event so far (the first sequence component never decreases along
  //    __RN). All three share one window, so the engine sorts each key's events once more, not twice. The visible
  //    row carries the last event's values.
  ctes.push(`__RUNS AS (SELECT __G.*, LEAD(${first}) OVER (${ordered}) AS __NEXT, COALESCE(LEAD(__CHG) OVER (${ordered}), 1) AS __TAIL,
      MAX(CASE WHEN __CHG = 1 THEN ${first} END) OVER (${running}) AS __FROM
    FROM __CHANGES __G)`);
  ctes.push(`__VERSIONS AS (SELECT *
    FROM __RUNS
    WHERE (__DEL = 0 AND __TAIL = 1 AND (__NEXT IS NULL OR __FROM < __NEXT))${options.tombstones ? ' OR (__DEL = 1 AND __NEXT IS NULL)' : ''})`);
  return `WITH ${ctes.join(',\n')}`;
}
