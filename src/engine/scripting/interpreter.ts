/**
 * Runs a Snowflake Scripting block on a session. Every SQL statement, and every expression (as a one-row
 * SELECT), goes through the session's statement router, so blocks see and change the same session state
 * (current schema, transaction, change tracking) as the statements around them.
 */
import { tokenize } from '../../sql/lexer.js';
import type { FloeValue } from '../../core/result.js';
import { compilationError, executionError } from '../../core/errors.js';
import { executeStatement } from '../session.js';
import type { Block, Decl, Fragment, Stmt } from './script-ast.js';
import { bindPlaceholders, renderFragment } from './bind-fragment.js';
import { LoopSignal, NULL_TEXT, ReturnSignal, Scope, ScriptException, wrapError, type ScriptResult, type Table, type Var } from './scope.js';
import type { TypedValue } from './sql-literals.js';
import { NUM, ScriptRuntime } from './script-runtime.js';

export class Interpreter extends ScriptRuntime {
  private readonly handling: ScriptException[] = [];

  /** Run a block; `args` become variables of its outermost scope (procedure arguments). */
  async run(block: Block, args: Map<string, TypedValue> = new Map()): Promise<ScriptResult> {
    const top = new Scope();
    for (const [k, v] of args) top.vars.set(k, { kind: 'value', type: undefined, v });
    const outerTxn = this.session.inTransaction;
    try {
      await this.block(block, top);
      return { kind: 'none' };
    } catch (e) {
      if (e instanceof ReturnSignal) return e.result;
      if (e instanceof LoopSignal) throw compilationError(`${e.kind.toUpperCase()} outside of a loop`);
      throw e;
    } finally {
      if (!outerTxn && this.session.inTransaction) await this.rollbackLeftover();
    }
  }

  private async rollbackLeftover(): Promise<void> {
    await this.quiet('ROLLBACK');
    throw executionError('A transaction started in the block was still open when the block ended; it was rolled back.');
  }

  private async block(block: Block, parent: Scope): Promise<void> {
    const scope = new Scope(parent);
    try {
      for (const d of block.decls) await this.declare(d, scope);
      await this.statements(block.body, scope);
    } catch (e) {
      if (e instanceof ReturnSignal || e instanceof LoopSignal || block.handlers.length === 0) throw e;
      const ex = e instanceof ScriptException ? e : wrapError(e, 'STATEMENT_ERROR', 1, 1);
      const handler = block.handlers.find((h) => h.names.some((n) => n === 'OTHER' || n === ex.exceptionName));
      if (!handler) throw ex;
      const hs = new Scope(scope);
      hs.vars.set('SQLCODE', { kind: 'value', v: { value: ex.sqlcode, column: NUM } });
      hs.vars.set('SQLERRM', { kind: 'value', v: { value: ex.sqlerrm, column: NULL_TEXT } });
      hs.vars.set('SQLSTATE', { kind: 'value', v: { value: ex.sqlstate, column: NULL_TEXT } });
      this.handling.push(ex);
      try {
        await this.statements(handler.body, hs);
      } finally {
        this.handling.pop();
      }
    }
  }

  private async statements(list: Stmt[], scope: Scope): Promise<void> {
    for (const s of list) await this.statement(s, scope);
  }

  private async declare(d: Decl, scope: Scope): Promise<void> {
    let v: Var;
    if (d.kind === 'var') {
      const value = d.init ? await this.expr(d.init, scope, d.type) : await this.nullOf(d.type);
      v = { kind: 'value', type: d.type, v: value };
    } else if (d.kind === 'cursor') v = { kind: 'cursor', query: d.query };
    else if (d.kind === 'resultset') v = { kind: 'resultset', ...(d.query ? { table: await this.query(d.query, scope, d.at) } : {}) };
    else v = { kind: 'exception', code: d.code, message: d.message };
    scope.vars.set(d.name, v);
  }

