/**
 * What a statement does to change tracking, worked out before it is bound: the streams it reads (with the
 * SQL of their change rows between offset and read point) and the tracked tables it writes. A DML statement
 * that reads a stream consumes it: its offset moves to the read point in the statement's transaction.
 */
import { compilationError, FloeError } from '../../core/errors.js';
import { displayName, fullKey, type FullName } from '../../core/catalog/identifiers.js';
import type { StreamDef, TableDef } from '../../core/catalog/catalog-model.js';
import { netChangesSql, type StreamInterval } from '../../core/stream/net-changes.js';
import { staleAfterMs } from '../../core/stream/staleness.js';
import { nodeKind, type AstNode } from '../../sql/ast/ast-node.js';
import { tableRefsOf } from '../../sql/translate/bind-statement.js';
import type { ExecContext } from '../exec-context.js';
import { qualify } from '../resolve-names.js';
import { lookupTable } from '../temp-tables.js';
import { changeTables } from './change-store.js';
import { reclusters } from './table-gate.js';
import { hasClusterIndex } from '../handlers/clustering-key.js';
import { retentionOf, trackedSource } from './stream-source.js';
import { streamableViewQuery, viewContext, viewQuery } from './view-expansion.js';
import { viewDeltaSql } from './view-delta.js';
import { addSnowflakeOutputNames } from '../output-names.js';
import { prepareForBackend, print } from '../translate.js';

export interface StreamRead {
  stream: StreamDef;
  table: TableDef;
  interval: StreamInterval;
  sql: string;
  /** The offset the read started from (the transaction's, so advanceOffsets need not read it again). */
  offset: OffsetRow;
}

export interface StatementChanges {
  /** Streams read, by full-name key. */
  streams: Map<string, StreamRead>;
  /** Tracked tables written. */
  writes: TableDef[];
  /** The statement writes (DML/CTAS): reading a stream consumes it. */
  consumes: boolean;
}

export function streamStaleError(s: StreamDef, why: string): FloeError {
  return compilationError(
    `Stream ${displayName(s)} has become stale (${why}). Its unconsumed changes are no longer available; ` +
      `recreate it with CREATE OR REPLACE STREAM ${displayName(s)} ON TABLE … to start reading from now.`,
  );
}

/** The stream's source table, or why the stream is stale. */
export function streamSource(ctx: ExecContext, s: StreamDef): { table: TableDef; tables: TableDef[]; view?: TableDef } | { stale: string } {
  const tables: TableDef[] = [];
  for (const id of s.baseTableIds ?? [s.tableId]) {
    const table = ctx.engine.catalog.tableById(id);
    if (!table) return { stale: 'its source table was dropped or replaced' };
    if (!table.tracked) return { stale: 'change tracking was turned off on its source table' };
    tables.push(table);
  }
  const table = tables[0] as TableDef;
  if (!s.view) return { table, tables };
  const view = ctx.engine.catalog.table(s.view.database, s.view.schema, s.view.name);
  if (!view || view.kind !== 'VIEW' || view.id !== s.view.id) return { stale: 'its source view was dropped or replaced' };
  return { table, tables, view };
}

/**
 * Analyze the statement; when it writes tracked tables, take the change lock, and when it consumes streams,
 * their consume locks — first, before the backend transaction begins, so an autocommit statement's snapshot
 * includes every earlier writer's commit and it reads the offsets the last consumer committed.
 */
