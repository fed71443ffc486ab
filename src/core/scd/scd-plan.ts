/**
 * SCD applier planner: config → Snowflake SQL text (docs/scd.md). Two scripts:
 *  - setup: CREATE TABLE IF NOT EXISTS for the event log, the batch work table and the targets;
 *  - apply: one transaction that takes the new events of a batch, rejects bad batches, records the events in the
 *    event log and recomputes the targets' rows of the touched keys from the log (scd-fold-sql.ts).
 * Everything is set-based; the history of a key is a function of the *set* of its events, so batch splits,
 * arrival order and re-application cannot change the result (scd-semantics.md §4.3, invariants 6–7).
 */
import { resolveScdConfig, type ResolvedScdConfig, type ScdConfig } from './scd-config.js';
import { balanced, OP, versionsCtes } from './scd-fold-sql.js';

export interface ScdPlan {
  setup: string;
  apply: string;
}

const names = (cols: { name: string }[], prefix = ''): string => cols.map((c) => `${prefix}${c.name}`).join(', ');
const keyMatch = (c: ResolvedScdConfig, a: string, b: string): string => balanced('AND', c.keys.map((k) => `${a}.${k.name} = ${b}.${k.name}`), 'TRUE');
const seqMatch = (c: ResolvedScdConfig, a: string, b: string): string => balanced('AND', c.sequenceBy.map((s) => `${a}.${s.name} = ${b}.${s.name}`), 'TRUE');
const toText = (expr: string): string => `COALESCE(TO_VARCHAR(${expr}), 'NULL')`;
const tuple = (cols: { name: string }[], alias: string): string =>
  `'(' || ${cols.map((col) => toText(`${alias}.${col.name}`)).join(` || ', ' || `)} || ')'`;

export function planScd(config: ScdConfig): ScdPlan {
  const c = resolveScdConfig(config);
  return { setup: setupSql(c), apply: applySql(c) };
}

function eventColumns(c: ResolvedScdConfig): string {
  return [...c.keys, ...c.sequenceBy].map((col) => `${col.name} ${col.type}`).concat(`${OP} VARCHAR(1)`, ...c.columns.map((col) => `${col.name} ${col.type}`)).join(',\n  ');
}

function setupSql(c: ResolvedScdConfig): string {
  const out = [
    `-- Every accepted event, exact duplicates collapsed (${OP}: U upsert, D delete${c.truncateWhen ? ', T truncate' : ''}).\n` +
      `-- The applier's memory for late events, early deletes (tombstones) and runs of no-op updates: keep it.\n` +
      `CREATE TABLE IF NOT EXISTS ${c.eventLog} (\n  ${eventColumns(c)}\n);`,
    `-- Work table for the batch being applied; empty outside the apply transaction.\nCREATE TABLE IF NOT EXISTS ${c.batchTable} (\n  ${eventColumns(c)}\n);`,
  ];
  const payload = [...c.keys, ...c.columns].map((col) => `${col.name} ${col.type}`);
  if (c.scd1 && c.scd2) {
    const t = c.sequenceBy[0]!.type;
    const cols = [...payload, ...c.sequenceBy.map((s) => `${s.name} ${s.type}`), `__FROM ${t}`, `__NEXT ${t}`];
    out.push(`-- Work table: the touched keys' versions, folded once and read by both targets; empty outside the apply transaction.\nCREATE TABLE IF NOT EXISTS ${c.versionsTable} (\n  ${cols.join(',\n  ')}\n);`);
  }
  if (c.scd1) {
    out.push(`-- SCD1: the current row of every live key.\nCREATE TABLE IF NOT EXISTS ${c.scd1.table} (\n  ${[...payload, ...c.sequenceBy.map((s) => `${s.name} ${s.type}`)].join(',\n  ')}\n);`);
  }
  if (c.scd2) {
    const t = c.sequenceBy[0]!.type;
    const meta = [`${c.scd2.validFrom} ${t}`, `${c.scd2.validTo} ${t}`, ...(c.scd2.isCurrent ? [`${c.scd2.isCurrent} BOOLEAN`] : [])];
    out.push(
      `-- SCD2: one row per version, valid over [${c.scd2.validFrom}, ${c.scd2.validTo}); ` +
        `the current version ends at ${c.scd2.endValue ?? 'NULL'}.\nCREATE TABLE IF NOT EXISTS ${c.scd2.table} (\n  ${[...payload, ...meta].join(',\n  ')}\n);`,
    );
  }
  return out.join('\n\n') + '\n';
}

