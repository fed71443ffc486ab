/**
 * DML on tracked tables. Every write stamps rows with the transaction's change version (column defaults
 * for inserted rows, an extra SET for updated ones). When streams exist on the table, the current images of
 * rows about to be updated or deleted are first copied to the log — evaluated with the statement's own
 * target, FROM/USING list and WHERE clause, in the same transaction, so the log holds exactly those rows.
 */
import { unsupported } from '../../core/errors.js';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import { isIdent, make, type AstNode } from '../../sql/ast/ast-node.js';
import type { ExecContext } from '../exec-context.js';
import { physicalTableOf } from '../temp-tables.js';
import { print } from '../translate.js';
import { inTransaction, type TransactionChanges } from '../transactions.js';
import { captureSql, changeTables, ROW_ID, trackedNames, VERSION } from './change-store.js';
import type { StatementChanges } from './statement-changes.js';
import { advanceOffsets } from './statement-changes.js';

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Does a statement need floe's change bookkeeping at all? (Plain tables and no stream: run as is.) */
export const touchesChanges = (c: StatementChanges | undefined): c is StatementChanges =>
  c !== undefined && (c.writes.length > 0 || c.consumes);

export const hasStreams = (ctx: ExecContext, table: TableDef): boolean => ctx.engine.catalog.streamsOnTable(table.id as string).length > 0;

/**
 * Inside the statement's transaction: give it a change version (once per transaction) and make the
 * connection's column defaults use it. Must run before any write to a tracked table.
 */
export async function stampWrites(ctx: ExecContext, txn: TransactionChanges, writes: readonly TableDef[]): Promise<number | undefined> {
  if (writes.length === 0) return txn.version;
  const { engine, session } = ctx;
  const d = engine.driver.dialect;
  if (txn.version === undefined) {
    txn.version = engine.clock.allocate(session);
    await session.conn.execute(`INSERT INTO ${changeTables(d).commits} VALUES (${txn.version}, ${Math.trunc(engine.now())})`);
  }
  await session.conn.execute(d.changeTracking.setVersion(txn.version));
  for (const t of writes) txn.written.set(t.id as string, t);
  return txn.version;
}

/** Explicit column list for INSERT without one: the base table also has hidden columns. */
export function insertUserColumns(ast: AstNode, table: TableDef): void {
  const ins = ast.insert as AstNode;
  if ((ins.columns ?? []).length === 0) ins.columns = table.columns.map((c) => ({ name: c.name, quoted: true }));
}

/** Add `FLOE$VERSION = <current version>` to an UPDATE's SET list. */
export function stampUpdateSet(ctx: ExecContext, ast: AstNode): void {
  ast.update.set.push([{ name: VERSION, quoted: true }, make.raw(ctx.engine.driver.dialect.changeTracking.currentVersion)]);
}

function refName(table: AstNode, alias: AstNode | null | undefined): string {
  if (isIdent(alias)) return q(alias.name);
  return `${q(table.schema.name)}.${q(table.name.name)}`;
}

function printFromItem(item: AstNode): string {
  if (item.var) return print(item);
  // `USING (subquery) AS x`: polyglot keeps it as a table reference with an empty name and the subquery in `hints`.
  const sub = item.hints?.[0]?.subquery as AstNode | undefined;
  if (sub && item.name?.name === '' && isIdent(item.alias)) return `${print({ subquery: { ...sub, alias: null } })} AS ${q(item.alias.name)}`;
  return print(item.table ? item : { table: item });
}

/** SELECT of the hidden row ids of the rows an UPDATE or DELETE affects. */
export function affectedRowIds(ast: AstNode): string {
  if (ast.update) {
    const u = ast.update as AstNode;
    if ((u.extra_tables ?? []).length || (u.table_joins ?? []).length || (u.from_joins ?? []).length) {
      throw unsupported('UPDATE with JOIN clauses on a table that has streams (use UPDATE … FROM … WHERE)');
    }
    const from = [print({ table: u.table }), ...((u.from_clause?.expressions ?? []) as AstNode[]).map(printFromItem)];
    const where = u.where_clause ? ` WHERE ${print(u.where_clause.this)}` : '';
    return `SELECT ${refName(u.table, u.table.alias)}.${q(ROW_ID)} FROM ${from.join(', ')}${where}`;
  }
  const d = ast.delete as AstNode;
  if ((d.joins ?? []).length || (d.tables ?? []).length) throw unsupported('DELETE with JOIN clauses on a table that has streams');
  const target = print({ table: d.table }) + (isIdent(d.alias) ? ` AS ${q(d.alias.name)}` : '');
  const from = [target, ...((d.using ?? []) as AstNode[]).map(printFromItem)];
  const where = d.where_clause ? ` WHERE ${print(d.where_clause.this)}` : '';
  return `SELECT ${refName(d.table, isIdent(d.alias) ? d.alias : d.table.alias)}.${q(ROW_ID)} FROM ${from.join(', ')}${where}`;
}

/** Filter (over base alias `b`) for the rows whose hidden row id the SELECT returns. */
export const rowIdIn = (ctx: ExecContext, rowIdSelect: string): string => `b.${ctx.engine.driver.dialect.quoteIdent(ROW_ID)} IN (${rowIdSelect})`;

/** Log the current images of the base rows matching `filter` (over alias `b`; all rows by default), ended at `version`. */
export async function captureRows(ctx: ExecContext, table: TableDef, version: number, filter = 'TRUE'): Promise<void> {
  if (!hasStreams(ctx, table)) return;
  await ctx.session.conn.execute(captureSql(ctx.engine.driver.dialect, table, version, filter));
}

export { advanceOffsets };

/**
 * For writers that are not SQL DML (COPY INTO, pipes): run `work` in the session's transaction as a write to
 * `table`, with change tracking when the table is tracked. `work` gets the quoted physical table to insert
 * into — for a tracked table its base table, which needs an explicit user column list (defaults stamp the
 * hidden columns). Rows written this way are ordinary inserts for streams.
 */
export async function writeToTable<T>(ctx: ExecContext, table: TableDef, work: (target: string) => Promise<T>): Promise<T> {
  const d = ctx.engine.driver.dialect;
  if (!table.tracked) return inTransaction(ctx.engine, ctx.session, () => work(physicalTableOf(d, table)));
  await ctx.engine.clock.acquire(ctx.session);
  return inTransaction(ctx.engine, ctx.session, async (txn) => {
    await stampWrites(ctx, txn, [table]);
    return work(trackedNames(d, table).base);
  });
}