export async function analyzeChanges(ctx: ExecContext, ast: AstNode, writes: boolean): Promise<StatementChanges> {
  const streams = new Map<string, { full: FullName; def: StreamDef }>();
  const tracked = new Map<string, TableDef>();
  const named = new Map<TableDef, boolean>();
  collectRefs(ctx, ast, streams, tracked, new Set(), named);
  const out: StatementChanges = { streams: new Map(), writes: [...tracked.values()], consumes: writes && streams.size > 0 };
  // Tables read through views need no hold: an autocommit statement only reads them, and an explicit transaction
  // holds the gate from BEGIN anyway (transactions.ts). A DELETE only removes rows (a rebuild tolerates that); any
  // other write but INSERT may change existing rows.
  const kind = nodeKind(ast);
  const edit = kind === 'delete' ? 'delete' : kind !== 'insert';
  for (const [table, written] of named) await enterTableGate(ctx, table, written && edit);
  if (out.writes.length > 0) await ctx.engine.clock.acquire(ctx.session);
  if (out.consumes) for (const { def } of streams.values()) await ctx.engine.clock.acquireStream(ctx.session, def.id);
  if (streams.size === 0) return out;
  const readPoint = ctx.session.txn?.startVersion ?? ctx.engine.clock.committed;
  for (const [key, { def }] of streams) out.streams.set(key, await streamRead(ctx, def, readPoint));
  return out;
}

/** The gate key of a table (table-gate.ts). */
export const tableGateKey = (def: FullName): string => fullKey(def);

const gated = (ctx: ExecContext, def: TableDef): boolean =>
  def.kind === 'TABLE' && reclusters(ctx.engine.driver.dialect) && hasClusterIndex(def);

/**
 * Hold a table background reclustering may replace (table-gate.ts) until the transaction ends. `edit`: true when the
 * statement may change existing rows (a rebuild running meanwhile must not keep its copy), 'delete' when it may only
 * delete some (a rebuild drops them from its copy), false when it leaves them as they are.
 */
export async function enterTableGate(ctx: ExecContext, def: TableDef, edit: boolean | 'delete'): Promise<void> {
  if (!gated(ctx, def)) return;
  const key = tableGateKey(def);
  await ctx.engine.clock.gate.enter(ctx.session, key);
  if (edit === 'delete') ctx.engine.clock.gate.noteDelete(key);
  else if (edit) ctx.engine.clock.gate.noteEdit(key);
}

/**
 * Streams read (also through stream-reading views) and tracked tables written; with `named`, the tables the
 * statement itself names (not through views), mapped to whether it writes them.
 */
function collectRefs(
  ctx: ExecContext,
  ast: AstNode,
  streams: Map<string, { full: FullName; def: StreamDef }>,
  tracked: Map<string, TableDef>,
  views: Set<string>,
  named?: Map<TableDef, boolean>,
): void {
  const { catalog } = ctx.engine;
  for (const use of tableRefsOf(ast)) {
    if (use.name.schema === 'INFORMATION_SCHEMA') continue;
    const full = qualify(ctx, use.name, 'query');
    // A temporary table (never tracked) hides a tracked permanent table of the same name.
    const table = lookupTable(ctx, full);
    if (table && named) named.set(table, (named.get(table) ?? false) || use.role === 'write');
    if (use.role === 'write') {
      if (table?.tracked) tracked.set(table.id as string, table);
      continue;
    }
    if (table) {
      const key = fullKey(full);
      if (table.kind === 'VIEW' && table.readsStreams && !views.has(key)) {
        views.add(key);
        collectRefs(viewContext(ctx, table), viewQuery(table), streams, tracked, views);
      }
      continue;
    }
    const stream = catalog.stream(full.database, full.schema, full.name);
    if (stream) streams.set(fullKey(full), { full, def: stream });
  }
}

export interface OffsetRow {
  offset: number;
  initialPending: boolean;
  lastReadMs: number;
}

export async function loadOffset(ctx: ExecContext, s: StreamDef): Promise<OffsetRow> {
  const before = ctx.session.txn?.offsetsBefore.get(s.id);
  if (before) return before;
  const t = changeTables(ctx.engine.driver.dialect);
  const r = await ctx.session.conn.query(`SELECT offset_version, initial_pending, last_read_ms FROM ${t.offsets} WHERE stream_id = ?`, [s.id]);
  const row = r.rows[0];
  if (!row) throw new FloeError('INTERNAL', `stream ${displayName(s)} has no offset record`);
  return { offset: Number(row[0]), initialPending: row[1] === true, lastReadMs: Number(row[2]) };
}

