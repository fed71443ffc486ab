/**
 * The affected window of a late key (scd-semantics §4.5), bounded on both sides. Whether an event starts a run
 * depends only on it and the event before it (runStart), and a version shows its run's last event, so new events
 * between two logged ones change only the runs around them: the run holding the last logged event before the
 * earliest new one (from its start `s`), up to the first run start `r` after the first logged event following the
 * latest new one. Runs before `s` and from `r` on keep their versions. So a late key is refolded from the logged
 * events in [s, r] and its new events — `r` itself only to end the window's last version, and marked `R` in the
 * batch work table — instead of from all its events, and only its closed versions starting in [s, r) are replaced.
 * A key whose window reaches its last event (no `r`: a new event after the last logged one, or no run start after
 * it) is refolded to the end and its state replaced, as before.
 *
 * Only without ignore-null: there a NULL inherits the value of the latest earlier upsert, so a late event can change
 * every later version (case 11); such configs refold late keys from all their events.
 */
import type { ResolvedScdConfig } from './scd-config.js';
import { OP, runStart } from './scd-fold-sql.js';
import { eventColumns, keyMatch, names, seqMatch, SRC } from './scd-sql-parts.js';

/** Whether late keys are refolded over their window only (else from all their events). */
export const windowed = (c: ResolvedScdConfig): boolean => c.ignoreNull.length === 0;

/**
 * The logged events of every key with both logged and new events in the batch work table, numbered in fold order
 * (`__RN`), each logged one with its run start flag among the logged events alone, and the window per key:
 * `__SRN` the number of `s` (NULL: from the first event), `__RRN` the number of `r` (NULL: to the end).
 * Logged events count as such whether or not already marked `R`, so the bounds come out the same before and after.
 */
function windowBounds(c: ResolvedScdConfig): string {
  const keys = names(c.keys);
  const of = (a: string): string => names(c.keys, `${a}.`);
  const del = `CASE WHEN b.${OP} = 'U' THEN 0 ELSE 1 END`;
  const logged = `CASE WHEN ${SRC} = 'B' THEN 0 ELSE 1 END`;
  return `WITH __E AS (SELECT ${eventColumns(c, 'b.')}, CASE WHEN b.${SRC} = 'B' THEN 0 ELSE 1 END AS __LOGGED, ${del} AS __DEL,
      ROW_NUMBER() OVER (PARTITION BY ${of('b')} ORDER BY ${names(c.sequenceBy, 'b.')}, ${del}) AS __RN
    FROM ${c.batchTable} b JOIN (SELECT ${keys} FROM ${c.batchTable} GROUP BY ${keys}
      HAVING SUM(${logged}) > 0 AND SUM(${logged}) < COUNT(*)) k ON ${keyMatch(c, 'k', 'b')}),
  __L AS (SELECT __E.*, ROW_NUMBER() OVER (PARTITION BY ${keys} ORDER BY __RN) AS __RNL FROM __E WHERE __LOGGED = 1),
  __S AS (SELECT ${of('__F')}, __F.__RN, ${runStart(c, '__RNL')} AS __CHG
    FROM __L __F LEFT JOIN __L __P ON ${keyMatch(c, '__P', '__F')} AND __P.__RNL = __F.__RNL - 1),
  __X AS (SELECT ${keys}, MIN(__RN) AS __XMIN, MAX(__RN) AS __XMAX FROM __E WHERE __LOGGED = 0 GROUP BY ${keys}),
  __Q AS (SELECT ${of('x')}, MIN(e.__RN) AS __QRN FROM __X x JOIN __E e ON ${keyMatch(c, 'x', 'e')} AND e.__LOGGED = 1 AND e.__RN > x.__XMAX
    GROUP BY ${of('x')}),
  __W AS (SELECT ${of('x')}, MAX(CASE WHEN s.__CHG = 1 AND s.__RN < x.__XMIN THEN s.__RN END) AS __SRN,
      MIN(CASE WHEN s.__CHG = 1 AND s.__RN > q.__QRN THEN s.__RN END) AS __RRN
    FROM __X x JOIN __S s ON ${keyMatch(c, 'x', 's')} LEFT JOIN __Q q ON ${keyMatch(c, 'x', 'q')} GROUP BY ${of('x')})
  SELECT ${of('e')}, ${names(c.sequenceBy, 'e.')}, e.${OP}, e.__RN, w.__SRN, w.__RRN FROM __E e JOIN __W w ON ${keyMatch(c, 'e', 'w')} WHERE e.__LOGGED = 1`;
}

/** Statements that narrow each late key's logged events in the batch work table to its window (see above). */
export function windowSql(c: ResolvedScdConfig): string[] {
  const batch = c.batchTable;
  const sameRow = `${keyMatch(c, 'd', 't')} AND ${seqMatch(c, 'd', 't')} AND d.${OP} = t.${OP}`;
  return [
    `UPDATE ${batch} t SET ${SRC} = 'R' FROM (${windowBounds(c)}) AS d\nWHERE t.${SRC} = 'L' AND d.__RN = d.__RRN AND ${sameRow};`,
    `DELETE FROM ${batch} t USING (${windowBounds(c)}) AS d\nWHERE t.${SRC} = 'L' AND (d.__RN < d.__SRN OR d.__RN > d.__RRN) AND ${sameRow};`,
  ];
}