/** Source rows normalised to events: op derived from the predicates, delete payloads blanked so duplicates collapse. */
function normalisedSource(c: ResolvedScdConfig): string {
  const op = `CASE${c.truncateWhen ? ` WHEN (${c.truncateWhen}) THEN 'T'` : ''}${c.deleteWhen ? ` WHEN (${c.deleteWhen}) THEN 'D'` : ''} ELSE 'U' END`;
  const filters = [...(c.source.kind === 'stream' ? [`METADATA$ACTION = 'INSERT'`] : []), ...(c.source.where ? [`(${c.source.where})`] : [])];
  const inner = `SELECT ${names(c.keys)}, ${names(c.sequenceBy)}, ${op} AS ${OP}, ${names(c.columns)} FROM ${c.source.name}${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''}`;
  const keys = c.truncateWhen ? c.keys.map((k) => `CASE WHEN ${OP} = 'T' THEN NULL ELSE ${k.name} END AS ${k.name}`).join(', ') : names(c.keys);
  const payload = c.columns.map((col) => `CASE WHEN ${OP} = 'U' THEN ${col.name} END AS ${col.name}`).join(', ');
  return `SELECT DISTINCT ${keys}, ${names(c.sequenceBy)}, ${OP}, ${payload} FROM (${inner}) __S`;
}

