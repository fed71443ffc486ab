/**
 * The apply script that refolds every touched key from all its logged events. Used when the config has a
 * truncate predicate: a truncate touches every key, and an event before a logged truncate is late for keys the
 * applier has never seen, so key states cannot tell append from late (scd-apply-keyed.ts is the fast path).
 */
import type { ResolvedScdConfig } from './scd-config.js';
import { OP, versionsCtes } from './scd-fold-sql.js';
import { eventColumns, guardSql, keyMatch, names, normalisedSource, sameEvent, scd1Insert, scd2Insert, seqMatch, versionColumns } from './scd-sql-parts.js';

export function refoldApplySql(c: ResolvedScdConfig): string {
  const all = eventColumns(c);
  // Touched keys: those with new events; a truncate touches every key.
  const touched = (alias: string): string =>
    `(EXISTS (SELECT 1 FROM ${c.batchTable} w WHERE ${keyMatch(c, 'w', alias)})` +
    (c.truncateWhen ? ` OR EXISTS (SELECT 1 FROM ${c.batchTable} w WHERE w.${OP} = 'T'))` : ')');
  let events = `SELECT ${all} FROM ${c.eventLog} l WHERE ${c.truncateWhen ? `l.${OP} <> 'T' AND ` : ''}${touched('l')}`;
  if (c.truncateWhen) {
    // A truncate is a delete of every key at its sequence.
    events += `\n      UNION ALL SELECT ${names(c.keys, 'k.')}, ${names(c.sequenceBy, 't.')}, 'T', ${c.columns.map((col) => `NULL AS ${col.name}`).join(', ')}
      FROM (SELECT DISTINCT ${names(c.keys)} FROM ${c.eventLog} l WHERE l.${OP} <> 'T' AND ${touched('l')}) k
      CROSS JOIN (SELECT ${names(c.sequenceBy)} FROM ${c.eventLog} WHERE ${OP} = 'T') t`;
  }
  const ctes = versionsCtes(c, events);
  // With both targets the fold runs once into a work table; with one, it feeds the insert directly.
  const shared = c.scd1 !== undefined && c.scd2 !== undefined;
  const versionCols = versionColumns(c);
  const versions = shared ? '' : `${ctes}\n`;
  const fromVersions = shared ? c.versionsTable : '__VERSIONS';

  const out: string[] = [
    'BEGIN TRANSACTION;',
    `-- 1. The batch's new events (anything already in the event log is a re-delivery and is skipped).\nDELETE FROM ${c.batchTable};`,
    `INSERT INTO ${c.batchTable} (${all})\nSELECT ${eventColumns(c, 'e.')}\nFROM (${normalisedSource(c)}) e\n` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${c.eventLog} l WHERE ${sameEvent(c, 'l', 'e')});`,
    `-- 2. Reject the batch (the error ends the transaction; nothing is applied, the source is not consumed) on a\n` +
      `--    NULL key or sequence, or two different upserts with the same key and sequence.\n` +
      guardSql(c, `EXISTS (SELECT 1 FROM ${c.eventLog} l WHERE l.${OP} = 'U' AND ${keyMatch(c, 'l', 'w')} AND ${seqMatch(c, 'l', 'w')})`),
    `-- 3. Remember the events.\nINSERT INTO ${c.eventLog} (${all}) SELECT ${all} FROM ${c.batchTable};`,
  ];
  if (shared) {
    out.push(
      `-- 4. Recompute the versions of every touched key from all its events (late events splice into the past).\nDELETE FROM ${c.versionsTable};`,
      `INSERT INTO ${c.versionsTable} (${versionCols})\n${ctes}\nSELECT ${versionCols}\nFROM __VERSIONS;`,
    );
  }
  if (c.scd2) {
    out.push(
      `-- ${shared ? 5 : 4}. SCD2: replace the history of every touched key by its recomputed versions.\n` +
        `DELETE FROM ${c.scd2.table} t WHERE ${touched('t')};`,
      scd2Insert(c, fromVersions, versions),
    );
  }
  if (c.scd1) {
    out.push(
      `-- ${shared ? 6 : 5}. SCD1: the current version of every touched key that is live.\nDELETE FROM ${c.scd1.table} t WHERE ${touched('t')};`,
      scd1Insert(c, fromVersions, versions),
    );
  }
  out.push(`DELETE FROM ${c.batchTable};`, ...(shared ? [`DELETE FROM ${c.versionsTable};`] : []), 'COMMIT;');
  return out.join('\n\n') + '\n';
}
