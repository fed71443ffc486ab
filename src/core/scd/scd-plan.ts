/**
 * SCD applier planner: config → Snowflake SQL text (docs/scd.md). Two scripts:
 *  - setup: CREATE TABLE IF NOT EXISTS for the event log, the work tables, the key states and the targets;
 *  - apply: one transaction that takes the new events of a batch, rejects bad batches, records the events in the
 *    event log and recomputes the targets' rows of the touched keys (scd-apply-keyed.ts; scd-apply-refold.ts for
 *    configs with a truncate predicate).
 * Everything is set-based; the history of a key is a function of the *set* of its events, so batch splits,
 * arrival order and re-application cannot change the result (scd-semantics.md §4.3, invariants 6–7).
 */
import { resolveScdConfig, type ResolvedScdConfig, type ScdConfig } from './scd-config.js';
import { OP, versionsCtes } from './scd-fold-sql.js';
import { keyedApplySql, keyStateSelect, SRC } from './scd-apply-keyed.js';
import { refoldApplySql } from './scd-apply-refold.js';
import { eventColumns, names } from './scd-sql-parts.js';

export interface ScdPlan {
  setup: string;
  apply: string;
}

/** Key states need every key's last event to be its own; a truncate is every key's event (scd-apply-refold.ts). */
const usesKeyStates = (c: ResolvedScdConfig): boolean => c.truncateWhen === undefined;

export function planScd(config: ScdConfig): ScdPlan {
  const c = resolveScdConfig(config);
  return { setup: setupSql(c), apply: usesKeyStates(c) ? keyedApplySql(c) : refoldApplySql(c) };
}

const typed = (cols: { name: string; type: string }[]): string[] => cols.map((col) => `${col.name} ${col.type}`);

function eventDefinition(c: ResolvedScdConfig): string[] {
  return [...typed(c.keys), ...typed(c.sequenceBy), `${OP} VARCHAR(1)`, ...typed(c.columns)];
}

function setupSql(c: ResolvedScdConfig): string {
  const keyed = usesKeyStates(c);
  const t = c.sequenceBy[0]!.type;
  const out = [
    `-- Every accepted event, exact duplicates collapsed (${OP}: U upsert, D delete${c.truncateWhen ? ', T truncate' : ''}).\n` +
      `-- The applier's memory for late events, early deletes (tombstones) and runs of no-op updates: keep it.\n` +
      `-- Clustered by key: a late key's events are read by key (floe's DuckDB backend indexes the key).\n` +
      `CREATE TABLE IF NOT EXISTS ${c.eventLog} (\n  ${eventDefinition(c).join(',\n  ')}\n) CLUSTER BY (${names(c.keys)});`,
    `-- Work table for the batch being applied${keyed ? ` (${SRC}: B a new event, L a logged event of a late key)` : ''}; empty outside the apply transaction.\n` +
      `CREATE TABLE IF NOT EXISTS ${c.batchTable} (\n  ${[...eventDefinition(c), `${SRC} VARCHAR(1)`].join(',\n  ')}\n);`,
  ];
  const payload = typed([...c.keys, ...c.columns]);
  if (keyed || (c.scd1 && c.scd2)) {
    const cols = [...payload, ...typed(c.sequenceBy), `__FROM ${t}`, `__NEXT ${t}`, `__DEL INTEGER`];
    out.push(`-- Work table: the touched keys' versions, folded once and read by every target; empty outside the apply transaction.\nCREATE TABLE IF NOT EXISTS ${c.versionsTable} (\n  ${cols.join(',\n  ')}\n);`);
  }
  if (keyed) {
    const all = eventColumns(c);
    out.push(
      `-- Key states: every key's last event (${OP} U or D, values after ignore-null) and __FROM, where its current\n` +
        `-- version began. New events after it are folded onto this row alone; the event log is read only for late keys.\n` +
        `CREATE TABLE IF NOT EXISTS ${c.keysTable} (\n  ${[...eventDefinition(c), `__FROM ${t}`].join(',\n  ')}\n);`,
      `-- Fill the key states once from an event log kept without them (nothing to do on a new project).\n` +
        `INSERT INTO ${c.keysTable} (${all}, __FROM)\n${versionsCtes(c, `SELECT ${all} FROM ${c.eventLog}`, { tombstones: true })}\n` +
        `${keyStateSelect(c, '__VERSIONS')} AND NOT EXISTS (SELECT 1 FROM ${c.keysTable});`,
    );
  }
  if (c.scd1) {
    out.push(`-- SCD1: the current row of every live key.\nCREATE TABLE IF NOT EXISTS ${c.scd1.table} (\n  ${[...payload, ...typed(c.sequenceBy)].join(',\n  ')}\n);`);
  }
  if (c.scd2) {
    const meta = [`${c.scd2.validFrom} ${t}`, `${c.scd2.validTo} ${t}`, ...(c.scd2.isCurrent ? [`${c.scd2.isCurrent} BOOLEAN`] : [])];
    out.push(
      `-- SCD2: one row per version, valid over [${c.scd2.validFrom}, ${c.scd2.validTo}); ` +
        `the current version ends at ${c.scd2.endValue ?? 'NULL'}.\nCREATE TABLE IF NOT EXISTS ${c.scd2.table} (\n  ${[...payload, ...meta].join(',\n  ')}\n);`,
    );
  }
  return out.join('\n\n') + '\n';
}
