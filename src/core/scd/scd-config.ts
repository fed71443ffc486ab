/**
 * What the SCD applier needs to know about a change feed and its targets (reference scd-semantics.md §4.2).
 * Plain data: the file format (YAML/JSON, zod) lives in src/config/scd-config.ts; this module validates the
 * parts that decide whether the generated SQL is safe (identifiers, types, literals).
 */
import { FloeError } from '../errors.js';

export interface ScdColumn {
  name: string;
  /** Snowflake type, e.g. NUMBER(38,0), VARCHAR, TIMESTAMP_NTZ. */
  type: string;
}

export interface ScdConfig {
  /** Where the batch comes from: a stream (only its INSERT rows are events) or a table (re-read idempotently). */
  source: { name: string; kind: 'stream' | 'table'; where?: string };
  /** Entity key; composite keys compare column by column, never concatenated. NULL parts reject the batch. */
  keys: ScdColumn[];
  /** Sequence tuple, compared lexicographically; the first column is what SCD2 validity holds. */
  sequenceBy: ScdColumn[];
  /** Payload columns carried into the targets (besides keys and sequence). */
  columns: ScdColumn[];
  /** SQL predicate over source columns: TRUE makes the event a delete (FALSE/NULL: upsert). */
  deleteWhen?: string;
  /** SQL predicate marking a whole-table truncate at the event's sequence (SCD1 only, as Databricks). */
  truncateWhen?: string;
  /** Columns whose change opens a new SCD2 version (default: every payload column); others overwrite in place. */
  trackHistory?: string[];
  trackHistoryExcept?: string[];
  /** NULL in an upsert means "not provided" (keep the value authored before): all columns, or a list. */
  ignoreNullUpdates?: boolean | string[];
  /** Auxiliary table holding every accepted event (the applier's memory: late events, tombstones, runs). */
  eventLog: string;
  /** Work table for the batch being applied (default: event log name + `_BATCH`). Empty between runs. */
  batchTable?: string;
  /** Work table for the recomputed versions (default: event log name + `_VERSIONS`). Empty between runs. */
  versionsTable?: string;
  /** Key states: each live key's last event and the start of its current version (default: event log name + `_KEYS`). */
  keysTable?: string;
  /** Tombstones: the last delete's sequence of each key whose last event is a delete, and (with `archive`) of each key
   *  with archived rows (default: event log name + `_TOMBSTONES`). */
  tombstonesTable?: string;
  /** SCD2's closed versions (default: event log name + `_CLOSED`); the SCD2 target is a view over it and the key states. */
  closedTable?: string;
  /** Move deleted keys' events and closed versions out of the clustered tables into unclustered archive tables, so
   *  those hold live keys' rows only (default false: the moves cost more than they save in short runs; not with
   *  `truncateWhen`). */
  archive?: boolean;
  /** Deleted keys' events (default: event log name + `_ARCHIVE`). */
  archiveTable?: string;
  /** Deleted keys' closed versions (default: event log name + `_CLOSED_ARCHIVE`). */
  closedArchiveTable?: string;
  /** Keys deleted since the last move (default: event log name + `_ARCHIVE_QUEUE`). */
  archiveQueueTable?: string;
  /** Move deleted keys' rows once this many wait (default 1000): one move of many keys costs about what one of a few
   *  does (a scan of the clustered tables' key columns). */
  archiveBatch?: number;
  scd1?: { table: string };
  scd2?: {
    table: string;
    validFrom?: string;
    validTo?: string;
    /** Column name of the current flag, or null for none. */
    isCurrent?: string | null;
    /** Literal for the end of the current version (e.g. `9999-12-31 00:00:00`); absent = NULL. */
    endValue?: string;
  };
}

