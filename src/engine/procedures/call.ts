/**
 * CALL <procedure>(<args>): picks the overload (by argument count), converts the arguments to the declared
 * types, runs the body — Snowflake Scripting through the interpreter, JavaScript in the sandbox — on the
 * caller's session, and returns the value converted to the RETURNS type in a column named after the procedure.
 */
import { compilationError, executionError, isFloeError, notFound, unsupported } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { ProcedureDef } from '../../core/catalog/procedure-def.js';
import { parseSfType, resultTypeOf } from '../../core/types/snowflake-type.js';
import { tokenize, type Token } from '../../sql/lexer.js';
import { splitScript } from '../../sql/split-script.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult, SessionState } from '../exec-context.js';
import { qualify } from '../resolve-names.js';
import { executeStatement } from '../session.js';
import { routeStatement } from '../statement-router.js';
import { bindPlaceholders } from '../scripting/bind-fragment.js';
import { Interpreter } from '../scripting/interpreter.js';
import { parseBlock } from '../scripting/script-parser.js';
import type { ScriptResult } from '../scripting/scope.js';
import { sqlLiteral, type TypedValue } from '../scripting/sql-literals.js';
import { javascriptError } from './js-errors.js';
import { DEFAULT_SANDBOX_LIMITS, runJavaScript } from './js-sandbox.js';
import { typedFromWire, wireCell, wireColumn, type ExecRequest, type ExecResponse } from './js-wire.js';

/** Nested CALL depth per session (a procedure calling itself forever would start workers forever). */
const depth = new WeakMap<SessionState, number>();
const MAX_DEPTH = 16;

interface CallArg {
  name?: string;
  text: string;
}

export async function handleCall(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CALL');
  const n = cur.objectName();
  cur.expectSymbol('(');
  const args = callArgs(ctx, cur);
  cur.expectEnd();
  const full = qualify(ctx, n, 'CALL');
  const all = ctx.engine.catalog.schemaObjects('PROCEDURE', full.database, full.schema).filter((p) => p.name === full.name);
  if (all.length === 0) throw notFound('Procedure', displayName(n));
  const fits = all.filter((p) => args.length <= p.args.length && args.length >= p.args.filter((a) => a.default === undefined).length);
  const exact = fits.filter((p) => p.args.length === args.length);
  const chosen = exact.length === 1 ? exact : fits;
  if (chosen.length === 0) {
    throw compilationError(`Invalid argument count for procedure ${displayName(n)}: ${args.length} given; ${all.map((p) => p.signature).join(' or ')} expected.`);
  }
  if (chosen.length > 1) throw unsupported(`choosing between overloads of ${displayName(n)} with the same number of arguments (floe resolves overloads by argument count)`);
  const proc = chosen[0];
  const level = (depth.get(ctx.session) ?? 0) + 1;
  if (level > MAX_DEPTH) throw executionError(`Procedure calls are nested more than ${MAX_DEPTH} levels deep (floe limit).`);
  depth.set(ctx.session, level);
  try {
    const values = await argumentValues(ctx, proc, args);
    if (proc.nullHandling === 'RETURNS NULL ON NULL INPUT' && values.some((v) => v.value === null)) return await callResult(ctx, proc, { kind: 'none' });
    const r = proc.language === 'SQL' ? await runSql(ctx, proc, values) : await runJs(ctx, proc, values);
    return await callResult(ctx, proc, r);
  } finally {
    depth.set(ctx.session, level - 1);
  }
}

/** Arguments as source text, positional or `name => value`. */
function callArgs(ctx: ExecContext, cur: TokenCursor): CallArg[] {
  const out: CallArg[] = [];
  const base = ctx.stmt.tokens[0].start;
  let pending: Token[] = [];
  let d = 0;
  const flush = (): void => {
    if (pending.length === 0) throw cur.unexpected('expected an argument');
    let name: string | undefined;
    if (pending.length > 2 && (pending[0].type === 'word' || pending[0].type === 'quoted') && pending[1].value === '=>') {
      name = pending[0].type === 'quoted' ? pending[0].value : pending[0].value.toUpperCase();
      pending = pending.slice(2);
    }
    out.push({ ...(name !== undefined ? { name } : {}), text: ctx.stmt.sql.slice(pending[0].start - base, pending[pending.length - 1].end - base) });
    pending = [];
  };
  for (;;) {
    const t = cur.next();
    if (t.type === 'symbol' && t.value === '(') d++;
    if (t.type === 'symbol' && t.value === ')') {
      if (d === 0) {
        if (pending.length > 0 || out.length > 0) flush();
        return out;
      }
      d--;
    }
    if (d === 0 && t.type === 'symbol' && t.value === ',') flush();
    else pending.push(t);
  }
}

async function quiet(ctx: ExecContext, sql: string): Promise<HandlerResult> {
  return routeStatement({ engine: ctx.engine, session: ctx.session, stmt: { sql, tokens: tokenize(sql), line: 1 } });
}