  private assign(scope: Scope, name: string, value: TypedValue, at: { line: number; column: number }): void {
    const v = scope.find(name);
    if (!v || v.kind !== 'value') throw wrapError(compilationError(`error line ${at.line} at position ${at.column - 1}\nvariable '${name}' is not declared`), 'STATEMENT_ERROR', at.line, at.column);
    v.v = value;
  }

  private async statement(s: Stmt, scope: Scope): Promise<void> {
    switch (s.kind) {
      case 'sql': {
        const r = await this.sql(s.sql, scope, s.at);
        for (let i = 0; i < (s.into?.length ?? 0); i++) {
          const v = scope.find(s.into![i]);
          const value: TypedValue = { value: r.rows[0]?.[i] ?? null, column: { ...(r.columns[i] ?? NULL_TEXT), name: '' } };
          this.assign(scope, s.into![i], v?.kind === 'value' && v.type ? await this.cast(value, v.type, s.at) : value, s.at);
        }
        return;
      }
      case 'declare':
        return this.declare(s.decl, scope);
      case 'assign': {
        const v = scope.find(s.name);
        if (v?.kind === 'resultset') {
          v.table = await this.query(s.expr, scope, s.at);
          return;
        }
        if (v?.kind === 'value') v.v = await this.expr(s.expr, scope, v.type);
        else this.assign(scope, s.name, await this.expr(s.expr, scope), s.at);
        return;
      }
      case 'if': {
        for (const b of s.branches) if (await this.truth(b.cond, scope)) return this.statements(b.body, new Scope(scope));
        if (s.otherwise) await this.statements(s.otherwise, new Scope(scope));
        return;
      }
      case 'case': {
        for (const b of s.branches) {
          const hit = s.subject ? await this.equal(s.subject, b.when, scope) : await this.truth(b.when, scope);
          if (hit) return this.statements(b.body, new Scope(scope));
        }
        if (s.otherwise) await this.statements(s.otherwise, new Scope(scope));
        return;
      }
      case 'return': {
        if (s.table !== undefined) throw new ReturnSignal({ kind: 'table', table: await this.tableOf(s.table, scope, s.at) });
        throw new ReturnSignal(s.expr ? { kind: 'value', value: await this.expr(s.expr, scope) } : { kind: 'none' });
      }
      case 'block':
        return this.block(s.block, scope);
      case 'for-range': {
        const from = Number((await this.expr(s.from, scope, 'NUMBER(38,0)')).value);
        const to = Number((await this.expr(s.to, scope, 'NUMBER(38,0)')).value);
        const seq = function* (): Generator<number> {
          if (s.reverse) for (let i = to; i >= from; i--) yield i;
          else for (let i = from; i <= to; i++) yield i;
        };
        return this.loop(s.label, seq(), scope, s.body, (ls, i) => ls.vars.set(s.variable, { kind: 'value', v: { value: i, column: NUM } }));
      }
      case 'for-cursor': {
        const table = await this.cursorTable(s.cursor, scope, s.at);
        return this.loop(s.label, table.rows.values(), scope, s.body, (ls, row) => ls.vars.set(s.variable, { kind: 'record', fields: recordOf(table, row) }));
      }
      case 'while':
        return this.loopAsync(s.label, async () => this.truth(s.cond, scope), scope, s.body, async () => false);
      case 'repeat':
        return this.loopAsync(s.label, async () => true, scope, s.body, async () => this.truth(s.until, scope));
      case 'loop':
        return this.loopAsync(s.label, async () => true, scope, s.body, async () => false);
      case 'break':
      case 'continue':
        throw new LoopSignal(s.kind, s.label);
      case 'raise': {
        if (!s.name) {
          const current = this.handling[this.handling.length - 1];
          if (!current) throw compilationError('RAISE without an exception name is only allowed in an exception handler');
          throw current;
        }
        const ex = scope.find(s.name);
        if (ex?.kind !== 'exception') throw compilationError(`error line ${s.at.line} at position ${s.at.column - 1}\nexception '${s.name}' is not declared`);
        throw new ScriptException(s.name, ex.code, ex.message, 'P0001', 'SQL_EXECUTION', s.at.line, s.at.column);
      }
      case 'open': {
        const c = scope.find(s.cursor);
        if (c?.kind !== 'cursor') throw compilationError(`cursor '${s.cursor}' is not declared`);
        const binds: TypedValue[] = [];
        for (const u of s.using) binds.push(await this.expr(u, scope));
        c.open = { table: await this.runCursor(c, scope, s.at, binds), pos: 0 };
        return;
      }
      case 'fetch': {
        const c = scope.find(s.cursor);
        if (c?.kind !== 'cursor' || !c.open) throw executionError(`Cursor '${s.cursor}' is not open.`);
        const row = c.open.table.rows[c.open.pos];
        if (row) c.open.pos++;
        s.into.forEach((name, i) => this.assign(scope, name, { value: row?.[i] ?? null, column: { ...(c.open!.table.columns[i] ?? NULL_TEXT), name: '' } }, s.at));
        return;
      }
      case 'close': {
        const c = scope.find(s.cursor);
        if (c?.kind !== 'cursor' || !c.open) throw executionError(`Cursor '${s.cursor}' is not open.`);
        delete c.open;
        return;
      }
      case 'null':
        return;
    }
  }

