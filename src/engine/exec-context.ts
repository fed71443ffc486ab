/**
 * What a statement handler sees: the engine's shared parts, the session's state, and the statement.
 * Handlers return rows; the session turns them into StatementResults.
 */
import type { Catalog, CatalogChange } from '../core/catalog/catalog.js';
import type { WarehouseConnection, WarehouseDriver } from '../core/ports/warehouse.js';
import type { ObjectStoreResolver } from '../core/ports/object-store.js';
import type { FloeValue, ResultColumn } from '../core/result.js';
import type { Token } from '../sql/lexer.js';
import { endTransaction } from './transactions.js';
import { TempTables } from './temp-tables.js';
import type { MetadataStore } from './metadata-store.js';
import type { SessionParameters } from './session-parameters.js';
import type { RememberedResult } from './session-functions.js';
import type { ChangeClock } from './changes/change-clock.js';
import type { ChangeEvents } from './changes/change-events.js';
import type { LogCompactor } from './changes/log-compactor.js';
import type { Reclusterer } from './clustering/reclusterer.js';
import { EXPLICIT_TRANSACTIONS, reclusters } from './changes/table-gate.js';
import type { Clock } from '../core/ports/clock.js';
import type { TaskScheduler } from './tasks/task-scheduler.js';
import type { TransactionChanges } from './transactions.js';
import type { StatementChanges } from './changes/statement-changes.js';
import type { PipeRuntime } from './pipe/pipe-runtime.js';
import type { TableDef } from '../core/catalog/catalog-model.js';

export interface EngineCore {
  driver: WarehouseDriver;
  catalog: Catalog;
  metadata: MetadataStore;
  /** Buckets (floe.yaml) and the folder that holds internal stages. */
  storage: EngineStorage;
  /** Runs catalog-changing work one at a time across sessions. */
  serialize<T>(work: () => Promise<T>): Promise<T>;
  /** Change versions and the change lock (streams). */
  clock: ChangeClock;
  events: ChangeEvents;
  compactor: LogCompactor;
  reclusterer: Reclusterer;
  /** Wall clock in ms (injectable so tests can age streams). */
  now(): number;
  /** JavaScript procedure sandbox limits (EngineOptions.procedures); defaults apply when unset. */
  procedureLimits?: { timeLimitMs?: number; memoryLimitMb?: number };
  /** The pipe service (auto-ingest queue and loader). */
  pipes: PipeRuntime;
  /** The Clock port (task schedules). */
  timeSource: Clock;
  tasks: TaskScheduler;
}

export interface EngineStorage {
  resolver: ObjectStoreResolver;
  /** Absolute folder for internal, table and user stages. */
  internalRoot: string;
}

/** What a session running a task body knows about that run (SYSTEM$… task functions). */
export interface TaskRunContext {
  name: string;
  returnValue?: string;
  /** Return values of this run's predecessors, by upper-case task name. */
  predecessorValues: Map<string, string>;
  /** The graph's CONFIG (merged with EXECUTE TASK … USING CONFIG), parsed. */
  config: Record<string, unknown> | undefined;
}

export interface SessionState {
  database: string | undefined;
  schema: string | undefined;
  role: string;
  warehouse: string | undefined;
  user: string;
  params: SessionParameters;
  inTransaction: boolean;
  /** Change-tracking state of the open transaction (explicit, or the one a statement runs in). */
  txn: TransactionChanges | undefined;
  conn: WarehouseConnection;
  lastQueryId: string | undefined;
  /** Job (query) id of the session's last COPY INTO <table> (VALIDATE … JOB_ID => '_last'). */
  lastCopyJob?: string;
  /** Recent results by query id, oldest first (RESULT_SCAN). */
  results: Map<string, RememberedResult>;
  /** Set while the session runs a task body. */
  task?: TaskRunContext;
  /** The session's temporary tables (see temp-tables.ts); unset where names must not see them (view bodies). */
  temporary?: TempTables;
  /**
   * Called when the session's running statement is cancelled (task timeouts, SYSTEM$USER_TASK_CANCEL_…):
   * work that is not a backend statement (a JavaScript procedure's worker) registers here to stop too.
   */
  cancelHooks?: Set<() => void>;
}