/** The config with defaults applied and every name checked. */
export interface ResolvedScdConfig extends Omit<ScdConfig, 'scd2'> {
  batchTable: string;
  versionsTable: string;
  keysTable: string;
  tombstonesTable: string;
  closedTable: string;
  archive: boolean;
  archiveTable: string;
  closedArchiveTable: string;
  archiveQueueTable: string;
  archiveBatch: number;
  tracked: string[];
  ignoreNull: string[];
  scd2?: { table: string; validFrom: string; validTo: string; isCurrent: string | null; endValue?: string };
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/;
const TYPE = /^[A-Za-z_][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/;
const LITERAL = /^[0-9A-Za-z :.+\-_]*$/;

const bad = (key: string, message: string): FloeError => new FloeError('CONFIG', `scd config: ${key}: ${message}`);

function checkIdent(key: string, name: string): void {
  if (!IDENT.test(name)) throw bad(key, `'${name}' is not a plain identifier (letters, digits, _ and $)`);
  if (name.startsWith('__')) throw bad(key, `'${name}': names starting with __ are reserved for the applier`);
}

function checkPredicate(key: string, sql: string | undefined): void {
  // Predicates are the user's own SQL; keep them to one expression so they cannot end the statement.
  if (sql !== undefined && (sql.includes(';') || sql.trim() === '')) throw bad(key, 'must be one SQL expression (no ;)');
}

export function resolveScdConfig(c: ScdConfig): ResolvedScdConfig {
  for (const [key, name] of [['source.name', c.source.name], ['eventLog', c.eventLog], ['batchTable', c.batchTable], ['versionsTable', c.versionsTable], ['keysTable', c.keysTable], ['tombstonesTable', c.tombstonesTable], ['closedTable', c.closedTable], ['archiveTable', c.archiveTable], ['closedArchiveTable', c.closedArchiveTable], ['archiveQueueTable', c.archiveQueueTable], ['scd1.table', c.scd1?.table], ['scd2.table', c.scd2?.table]] as const) {
    if (name !== undefined && !QUALIFIED.test(name)) throw bad(key, `'${name}' is not a [db.][schema.]name identifier`);
  }
  if (c.keys.length === 0) throw bad('keys', 'at least one key column is required');
  if (c.sequenceBy.length === 0) throw bad('sequenceBy', 'at least one sequence column is required');
  if (c.columns.length === 0) throw bad('columns', 'at least one payload column is required');
  const seen = new Set<string>();
  for (const [group, cols] of [['keys', c.keys], ['sequenceBy', c.sequenceBy], ['columns', c.columns]] as const) {
    for (const col of cols) {
      checkIdent(group, col.name);
      if (!TYPE.test(col.type)) throw bad(group, `type '${col.type}' of ${col.name} is not a type name`);
      const upper = col.name.toUpperCase();
      if (seen.has(upper)) throw bad(group, `column ${col.name} appears twice`);
      seen.add(upper);
    }
  }
  checkPredicate('deleteWhen', c.deleteWhen);
  checkPredicate('truncateWhen', c.truncateWhen);
  checkPredicate('source.where', c.source.where);
  if (!c.scd1 && !c.scd2) throw bad('scd1/scd2', 'configure at least one target table');
  if (c.truncateWhen !== undefined && c.scd2) throw bad('truncateWhen', 'truncate is supported for SCD1 only (as in Databricks AUTO CDC); remove scd2 or truncateWhen');
  // A truncate is every key's event, so the full refold reads every key's whole log; there is nothing to archive.
  if (c.truncateWhen !== undefined && c.archive === true) throw bad('archive', 'not with truncateWhen (every key is refolded from its whole log); remove archive or truncateWhen');

  const payload = c.columns.map((col) => col.name.toUpperCase());
  const pick = (key: string, names: string[]): string[] =>
    names.map((n) => {
      const i = payload.indexOf(n.toUpperCase());
      if (i < 0) throw bad(key, `${n} is not one of the payload columns`);
      return c.columns[i]!.name;
    });
  if (c.trackHistory && c.trackHistoryExcept) throw bad('trackHistory', 'use trackHistory or trackHistoryExcept, not both');
  let tracked = c.columns.map((col) => col.name);
  if (c.trackHistory) tracked = pick('trackHistory', c.trackHistory);
  if (c.trackHistoryExcept) {
    const except = new Set(pick('trackHistoryExcept', c.trackHistoryExcept).map((n) => n.toUpperCase()));
    tracked = tracked.filter((n) => !except.has(n.toUpperCase()));
  }
  const ignoreNull =
    c.ignoreNullUpdates === true ? c.columns.map((col) => col.name) : Array.isArray(c.ignoreNullUpdates) ? pick('ignoreNullUpdates', c.ignoreNullUpdates) : [];

  let scd2: ResolvedScdConfig['scd2'];
  if (c.scd2) {
    const s = c.scd2;
    scd2 = { table: s.table, validFrom: s.validFrom ?? 'VALID_FROM', validTo: s.validTo ?? 'VALID_TO', isCurrent: s.isCurrent === undefined ? 'IS_CURRENT' : s.isCurrent };
    for (const [key, name] of [['scd2.validFrom', scd2.validFrom], ['scd2.validTo', scd2.validTo], ['scd2.isCurrent', scd2.isCurrent]] as const) {
      if (name === null) continue;
      checkIdent(key, name);
      if (seen.has(name.toUpperCase())) throw bad(key, `${name} clashes with a source column`);
    }
    if (s.endValue !== undefined) {
      if (!LITERAL.test(s.endValue)) throw bad('scd2.endValue', `'${s.endValue}' must be a plain literal such as 9999-12-31 00:00:00`);
      scd2.endValue = s.endValue;
    }
  }
  const batchTable = c.batchTable ?? `${c.eventLog}_BATCH`;
  const versionsTable = c.versionsTable ?? `${c.eventLog}_VERSIONS`;
  const keysTable = c.keysTable ?? `${c.eventLog}_KEYS`;
  const tombstonesTable = c.tombstonesTable ?? `${c.eventLog}_TOMBSTONES`;
  const closedTable = c.closedTable ?? `${c.eventLog}_CLOSED`;
  const archive = c.archive ?? false;
  const archiveTable = c.archiveTable ?? `${c.eventLog}_ARCHIVE`;
  const closedArchiveTable = c.closedArchiveTable ?? `${c.eventLog}_CLOSED_ARCHIVE`;
  const archiveQueueTable = c.archiveQueueTable ?? `${c.eventLog}_ARCHIVE_QUEUE`;
  const archiveBatch = c.archiveBatch ?? 1000;
  if (!Number.isInteger(archiveBatch) || archiveBatch < 1) throw bad('archiveBatch', `${archiveBatch} is not a whole number of keys ≥ 1`);
  const { scd2: _given, ...rest } = c;
  const tables = { batchTable, versionsTable, keysTable, tombstonesTable, closedTable, archiveTable, closedArchiveTable, archiveQueueTable };
  return { ...rest, ...tables, archive, archiveBatch, tracked, ignoreNull, ...(scd2 ? { scd2 } : {}) };
}