  private async tableOf(t: string | Fragment, scope: Scope, at: { line: number; column: number }): Promise<Table> {
    if (typeof t !== 'string') return this.query(t, scope, at);
    const v = scope.find(t);
    if (v?.kind === 'resultset' && v.table) return v.table;
    if (v?.kind === 'cursor') return this.runCursor(v, scope, at, []);
    throw compilationError(`error line ${at.line} at position ${at.column - 1}\n'${t}' is not a RESULTSET with a value`);
  }

  private async cursorTable(name: string, scope: Scope, at: { line: number; column: number }): Promise<Table> {
    const v = scope.find(name);
    if (v?.kind === 'cursor') return v.open?.table ?? this.runCursor(v, scope, at, []);
    return this.tableOf(name, scope, at);
  }

  private async runCursor(c: Extract<Var, { kind: 'cursor' }>, scope: Scope, at: { line: number; column: number }, binds: TypedValue[]): Promise<Table> {
    if ('resultset' in c.query) return this.tableOf(c.query.resultset, scope, at);
    if (binds.length === 0) return this.query(c.query, scope, at);
    const text = bindPlaceholders(renderFragment(c.query, this.lookup(scope), false), binds);
    try {
      const { result } = await executeStatement(this.engine, this.session, { sql: text, tokens: tokenize(text), line: at.line });
      return { columns: result.columns, rows: result.rows };
    } catch (e) {
      throw wrapError(e, 'STATEMENT_ERROR', at.line, at.column);
    }
  }

  private async loop<T>(label: string | undefined, items: Iterator<T>, scope: Scope, body: Stmt[], bind: (s: Scope, item: T) => void): Promise<void> {
    for (let it = items.next(); !it.done; it = items.next()) {
      const ls = new Scope(scope);
      bind(ls, it.value);
      if (await this.iteration(label, body, ls)) return;
    }
  }

  private async loopAsync(label: string | undefined, before: () => Promise<boolean>, scope: Scope, body: Stmt[], until: () => Promise<boolean>): Promise<void> {
    while (await before()) {
      if (await this.iteration(label, body, new Scope(scope))) return;
      if (await until()) return;
    }
  }

  /** One loop iteration; true when the loop must stop (BREAK). */
  private async iteration(label: string | undefined, body: Stmt[], scope: Scope): Promise<boolean> {
    try {
      await this.statements(body, scope);
      return false;
    } catch (e) {
      if (!(e instanceof LoopSignal) || (e.label !== undefined && e.label !== label)) throw e;
      return e.kind === 'break';
    }
  }
}

function recordOf(table: Table, row: FloeValue[]): Map<string, TypedValue> {
  const m = new Map<string, TypedValue>();
  table.columns.forEach((c, i) => m.set(c.name, { value: row[i] ?? null, column: { ...c, name: '' } }));
  return m;
}
