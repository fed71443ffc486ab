/**
 * Transaction boundaries in one place. Snowflake runs each statement in its own transaction unless BEGIN
 * opened one; floe adds what change tracking needs at the boundaries: the stream read point (the committed
 * version when the transaction began), the change lock and version of a writing transaction, and the commit
 * event for tracked tables.
 */
import type { TableDef } from '../core/catalog/catalog-model.js';
import type { EngineCore, SessionState } from './exec-context.js';
import { EXPLICIT_TRANSACTIONS, reclusters } from './changes/table-gate.js';

export interface TransactionChanges {
  /** Committed change version when the explicit transaction began: what its stream reads see. */
  startVersion: number;
  /** This transaction's change version, once it wrote a tracked table. */
  version?: number;
  /** Tracked tables written, by id (for the commit event). */
  written: Map<string, TableDef>;
  /** Tables whose streams this transaction consumed (for log compaction after commit). */
  consumedTables: Set<string>;
  /**
   * Offsets as they were before this transaction moved them: later reads in the same transaction still see
   * offset → transaction start (repeatable read, reference §1.6).
   */
  offsetsBefore: Map<string, { offset: number; initialPending: boolean; lastReadMs: number }>;
}

export const newTransactionChanges = (startVersion: number): TransactionChanges => ({
  startVersion,
  written: new Map(),
  consumedTables: new Set(),
  offsetsBefore: new Map(),
});

export async function beginExplicit(engine: EngineCore, session: SessionState): Promise<void> {
  // A table rebuilt in the background must not be swapped under this transaction's snapshot (table-gate.ts).
  if (reclusters(engine.driver.dialect)) await engine.clock.gate.enter(session, EXPLICIT_TRANSACTIONS);
  // Read the point first: a snapshot taken after this read contains everything up to it.
  session.txn = newTransactionChanges(engine.clock.committed);
  await session.conn.execute('BEGIN TRANSACTION');
  session.inTransaction = true;
}

/** End the session's open transaction (explicit or statement-owned). */
export async function endTransaction(engine: EngineCore, session: SessionState, commit: boolean): Promise<void> {
  const txn = session.txn;
  let committed = false;
  try {
    await session.conn.execute(commit ? 'COMMIT' : 'ROLLBACK');
    committed = commit;
  } finally {
    session.inTransaction = false;
    session.txn = undefined;
    afterTransaction(engine, session, txn, committed);
  }
}

function afterTransaction(engine: EngineCore, session: SessionState, txn: TransactionChanges | undefined, committed: boolean): void {
  engine.clock.release(session, committed ? txn?.version : undefined);
  if (!committed || !txn) return;
  if (txn.version !== undefined && txn.written.size > 0) {
    const tables = [...txn.written.values()].map((t) => ({ id: t.id as string, database: t.database, schema: t.schema, name: t.name }));
    engine.events.emitCommit({ version: txn.version, tables });
  }
  for (const id of txn.consumedTables) engine.compactor.schedule(id);
  for (const id of txn.written.keys()) if (!engine.catalog.streamsOnTable(id).length) engine.compactor.schedule(id);
}

/**
 * Run `work` in the session's transaction: the explicit one if open, else one of its own that commits
 * when `work` succeeds and rolls back when it fails (Snowflake's autocommit statement).
 */
export async function inTransaction<T>(engine: EngineCore, session: SessionState, work: (txn: TransactionChanges) => Promise<T>): Promise<T> {
  if (session.inTransaction && session.txn) return work(session.txn);
  session.txn = newTransactionChanges(engine.clock.committed);
  await session.conn.execute('BEGIN TRANSACTION');
  session.inTransaction = true;
  let result: T;
  try {
    result = await work(session.txn);
  } catch (e) {
    await endTransaction(engine, session, false).catch(() => undefined);
    throw e;
  }
  await endTransaction(engine, session, true);
  return result;
}