/** When the stream goes stale (SHOW STREAMS `stale_after`): the earliest over its source tables. */
export function streamStaleAfter(ctx: ExecContext, off: OffsetRow, tables: readonly TableDef[]): number {
  return Math.min(...tables.map((t) => staleAfterMs(off.lastReadMs, retentionOf(ctx, t))));
}

/** A stream that can be read: its sources and offset — or the stale error that says how to recover. */
export async function openStream(ctx: ExecContext, stream: StreamDef): Promise<{ src: Exclude<ReturnType<typeof streamSource>, { stale: string }>; off: OffsetRow }> {
  const src = streamSource(ctx, stream);
  if ('stale' in src) throw streamStaleError(stream, src.stale);
  const off = await loadOffset(ctx, stream);
  if (ctx.engine.now() > streamStaleAfter(ctx, off, src.tables)) {
    throw streamStaleError(stream, 'it was not consumed within the table\'s data retention / MAX_DATA_EXTENSION_TIME_IN_DAYS period');
  }
  return { src, off };
}

async function streamRead(ctx: ExecContext, stream: StreamDef, readPoint: number): Promise<StreamRead> {
  const { src, off } = await openStream(ctx, stream);
  const interval: StreamInterval = { from: off.initialPending ? -1 : off.offset, to: Math.max(readPoint, off.offset) };
  if (src.view && stream.baseTableIds) {
    const hex = trackedSource(ctx.engine.driver.dialect, src.table).tableHex;
    return { stream, table: src.table, interval, offset: off, sql: viewDeltaSql(ctx, src.view, src.tables, stream.mode, interval, hex) };
  }
  const sql = netChangesSql(trackedSource(ctx.engine.driver.dialect, src.table), stream.mode, interval);
  if (!src.view) return { stream, table: src.table, interval, offset: off, sql };
  // A stream on a view: the view's query over the table's change rows, metadata columns carried through.
  const q = streamableViewQuery(src.view);
  addSnowflakeOutputNames(q);
  const t = src.table;
  const vctx: ExecContext = { ...viewContext(ctx, src.view), changes: undefined, overrides: new Map([[fullKey(t), sql]]) };
  prepareForBackend(vctx, q);
  return { stream, table: t, interval, offset: off, sql: print(q) };
}

/** Offset moves as literal statements, for DDL that consumes (CTAS) and commits through commitDdl. */
export function offsetUpdateSql(ctx: ExecContext, changes: StatementChanges): string[] {
  const d = ctx.engine.driver.dialect;
  const t = changeTables(d);
  return [...changes.streams.values()].map(
    (r) =>
      `UPDATE ${t.offsets} SET offset_version = ${Math.trunc(r.interval.to)}, initial_pending = FALSE, ` +
      `last_read_ms = ${Math.trunc(ctx.engine.now())} WHERE stream_id = ${d.quoteString(r.stream.id)}`,
  );
}

/** Move the offsets of the streams this statement consumed to the transaction's read point. */
export async function advanceOffsets(ctx: ExecContext, changes: StatementChanges): Promise<void> {
  if (!changes.consumes) return;
  const txn = ctx.session.txn;
  if (!txn) throw new FloeError('INTERNAL', 'stream consumed outside a transaction');
  const t = changeTables(ctx.engine.driver.dialect);
  for (const read of changes.streams.values()) {
    if (!txn.offsetsBefore.has(read.stream.id)) txn.offsetsBefore.set(read.stream.id, read.offset);
    await ctx.session.conn.query(
      `UPDATE ${t.offsets} SET offset_version = ?, initial_pending = FALSE, last_read_ms = ? WHERE stream_id = ?`,
      [read.interval.to, ctx.engine.now(), read.stream.id],
    );
    txn.consumedTables.add(read.table.id as string);
  }
}
