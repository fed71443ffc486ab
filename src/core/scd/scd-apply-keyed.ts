/**
 * The apply script with key states (scd-semantics §4.5, the affected window): the key-state table holds, for every
 * live key, its last event (sequence, op, values after ignore-null) and the start of its current version; the
 * tombstones table holds every deleted key's last sequence (a deleted key's next version needs nothing else).
 * A key whose new events all come after its last event is folded from that one row plus the new events, so its
 * past is never read; only keys with late or re-delivered events bring their logged events into the work table and
 * are refolded from all of them. A batch without late events therefore never reads the event log. SCD2's current
 * versions are key states too (the SCD2 target is a view: scd2View), so a run appends the versions it closes and
 * never searches the history for them; it finds the touched keys' rows of SCD1 and the key states by a join on the
 * key — on DuckDB a scan of their key columns, which grow with the keys, not with the history.
 *
 * Equivalence with the full refold (the property test checks it batch by batch): the fold of a key's events only
 * depends, at its last event, on the sequence, the op, the effective values, and where the open run began. The
 * state row stands for the whole past as one pseudo-event carrying exactly those, with the run's start as its first
 * sequence component (still before every new event, so the order is kept).
 */
import type { ResolvedScdConfig } from './scd-config.js';
import { OP, versionsCtes } from './scd-fold-sql.js';
import { archivedLateEvents, archiveMoves, archiveQueueInsert } from './scd-archive-sql.js';
import { archiveOrder, closedInsert, eventColumns, guardSql, keyMatch, names, normalisedSource, sameEvent, scd1Insert, seqAfter, versionColumns } from './scd-sql-parts.js';

/** Marks batch work-table rows: 'B' a new event of the batch, 'L' a logged event of a late key, 'A' an archived one. */
export const SRC = '__SRC';

/** The key-state row of every key among the fold's results (`__NEXT IS NULL`: a key's last event). */
export function keyStateSelect(c: ResolvedScdConfig, from: string): string {
  return `SELECT ${names(c.keys)}, ${names(c.sequenceBy)}, CASE WHEN __DEL = 1 THEN 'D' ELSE 'U' END, ${names(c.columns)}, __FROM\nFROM ${from}\nWHERE __NEXT IS NULL`;
}