export interface StatementInput {
  sql: string;
  tokens: Token[];
  /** Script line of the statement's first token (for error positions inside the statement). */
  line: number;
}

export interface HandlerResult {
  /** The statement's query id when the handler chose it (COPY: its job id). */
  queryId?: string;
  columns: ResultColumn[];
  rows: FloeValue[][];
  rowsAffected?: number;
}

export interface ExecContext {
  engine: EngineCore;
  session: SessionState;
  stmt: StatementInput;
  /** Streams read and tracked tables written by the statement being bound (see analyzeChanges). */
  changes?: StatementChanges;
  /** Table references (by full-name key) bound to derived-table SQL instead (a stream on a view reads its table's changes). */
  overrides?: Map<string, string>;
}

export const statusResult = (message: string): HandlerResult => ({
  columns: [{ name: 'status', type: 'TEXT' }],
  rows: [[message]],
});

export const countsResult = (counts: [string, number][]): HandlerResult => ({
  columns: counts.map(([name]) => ({ name, type: 'NUMBER', precision: 38, scale: 0 })),
  rows: [counts.map(([, n]) => n)],
  rowsAffected: counts.reduce((a, [, n]) => a + n, 0),
});

/**
 * DDL in Snowflake commits any open transaction and then runs in its own transaction. floe also commits
 * the catalog change with the physical DDL, so a crash leaves both or neither.
 */
/** Physical statements of a DDL; a function is called under the change lock (e.g. to read the committed version). */
export type PhysicalDdl = readonly string[] | (() => readonly string[]);

export interface DdlOptions {
  /** Streams whose consumers must be idle (dropped or replaced streams). */
  streams?: readonly string[];
  /** A temporary table change: applied to the session's overlay after the commit, never to the shared catalog. */
  temporary?: { remove?: TableDef; put?: TableDef };
  /**
   * Backend statements committed on their own just before the DDL's transaction: dropping an access path (an index)
   * that the backend will not let the DDL change while it exists, even in the same transaction. The DDL re-creates it.
   */
  before?: readonly string[];
}

export async function commitDdl(ctx: ExecContext, physical: PhysicalDdl, change: CatalogChange, options: DdlOptions = {}): Promise<void> {
  const { session, engine } = ctx;
  await engine.serialize(async () => {
    if (session.inTransaction) await endTransaction(engine, session, true);
    // DDL can change what is tracked (streams, tracked storage): never while a writer is mid-transaction,
    // and a stream is dropped or replaced only while no transaction consumes it.
    await engine.clock.acquire(session);
    try {
      // Not while a table is swapped for its rebuild in key order (table-gate.ts); released with the change lock.
      if (reclusters(engine.driver.dialect)) await engine.clock.gate.enter(session, EXPLICIT_TRANSACTIONS);
      for (const id of options.streams ?? []) await engine.clock.acquireStream(session, id);
      for (const sql of options.before ?? []) await session.conn.execute(sql);
      await applyCatalogChange(engine, session.conn, physical, change);
    } finally {
      engine.clock.release(session);
    }
  });
  const temp = options.temporary;
  if (temp) {
    session.temporary ??= new TempTables();
    if (temp.remove) session.temporary.remove(temp.remove);
    if (temp.put) session.temporary.put(temp.put);
  }
}

/**
 * Physical statements and the catalog change in one backend transaction on `conn`; the in-memory catalog
 * changes only after that commit. Callers own serialization (engine.serialize) and the change lock.
 */
export async function applyCatalogChange(engine: EngineCore, conn: WarehouseConnection, physical: PhysicalDdl, change: CatalogChange): Promise<void> {
  await conn.execute('BEGIN TRANSACTION');
  try {
    for (const sql of typeof physical === 'function' ? physical() : physical) await conn.execute(sql);
    await engine.metadata.persist(conn, change);
    await conn.execute('COMMIT');
  } catch (e) {
    await conn.execute('ROLLBACK').catch(() => undefined);
    throw e;
  }
  engine.catalog.apply(change);
}
