/**
 * The interpreter's link to the session: SQL statements and expressions (one-row SELECTs) run through the
 * statement router on the caller's session, with scripting variables bound as literals.
 */
import { tokenize } from '../../sql/lexer.js';
import type { EngineCore, HandlerResult, SessionState } from '../exec-context.js';
import { executeStatement } from '../session.js';
import { routeStatement } from '../statement-router.js';
import type { Fragment } from './script-ast.js';
import { renderFragment, type Bound } from './bind-fragment.js';
import { NULL_TEXT, Scope, wrapError, type Table } from './scope.js';
import type { TypedValue } from './sql-literals.js';
import { unwrapParens } from './script-parser.js';

export const BOOL = { name: '', type: 'BOOLEAN' } as const;
export const NUM = { name: '', type: 'NUMBER', precision: 38, scale: 0 } as const;

export class ScriptRuntime {
  /** Rows affected by the last DML statement (SQLROWCOUNT). */
  protected rowCount: number | undefined;

  constructor(
    protected readonly engine: EngineCore,
    protected readonly session: SessionState,
  ) {}

  protected async quiet(sql: string): Promise<HandlerResult> {
    return routeStatement({ engine: this.engine, session: this.session, stmt: { sql, tokens: tokenize(sql), line: 1 } });
  }

  protected lookup(scope: Scope): (name: string) => Bound | undefined {
    return (name) => {
      const v = scope.find(name);
      if (v?.kind === 'value') return { kind: 'value', v: v.v };
      if (v?.kind === 'record') return { kind: 'record', fields: v.fields };
      if (v) return undefined;
      const n = this.rowCount;
      if (name === 'SQLROWCOUNT') return { kind: 'value', v: { value: n ?? null, column: NUM } };
      if (name === 'SQLFOUND') return { kind: 'value', v: { value: n === undefined ? null : n > 0, column: BOOL } };
      if (name === 'SQLNOTFOUND') return { kind: 'value', v: { value: n === undefined ? null : n === 0, column: BOOL } };
      return undefined;
    };
  }

  protected async nullOf(type: string | undefined): Promise<TypedValue> {
    if (type === undefined) return { value: null, column: NULL_TEXT };
    const r = await this.quiet(`SELECT CAST(NULL AS ${type})`);
    return { value: null, column: { ...r.columns[0], name: '' } };
  }

  /** Evaluate an expression as `SELECT <expr>` (cast to the declared type when there is one). */
  async expr(f: Fragment, scope: Scope, type?: string): Promise<TypedValue> {
    const at = f.tokens[0];
    // A lone variable needs no query (loop bodies evaluate many of them).
    if (!type && f.tokens.length <= 2) {
      const name = f.tokens.length === 1 ? f.tokens[0] : f.tokens[0].value === ':' && f.tokens[1].start === f.tokens[0].end ? f.tokens[1] : undefined;
      const v = name && (name.type === 'word' || name.type === 'quoted') ? scope.find(name.type === 'word' ? name.value : name.value) : undefined;
      if (v?.kind === 'value') return v.v;
    }
    try {
      const text = renderFragment(f, this.lookup(scope), true);
      const r = await this.quiet(type ? `SELECT CAST((${text}) AS ${type})` : `SELECT (${text})`);
      return { value: r.rows[0]?.[0] ?? null, column: { ...r.columns[0], name: '' } };
    } catch (e) {
      throw wrapError(e, 'EXPRESSION_ERROR', at.line, at.column);
    }
  }

  protected async truth(f: Fragment, scope: Scope): Promise<boolean> {
    const v = await this.expr(f, scope, 'BOOLEAN');
    return v.value === true;
  }

  /** Run a SQL statement of the block (its query id is the session's last). */
  protected async sql(f: Fragment, scope: Scope, at: { line: number; column: number }): Promise<HandlerResult> {
    try {
      const first = f.tokens[0];
      // EXECUTE IMMEDIATE :q USING (a, b) names its bind variables bare.
      const bare = first.value === 'EXECUTE' && f.tokens[1]?.value === 'IMMEDIATE';
      const text = renderFragment(f, this.lookup(scope), bare);
      const { result } = await executeStatement(this.engine, this.session, { sql: text, tokens: tokenize(text), line: at.line });
      if (result.rowsAffected !== undefined) this.rowCount = result.rowsAffected;
      return result;
    } catch (e) {
      throw wrapError(e, 'STATEMENT_ERROR', at.line, at.column);
    }
  }

  protected async query(f: Fragment, scope: Scope, at: { line: number; column: number }): Promise<Table> {
    const r = await this.sql(unwrapParens(f), scope, at);
    return { columns: r.columns, rows: r.rows };
  }

  protected async cast(v: TypedValue, type: string, at: { line: number; column: number }): Promise<TypedValue> {
    const f: Fragment = { source: ':v', tokens: tokenize(':v') };
    const s = new Scope();
    s.vars.set('V', { kind: 'value', v });
    try {
      return await this.expr(f, s, type);
    } catch (e) {
      throw wrapError(e, 'EXPRESSION_ERROR', at.line, at.column);
    }
  }

  protected async equal(a: Fragment, b: Fragment, scope: Scope): Promise<boolean> {
    const left = await this.expr(a, scope);
    const right = await this.expr(b, scope);
    const s = new Scope();
    s.vars.set('A', { kind: 'value', v: left });
    s.vars.set('B', { kind: 'value', v: right });
    return this.truth({ source: ':a = :b', tokens: tokenize(':a = :b') }, s);
  }
}