/** Every argument converted to its declared type in one SELECT (defaults fill the missing ones). */
async function argumentValues(ctx: ExecContext, proc: ProcedureDef, args: CallArg[]): Promise<TypedValue[]> {
  if (proc.args.length === 0) return [];
  const named = args.some((a) => a.name !== undefined);
  if (named && args.some((a) => a.name === undefined)) throw compilationError('A procedure call cannot mix named and positional arguments.');
  const exprs = proc.args.map((a, i) => {
    const given = named ? args.find((x) => x.name === a.name) : args[i];
    const text = given?.text ?? a.default;
    if (text === undefined) throw compilationError(`Missing argument ${a.name} for procedure ${proc.name}.`);
    return `CAST((${text}) AS ${a.type})`;
  });
  for (const a of args) if (a.name !== undefined && !proc.args.some((p) => p.name === a.name)) throw compilationError(`Procedure ${proc.name} has no argument ${a.name}.`);
  const r = await quiet(ctx, `SELECT ${exprs.join(', ')}`);
  return r.columns.map((c, i) => ({ value: r.rows[0][i], column: { ...c, name: '' } }));
}

async function runSql(ctx: ExecContext, proc: ProcedureDef, values: TypedValue[]): Promise<ScriptResult> {
  const block = parseBlock(proc.body, tokenize(proc.body));
  const args = new Map(proc.args.map((a, i) => [a.name, values[i]]));
  return new Interpreter(ctx.engine, ctx.session).run(block, args);
}

async function runJs(ctx: ExecContext, proc: ProcedureDef, values: TypedValue[]): Promise<ScriptResult> {
  // A cancelled statement (task timeout) also stops the worker, not only the backend statement.
  const abort = new AbortController();
  const hook = (): void => abort.abort();
  const hooks = (ctx.session.cancelHooks ??= new Set());
  hooks.add(hook);
  const outcome = await runJavaScript({
    argNames: proc.args.map((a) => a.name.toUpperCase()),
    body: proc.body,
    args: { columns: values.map((v) => wireColumn(v.column)), values: values.map((v) => wireCell(v.value)) },
    limits: { ...DEFAULT_SANDBOX_LIMITS, ...ctx.engine.procedureLimits },
    exec: (req) => execForJs(ctx, req),
    signal: abort.signal,
  }).finally(() => hooks.delete(hook));
  if (!outcome.ok) throw javascriptError(proc.name, proc.body, outcome);
  if (outcome.value === null) return { kind: 'none' };
  const v = typedFromWire(outcome.value);
  // A JS object or array is JSON: a VARIANT for VARIANT/OBJECT/ARRAY results, its JSON text otherwise.
  const returnsJson = 'type' in proc.returns && ['VARIANT', 'OBJECT', 'ARRAY'].includes(parseSfType(proc.returns.type).kind);
  if (v.column.type === 'VARIANT' && !returnsJson) return { kind: 'value', value: { value: v.value, column: { name: '', type: 'TEXT' } } };
  return { kind: 'value', value: v };
}

async function execForJs(ctx: ExecContext, req: ExecRequest): Promise<ExecResponse> {
  try {
    const text = bindPlaceholders(req.sql, req.binds.map(typedFromWire));
    const statements = splitScript(text);
    if (statements.length !== 1) {
      throw compilationError(statements.length === 0 ? 'Empty SQL statement.' : 'Multiple SQL statements in a single API call are not supported; use one API call per statement instead.');
    }
    const { result, queryId } = await executeStatement(ctx.engine, ctx.session, statements[0]);
    const count = (name: string): number => {
      const i = result.columns.findIndex((c) => c.name === name);
      return i < 0 ? 0 : Number(result.rows[0]?.[i] ?? 0);
    };
    return {
      ok: true,
      queryId,
      columns: result.columns.map(wireColumn),
      rows: result.rows.map((r) => r.map(wireCell)),
      rowsAffected: result.rowsAffected ?? -1,
      counts: {
        inserted: count('number of rows inserted'),
        updated: count('number of rows updated'),
        deleted: count('number of rows deleted'),
        duplicates: count('number of multi-joined rows updated'),
      },
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { message, code: isFloeError(e) ? (e.snowflakeCode ?? '') : '', state: '' } };
  }
}

/** The procedure's value converted to its RETURNS type, in a column named after the procedure. */
async function callResult(ctx: ExecContext, proc: ProcedureDef, r: ScriptResult): Promise<HandlerResult> {
  if ('table' in proc.returns) {
    if (r.kind !== 'table') throw executionError(`Procedure ${proc.name} returns a table, but its body returned ${r.kind === 'none' ? 'nothing' : 'a value'}.`);
    const declared = proc.returns.table;
    const columns = r.table.columns.map((c, i) => (declared.length === r.table.columns.length ? { ...c, name: declared[i].name } : c));
    return { columns, rows: r.table.rows };
  }
  if (r.kind === 'table') throw executionError(`Procedure ${proc.name} returned a table, but it is declared RETURNS ${proc.returns.type}.`);
  const type = proc.returns.type;
  const column = { name: proc.name, ...resultTypeOf(parseSfType(type)) };
  if (r.kind === 'none' || r.value.value === null) {
    if (proc.returns.notNull) throw executionError(`NULL result in a non-nullable column`);
    return { columns: [column], rows: [[null]] };
  }
  let converted: HandlerResult;
  try {
    converted = await quiet(ctx, `SELECT CAST(${sqlLiteral(r.value)} AS ${type})`);
  } catch (e) {
    throw isFloeError(e) ? executionError(`Procedure ${proc.name}: its return value cannot be converted to ${type}: ${e.message}`, e) : e;
  }
  return { columns: [{ ...column, ...resultTypeOf(parseSfType(type)) }], rows: [[converted.rows[0][0]]] };
}
