/**
 * SCD applier planner: config → Snowflake SQL text (docs/scd.md). Two scripts:
 *  - setup: CREATE TABLE IF NOT EXISTS for the event log, the work tables, the key states and the targets (with
 *    key states, the SCD2 target is a view over its closed versions and the key states: scd2View);
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
import { archiveSetup } from './scd-archive-sql.js';
import { closedInsert, eventColumns, names, scd2View } from './scd-sql-parts.js';

export interface ScdPlan {
  setup: string;
  apply: string;
  /** Whether the scripts keep deleted keys' rows in the archive tables (`archive`, key-state applies only). */
  archive: boolean;
}

/** Key states need every key's last event to be its own; a truncate is every key's event (scd-apply-refold.ts). */
const usesKeyStates = (c: ResolvedScdConfig): boolean => c.truncateWhen === undefined;

export interface PlanOptions {
  /** Plan the full-refold apply (and an SCD2 table) even where key states would do: the reference to compare with. */
  refold?: boolean;
}

export function planScd(config: ScdConfig, options: PlanOptions = {}): ScdPlan {
  const resolved = resolveScdConfig(config);
  const keyed = usesKeyStates(resolved) && !options.refold;
  // The archive belongs to the key-state apply; the full refold reads whole logs.
  const c = keyed ? resolved : { ...resolved, archive: false };
  return { setup: setupSql(c, keyed), apply: keyed ? keyedApplySql(c) : refoldApplySql(c), archive: c.archive };
}

const typed = (cols: { name: string; type: string }[]): string[] => cols.map((col) => `${col.name} ${col.type}`);

function eventDefinition(c: ResolvedScdConfig): string[] {
  return [...typed(c.keys), ...typed(c.sequenceBy), `${OP} VARCHAR(1)`, ...typed(c.columns)];
}

function setupSql(c: ResolvedScdConfig, keyed: boolean): string {
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
  const meta = c.scd2 ? [`${c.scd2.validFrom} ${t}`, `${c.scd2.validTo} ${t}`] : [];
  if (keyed) out.push(...keyStateSetup(c, [...payload, ...meta]));
  if (c.scd1) {
    out.push(`-- SCD1: the current row of every live key.\nCREATE TABLE IF NOT EXISTS ${c.scd1.table} (\n  ${[...payload, ...typed(c.sequenceBy)].join(',\n  ')}\n);`);
  }
  if (c.scd2) {
    const head = `-- SCD2: one row per version, valid over [${c.scd2.validFrom}, ${c.scd2.validTo}); the current version ends at ${c.scd2.endValue ?? 'NULL'}.`;
    const flag = c.scd2.isCurrent ? [`${c.scd2.isCurrent} BOOLEAN`] : [];
    out.push(
      keyed
        ? `${head}\n-- A view: the closed versions above, and each live key's current version, which is its key state. So a run\n` +
            `-- appends the versions it closes instead of searching the history for them (docs/scd.md, "Storage").\n${scd2View(c)}`
        : `${head}\nCREATE TABLE IF NOT EXISTS ${c.scd2.table} (\n  ${[...payload, ...meta, ...flag].join(',\n  ')}\n);`,
    );
  }
  return out.join('\n\n') + '\n';
}

/** The key states and, with SCD2, its closed versions; each filled once from a log kept without them. */
function keyStateSetup(c: ResolvedScdConfig, closedColumns: string[]): string[] {
  const all = eventColumns(c);
  const folded = `${versionsCtes(c, `SELECT ${all} FROM ${c.eventLog}`, { tombstones: true })}\n`;
  const unfilled = `NOT EXISTS (SELECT 1 FROM ${c.keysTable})`;
  const out = [
    `-- Key states: every live key's last event (${OP} U, values after ignore-null) and __FROM, where its current\n` +
      `-- version began. New events after it are folded onto this row alone; the event log is read only for late keys.\n` +
      `CREATE TABLE IF NOT EXISTS ${c.keysTable} (\n  ${[...eventDefinition(c), `__FROM ${c.sequenceBy[0]!.type}`].join(',\n  ')}\n);`,
    `-- Tombstones: the sequence of every deleted key's last event (a delete), so that an older event still counts as\n` +
      `-- late. Kept apart from the key states, which every run reads in full: a deleted key is never folded from its state.\n` +
      (c.archive ? `-- A key upserted again after a delete keeps its row (the last delete's sequence): it may have archived rows.\n` : '') +
      `CREATE TABLE IF NOT EXISTS ${c.tombstonesTable} (\n  ${[...typed(c.keys), ...typed(c.sequenceBy)].join(',\n  ')}\n);`,
  ];
  if (c.archive) out.push(...archiveSetup(c, eventDefinition(c), typed(c.keys), closedColumns));
  if (c.scd2) {
    out.push(
      `-- SCD2's closed versions: appended to as versions close; a key with late events has its closed versions\n` +
        `-- rewritten. Clustered by key: those are found by key (floe's DuckDB backend indexes the key).\n` +
        `CREATE TABLE IF NOT EXISTS ${c.closedTable} (\n  ${closedColumns.join(',\n  ')}\n) CLUSTER BY (${names(c.keys)});`,
      `-- Fill the closed versions once from an event log kept without key states (nothing to do on a new project).\n` +
        closedInsert(c, '__VERSIONS', folded, unfilled),
    );
  }
  out.push(
    `-- Fill the key states once from an event log kept without them (nothing to do on a new project).\n` +
      `INSERT INTO ${c.keysTable} (${all}, __FROM)\n${folded}${keyStateSelect(c, '__VERSIONS')} AND ${unfilled};`,
  );
  return out;
}
