/**
 * Queries and the simple DML statements, translated for the backend. DML returns Snowflake's count columns.
 */
import { nodeKind, type AstNode } from '../../sql/ast/ast-node.js';
import { countsResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { addSnowflakeOutputNames } from '../output-names.js';
import { parseStatement, prepareForBackend, print } from '../translate.js';
import { unsupported } from '../../core/errors.js';
import { bindSessionFunctions } from '../session-functions.js';

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'subquery', 'paren', 'values']);

export async function handleQueryOrDml(ctx: ExecContext): Promise<HandlerResult> {
  const ast = parseStatement(ctx);
  return runTranslated(ctx, ast);
}

export async function runTranslated(ctx: ExecContext, ast: AstNode): Promise<HandlerResult> {
  const kind = nodeKind(ast) ?? '';
  const conn = ctx.session.conn;
  if (QUERY_KINDS.has(kind)) addSnowflakeOutputNames(ast);
  await bindSessionFunctions(ctx, ast);
  if (QUERY_KINDS.has(kind)) {
    prepareForBackend(ctx, ast);
    const r = await conn.query(print(ast));
    return { columns: r.columns, rows: r.rows };
  }
  if (kind === 'insert') {
    if (ast.insert.overwrite) return insertOverwrite(ctx, ast);
    prepareForBackend(ctx, ast);
    const r = await conn.query(print(ast));
    return countsResult([['number of rows inserted', r.rowsChanged ?? 0]]);
  }
  if (kind === 'update') {
    prepareForBackend(ctx, ast);
    const r = await conn.query(print(ast));
    return countsResult([
      ['number of rows updated', r.rowsChanged ?? 0],
      ['number of multi-joined rows updated', 0],
    ]);
  }
  if (kind === 'delete') {
    prepareForBackend(ctx, ast);
    const r = await conn.query(print(ast));
    return countsResult([['number of rows deleted', r.rowsChanged ?? 0]]);
  }
  throw unsupported(`statement kind '${kind}'`);
}

/** INSERT OVERWRITE = truncate + insert, atomically. */
async function insertOverwrite(ctx: ExecContext, ast: AstNode): Promise<HandlerResult> {
  ast.insert.overwrite = false;
  prepareForBackend(ctx, ast);
  const t = ast.insert.table;
  const target = `"${String(t.schema.name).replace(/"/g, '""')}"."${String(t.name.name).replace(/"/g, '""')}"`;
  const conn = ctx.session.conn;
  const own = !ctx.session.inTransaction;
  if (own) await conn.execute('BEGIN TRANSACTION');
  try {
    await conn.execute(`DELETE FROM ${target}`);
    const r = await conn.query(print(ast));
    if (own) await conn.execute('COMMIT');
    return countsResult([['number of rows inserted', r.rowsChanged ?? 0]]);
  } catch (e) {
    if (own) await conn.execute('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