function applySql(c: ResolvedScdConfig): string {
  const all = `${names(c.keys)}, ${names(c.sequenceBy)}, ${OP}, ${names(c.columns)}`;
  const payloadEqual = balanced('AND', c.columns.map((col) => `EQUAL_NULL(l.${col.name}, e.${col.name})`), 'TRUE');
  const sameEvent = c.truncateWhen
    ? `((e.${OP} = 'T' AND l.${OP} = 'T' AND ${seqMatch(c, 'l', 'e')}) OR (${keyMatch(c, 'l', 'e')} AND ${seqMatch(c, 'l', 'e')} AND l.${OP} = e.${OP} AND (e.${OP} <> 'U' OR (${payloadEqual}))))`
    : `${keyMatch(c, 'l', 'e')} AND ${seqMatch(c, 'l', 'e')} AND l.${OP} = e.${OP} AND (e.${OP} <> 'U' OR (${payloadEqual}))`;
  // The batch is DISTINCT over every column, so two of its upserts with one key and sequence differ in payload;
  // GROUP BY finds them in one hash aggregate (a correlated self-EXISTS cost ~10× more on DuckDB).
  const conflict = `'floe scd: conflicting events for key ' || ${tuple(c.keys, 'w')} || ' at sequence ' || ${tuple(c.sequenceBy, 'w')}`;
  const nullKey = balanced('OR', c.keys.map((k) => `w.${k.name} IS NULL`), 'FALSE');
  const nullSeq = balanced('OR', c.sequenceBy.map((s) => `w.${s.name} IS NULL`), 'FALSE');
  const notT = c.truncateWhen ? ` AND w.${OP} <> 'T'` : '';

  // Touched keys: those with new events; a truncate touches every key.
  const touched = (alias: string): string =>
    `(EXISTS (SELECT 1 FROM ${c.batchTable} w WHERE ${keyMatch(c, 'w', alias)})` +
    (c.truncateWhen ? ` OR EXISTS (SELECT 1 FROM ${c.batchTable} w WHERE w.${OP} = 'T'))` : ')');
  let events = `SELECT l.* FROM ${c.eventLog} l WHERE ${c.truncateWhen ? `l.${OP} <> 'T' AND ` : ''}${touched('l')}`;
  if (c.truncateWhen) {
    // A truncate is a delete of every key at its sequence.
    events += `\n      UNION ALL SELECT ${names(c.keys, 'k.')}, ${names(c.sequenceBy, 't.')}, 'T', ${c.columns.map((col) => `NULL AS ${col.name}`).join(', ')}
      FROM (SELECT DISTINCT ${names(c.keys)} FROM ${c.eventLog} l WHERE l.${OP} <> 'T' AND ${touched('l')}) k
      CROSS JOIN (SELECT ${names(c.sequenceBy)} FROM ${c.eventLog} WHERE ${OP} = 'T') t`;
  }
  const ctes = versionsCtes(c, events);
  // With both targets the fold runs once into a work table; with one, it feeds the insert directly.
  const shared = c.scd1 !== undefined && c.scd2 !== undefined;
  const versionCols = [...c.keys, ...c.columns, ...c.sequenceBy].map((col) => col.name).concat('__FROM', '__NEXT').join(', ');
  const versions = shared ? '' : `${ctes}\n`;
  const fromVersions = shared ? c.versionsTable : '__VERSIONS';

  const out: string[] = [
    'BEGIN TRANSACTION;',
    `-- 1. The batch's new events (anything already in the event log is a re-delivery and is skipped).\nDELETE FROM ${c.batchTable};`,
    `INSERT INTO ${c.batchTable} (${all})\nSELECT ${names(c.keys, 'e.')}, ${names(c.sequenceBy, 'e.')}, e.${OP}, ${names(c.columns, 'e.')}\nFROM (${normalisedSource(c)}) e\n` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${c.eventLog} l WHERE ${sameEvent});`,
    `-- 2. Reject the batch (the error ends the transaction; nothing is applied, the source is not consumed) on a\n` +
      `--    NULL key or sequence, or two different upserts with the same key and sequence.\n` +
      `SELECT CAST(__MSG AS INT) AS REJECTED FROM (\n` +
      `  SELECT 'floe scd: NULL key in a batch event at sequence ' || ${tuple(c.sequenceBy, 'w')} AS __MSG FROM ${c.batchTable} w WHERE (${nullKey})${notT}\n` +
      `  UNION ALL SELECT 'floe scd: NULL sequence in a batch event for key ' || ${tuple(c.keys, 'w')} FROM ${c.batchTable} w WHERE ${nullSeq}\n` +
      `  UNION ALL SELECT ${conflict}\n` +
      `    FROM ${c.batchTable} w WHERE w.${OP} = 'U' AND EXISTS (SELECT 1 FROM ${c.eventLog} l WHERE l.${OP} = 'U' AND ${keyMatch(c, 'l', 'w')} AND ${seqMatch(c, 'l', 'w')})\n` +
      `  UNION ALL SELECT ${conflict}\n` +
      `    FROM ${c.batchTable} w WHERE w.${OP} = 'U' GROUP BY ${names(c.keys, 'w.')}, ${names(c.sequenceBy, 'w.')} HAVING COUNT(*) > 1\n` +
      `) __X LIMIT 1;`,
    `-- 3. Remember the events.\nINSERT INTO ${c.eventLog} (${all}) SELECT ${all} FROM ${c.batchTable};`,
  ];
  if (shared) {
    out.push(
      `-- 4. Recompute the versions of every touched key from all its events (late events splice into the past).\nDELETE FROM ${c.versionsTable};`,
      `INSERT INTO ${c.versionsTable} (${versionCols})\n${ctes}\nSELECT ${versionCols}\nFROM __VERSIONS;`,
    );
  }
  if (c.scd2) {
    const s = c.scd2;
    const end = s.endValue !== undefined ? `COALESCE(__NEXT, '${s.endValue}'::${c.sequenceBy[0]!.type})` : '__NEXT';
    const cols = [...c.keys, ...c.columns].map((col) => col.name);
    out.push(
      `-- ${shared ? 5 : 4}. SCD2: replace the history of every touched key by its recomputed versions.\n` +
        `DELETE FROM ${s.table} t WHERE ${touched('t')};`,
      `INSERT INTO ${s.table} (${[...cols, s.validFrom, s.validTo, ...(s.isCurrent ? [s.isCurrent] : [])].join(', ')})\n` +
        `${versions}SELECT ${cols.join(', ')}, __FROM, ${end}${s.isCurrent ? ', __NEXT IS NULL' : ''}\nFROM ${fromVersions};`,
    );
  }
  if (c.scd1) {
    const cols = [...c.keys, ...c.columns, ...c.sequenceBy].map((col) => col.name).join(', ');
    out.push(
      `-- ${shared ? 6 : 5}. SCD1: the current version of every touched key that is live.\nDELETE FROM ${c.scd1.table} t WHERE ${touched('t')};`,
      `INSERT INTO ${c.scd1.table} (${cols})\n${versions}SELECT ${cols}\nFROM ${fromVersions}\nWHERE __NEXT IS NULL;`,
    );
  }
  out.push(`DELETE FROM ${c.batchTable};`, ...(shared ? [`DELETE FROM ${c.versionsTable};`] : []), 'COMMIT;');
  return out.join('\n\n') + '\n';
}
