/**
 * Statement handlers for Snowflake Scripting: anonymous blocks (`[DECLARE …] BEGIN … END`) and
 * `EXECUTE IMMEDIATE <string> [USING (…)]`.
 */
import { compilationError } from '../../core/errors.js';
import type { ResultColumn } from '../../core/result.js';
import { tokenize, type Token } from '../../sql/lexer.js';
import { splitScript } from '../../sql/split-script.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { executeStatement } from '../session.js';
import { routeStatement } from '../statement-router.js';
import { Interpreter } from './interpreter.js';
import { bindPlaceholders } from './bind-fragment.js';
import { parseBlock, startsBlock } from './script-parser.js';
import type { ScriptResult } from './scope.js';
import type { TypedValue } from './sql-literals.js';

const ANONYMOUS = 'anonymous block';

/** What an anonymous block returns: its RETURN value in column `anonymous block`, a table, or NULL. */
export function blockResult(r: ScriptResult, name = ANONYMOUS): HandlerResult {
  if (r.kind === 'table') return { columns: r.table.columns, rows: r.table.rows };
  if (r.kind === 'none') return { columns: [{ name, type: 'TEXT' }], rows: [[null]] };
  const column: ResultColumn = { ...r.value.column, name };
  return { columns: [column], rows: [[r.value.value]] };
}

export async function runBlockText(ctx: ExecContext, text: string): Promise<HandlerResult> {
  const block = parseBlock(text, tokenize(text));
  return blockResult(await new Interpreter(ctx.engine, ctx.session).run(block));
}

export async function handleBlock(ctx: ExecContext): Promise<HandlerResult> {
  return runBlockText(ctx, ctx.stmt.sql);
}

export async function handleExecuteImmediate(ctx: ExecContext): Promise<HandlerResult> {
  const t = ctx.stmt.tokens;
  const body = t[2];
  if (!body || (body.type !== 'string' && body.type !== 'dollar')) {
    throw compilationError(`syntax error line ${body?.line ?? 1} at position ${(body?.column ?? 1) - 1}: EXECUTE IMMEDIATE expects a string literal, $$…$$ text or a variable inside a block.`);
  }
  let binds: TypedValue[] = [];
  if (t.length > 3) {
    if (t[3].type !== 'word' || t[3].value !== 'USING' || t[4]?.value !== '(' || t[t.length - 1].value !== ')') {
      throw compilationError(`syntax error line ${t[3].line} at position ${t[3].column - 1} unexpected '${t[3].text}'.`);
    }
    binds = await usingValues(ctx, t.slice(5, -1));
  }
  const text = binds.length > 0 ? bindPlaceholders(body.value, binds) : body.value;
  const statements = splitScript(text);
  if (statements.length === 1 && startsBlock(statements[0].tokens)) return runBlockText(ctx, statements[0].sql);
  if (statements.length !== 1) throw compilationError(`EXECUTE IMMEDIATE runs one statement or one block; got ${statements.length} statements.`);
  return (await executeStatement(ctx.engine, ctx.session, statements[0])).result;
}

/** The USING (…) list: literals or expressions, evaluated in one SELECT. */
async function usingValues(ctx: ExecContext, tokens: Token[]): Promise<TypedValue[]> {
  if (tokens.length === 0) return [];
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const list = ctx.stmt.sql.slice(first.start - ctx.stmt.tokens[0].start, last.end - ctx.stmt.tokens[0].start);
  const sql = `SELECT ${list}`;
  const r = await routeStatement({ engine: ctx.engine, session: ctx.session, stmt: { sql, tokens: tokenize(sql), line: 1 } });
  return r.columns.map((c, i) => ({ value: r.rows[0]?.[i] ?? null, column: { ...c, name: '' } }));
}
