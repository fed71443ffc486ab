/**
 * Queries and the simple DML statements, translated for the backend. DML returns Snowflake's count columns.
 * Statements that write tracked tables or consume streams run in a transaction with the change bookkeeping
 * (see changes/); everything else runs exactly as translated.
 */
import { nodeKind, type AstNode } from '../../sql/ast/ast-node.js';
import { countsResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { addSnowflakeOutputNames } from '../output-names.js';
import { parseStatement, prepareForBackend, print } from '../translate.js';
import { unsupported } from '../../core/errors.js';
import { bindSessionFunctions } from '../session-functions.js';
import { analyzeChanges } from '../changes/statement-changes.js';
import { advanceOffsets, affectedRowIds, captureRows, insertUserColumns, rowIdIn, stampUpdateSet, stampWrites, touchesChanges } from '../changes/tracked-dml.js';
import { inTransaction } from '../transactions.js';
import { bindStreamFunctions } from '../changes/stream-functions.js';
import { bindHistoryFunctions } from '../load/history-functions.js';
import { bindPipeFunctions } from '../pipe/pipe-functions.js';
import { bindTaskFunctions } from '../tasks/task-functions.js';
import { bindTableFunctions } from '../table-functions.js';

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'subquery', 'paren', 'values']);
const DML_KINDS = new Set(['insert', 'update', 'delete']);

export async function handleQueryOrDml(ctx: ExecContext): Promise<HandlerResult> {
  const ast = parseStatement(ctx);
  return runTranslated(ctx, ast);
}

/** `CALL SYSTEM$…(…)`: the system function's value as a one-row result named after it. */
export async function handleSystemCall(ctx: ExecContext): Promise<HandlerResult> {
  const name = ctx.stmt.tokens[1]?.value ?? '';
  const base = ctx.stmt.tokens[0]?.start ?? 0;
  const call = ctx.stmt.sql.slice((ctx.stmt.tokens[1]?.start ?? 0) - base);
  const sub: ExecContext = { ...ctx, stmt: { ...ctx.stmt, sql: `SELECT ${call} AS "${name}"` } };
  return runTranslated(sub, parseStatement(sub));
}

export async function runTranslated(ctx: ExecContext, ast: AstNode): Promise<HandlerResult> {
  const kind = nodeKind(ast) ?? '';
  if (QUERY_KINDS.has(kind)) addSnowflakeOutputNames(ast);
  await bindHistoryFunctions(ctx, ast);
  await bindSessionFunctions(ctx, ast);
  await bindStreamFunctions(ctx, ast);
  await bindPipeFunctions(ctx, ast);
  await bindTaskFunctions(ctx, ast);
  await bindTableFunctions(ctx, ast);
  if (!QUERY_KINDS.has(kind) && !DML_KINDS.has(kind)) throw unsupported(`statement kind '${kind}'`);
  ctx.changes = await analyzeChanges(ctx, ast, DML_KINDS.has(kind));
  prepareForBackend(ctx, ast);
  if (QUERY_KINDS.has(kind)) {
    const r = await ctx.session.conn.query(print(ast));
    return { columns: r.columns, rows: r.rows };
  }
  const changes = ctx.changes;
  if (!touchesChanges(changes)) return runDml(ctx, kind, ast);
  const target = changes.writes[0];
  return inTransaction(ctx.engine, ctx.session, async (txn) => {
    const version = await stampWrites(ctx, txn, changes.writes);
    if (target && version !== undefined) {
      if (kind === 'insert') insertUserColumns(ast, target);
      else {
        await captureRows(ctx, target, version, rowIdIn(ctx, affectedRowIds(ast)));
        if (kind === 'update') stampUpdateSet(ctx, ast);
      }
      if (kind === 'insert' && ast.insert.overwrite) await captureRows(ctx, target, version);
    }
    const result = await runDml(ctx, kind, ast);
    await advanceOffsets(ctx, changes);
    return result;
  });
}

async function runDml(ctx: ExecContext, kind: string, ast: AstNode): Promise<HandlerResult> {
  const conn = ctx.session.conn;
  if (kind === 'insert') {
    if (ast.insert.overwrite) return insertOverwrite(ctx, ast);
    const r = await conn.query(print(ast));
    return countsResult([['number of rows inserted', r.rowsChanged ?? 0]]);
  }
  if (kind === 'update') {
    const r = await conn.query(print(ast));
    return countsResult([
      ['number of rows updated', r.rowsChanged ?? 0],
      ['number of multi-joined rows updated', 0],
    ]);
  }
  const r = await conn.query(print(ast));
  return countsResult([['number of rows deleted', r.rowsChanged ?? 0]]);
}

/** INSERT OVERWRITE = delete all + insert, atomically. */
async function insertOverwrite(ctx: ExecContext, ast: AstNode): Promise<HandlerResult> {
  ast.insert.overwrite = false;
  const t = ast.insert.table;
  const target = `"${String(t.schema.name).replace(/"/g, '""')}"."${String(t.name.name).replace(/"/g, '""')}"`;
  return inTransaction(ctx.engine, ctx.session, async () => {
    await ctx.session.conn.execute(`DELETE FROM ${target}`);
    const r = await ctx.session.conn.query(print(ast));
    return countsResult([['number of rows inserted', r.rowsChanged ?? 0]]);
  });
}