export function keyedApplySql(c: ResolvedScdConfig): string {
  const all = eventColumns(c);
  const batch = c.batchTable;
  const keys = names(c.keys);
  // Key sets as derived tables joined on the key: DuckDB turns a correlated EXISTS with any filter besides the key
  // match into a join over every distinct key of the outer table (a 2.9M-row history: 170 ms instead of 15).
  const touchedKeys = `(SELECT DISTINCT ${keys} FROM ${batch})`;
  // A logged event of a late key: from the event log ('L') or, with the archive, from the archive ('A'). Without the
  // archive the statements stay exactly those of before it.
  const logged = c.archive ? `<> 'B'` : `= 'L'`;
  const appendKeys = `(SELECT ${keys} FROM ${batch} GROUP BY ${keys} HAVING SUM(CASE WHEN ${SRC} ${logged} THEN 1 ELSE 0 END) = 0)`;
  const [first, ...rest] = c.sequenceBy;
  // The key state as a pseudo-event: its last event, dated at the start of its open run.
  const pseudo = `SELECT ${names(c.keys, 'k.')}, k.__FROM AS ${first!.name}${rest.map((s) => `, k.${s.name}`).join('')}, k.${OP}, ${names(c.columns, 'k.')}
      FROM ${c.keysTable} k JOIN ${appendKeys} a ON ${keyMatch(c, 'a', 'k')}`;
  const ctes = versionsCtes(c, `SELECT ${all} FROM ${batch}\n      UNION ALL ${pseudo}`, { tombstones: true });
  const versionCols = versionColumns(c);
  const deleteTouched = (table: string): string => `DELETE FROM ${table} t USING ${touchedKeys} AS tk WHERE ${keyMatch(c, 'tk', 't')};`;
  // Every key's last sequence: live keys' from the key states, deleted keys' from the tombstones.
  const lastSeqs = `${names(c.keys)}, ${names(c.sequenceBy)}`;
  const lastEvents = `(SELECT ${lastSeqs} FROM ${c.keysTable} UNION ALL SELECT ${lastSeqs} FROM ${c.tombstonesTable})`;
  const lateKeys =
    `(SELECT DISTINCT ${names(c.keys, 'w.')} FROM ${batch} w JOIN ${lastEvents} k ON ${keyMatch(c, 'k', 'w')}\n` +
    `  WHERE w.${SRC} = 'B' AND NOT ${seqAfter(c, 'w', 'k')})`;
  // Keys whose last event is now a delete (the fold's tombstone rows).
  const deleted = `(SELECT ${keys} FROM ${c.versionsTable} WHERE __NEXT IS NULL AND __DEL = 1)`;
  const refolded = (which: string): string => `(SELECT ${keys} FROM ${batch} WHERE ${SRC} ${which} GROUP BY ${keys})`;

  const out: string[] = [
    'BEGIN TRANSACTION;',
    `-- 1. The batch's events.\nDELETE FROM ${batch};`,
    `INSERT INTO ${batch} (${all}, ${SRC})\nSELECT ${eventColumns(c, 'e.')}, 'B'\nFROM (${normalisedSource(c)}) e;`,
    `-- 2. Keys with an event at or before their last one (late, or re-delivered) are refolded from all their events:\n` +
      `--    bring their logged events in. In a batch without such keys the event log is not read.\n` +
      `INSERT INTO ${batch} (${all}, ${SRC})\nSELECT ${eventColumns(c, 'l.')}, 'L'\nFROM ${c.eventLog} l\n` +
      `JOIN ${lateKeys} lk ON ${keyMatch(c, 'lk', 'l')};`,
    ...(c.archive ? [archivedLateEvents(c, SRC, lastEvents)] : []),
    `-- 3. Drop re-deliveries: new events already in the event log (re-applied batches change nothing).\n` +
      `DELETE FROM ${batch} e USING (SELECT ${all} FROM ${batch} WHERE ${SRC} ${logged}) AS l\nWHERE e.${SRC} = 'B' AND ${sameEvent(c, 'l', 'e')};`,
    `-- 4. Reject the batch (the error ends the transaction; nothing is applied, the source is not consumed) on a\n` +
      `--    NULL key or sequence, or two different upserts with the same key and sequence (logged ones included).\n` +
      guardSql(c),
    `-- 5. Remember the new events.\nINSERT INTO ${c.eventLog} (${all}) SELECT ${all} FROM ${batch} WHERE ${SRC} = 'B'${archiveOrder(c)};`,
    `-- 6. Fold every touched key: a late key from all its events, any other from its state and its new events.\nDELETE FROM ${c.versionsTable};`,
    `INSERT INTO ${c.versionsTable} (${versionCols})\n${ctes}\nSELECT ${versionCols}\nFROM __VERSIONS;`,
  ];
  if (c.scd2) {
    // The SCD2 target is a view over the closed versions and the key states (scd2View): a version that closes is
    // appended, and only a late key, refolded from all its events, has its closed versions replaced.
    out.push(
      `-- 7. SCD2: the versions the batch closed are appended; a late key's closed versions are replaced. (Current versions\n` +
        `--    are key states, step ${c.scd1 ? 9 : 8}.)\n` +
        `DELETE FROM ${c.closedTable} t USING ${refolded(logged)} AS r WHERE ${keyMatch(c, 'r', 't')};`,
      ...(c.archive ? [`DELETE FROM ${c.closedArchiveTable} t USING ${refolded("= 'A'")} AS r WHERE ${keyMatch(c, 'r', 't')};`] : []),
      closedInsert(c, c.versionsTable),
    );
  }
  if (c.scd1) {
    out.push(`-- ${c.scd2 ? 8 : 7}. SCD1: the current version of every touched key that is live.\n${deleteTouched(c.scd1.table)}`, scd1Insert(c, c.versionsTable));
  }
  const step = c.scd1 && c.scd2 ? 9 : 8;
  out.push(
    `-- ${step}. The touched keys' new states: a live key's last event, a deleted key's tombstone.` +
      (c.archive ? ` A key deleted before and live\n--    again keeps its tombstone: it may have archived events.` : '') +
      `\n${deleteTouched(c.keysTable)}`,
    c.archive ? `DELETE FROM ${c.tombstonesTable} t USING ${deleted} AS d WHERE ${keyMatch(c, 'd', 't')};` : deleteTouched(c.tombstonesTable),
    `INSERT INTO ${c.keysTable} (${all}, __FROM)\n${keyStateSelect(c, c.versionsTable)} AND __DEL = 0;`,
    `INSERT INTO ${c.tombstonesTable} (${lastSeqs})\nSELECT ${lastSeqs}\nFROM ${c.versionsTable}\nWHERE __NEXT IS NULL AND __DEL = 1;`,
  );
  if (c.archive) out.push(archiveQueueInsert(c, deleted));
  out.push(`DELETE FROM ${batch};`, `DELETE FROM ${c.versionsTable};`, 'COMMIT;');
  if (c.archive) out.push(archiveMoves(c, step + 1));
  return out.join('\n\n') + '\n';
}
