/**
 * Parses a Snowflake Scripting block (`[DECLARE …] BEGIN … [EXCEPTION …] END`) from lexer tokens into the
 * block model. SQL statements and expressions are kept as token ranges; only the scripting constructs
 * are parsed here.
 */
import { resolveIdent } from '../../core/catalog/identifiers.js';
import type { Token } from '../../sql/lexer.js';
import type { Block, Decl, Fragment, Handler, Stmt } from './script-ast.js';
import { TokenStream } from './script-token-stream.js';

/** True when the statement's tokens start a scripting block rather than a transaction (`BEGIN [TRANSACTION]`). */
export function startsBlock(tokens: readonly Token[]): boolean {
  const [t0, t1] = tokens;
  if (!t0 || t0.type !== 'word') return false;
  if (t0.value === 'DECLARE') return true;
  if (t0.value !== 'BEGIN' || !t1) return false;
  return !(t1.type === 'word' && ['TRANSACTION', 'WORK', 'NAME'].includes(t1.value));
}

export function parseBlock(source: string, tokens: Token[]): Block {
  const p = new Parser(source, tokens);
  const block = p.block();
  p.acceptSym(';');
  if (!p.atEnd()) throw p.unexpected();
  return block;
}

const LOOP_ENDS: Record<string, string[]> = { FOR: ['FOR', 'LOOP'], WHILE: ['WHILE', 'LOOP'], REPEAT: ['REPEAT'], LOOP: ['LOOP'] };

class Parser extends TokenStream {
  block(label?: string): Block {
    const decls: Decl[] = [];
    if (this.acceptWord('DECLARE')) {
      while (!this.isWord('BEGIN')) {
        decls.push(this.declaration(this.peek() as Token, false));
        this.expectSym(';');
      }
    }
    this.expectWord('BEGIN');
    const body = this.statements(['END', 'EXCEPTION']);
    const handlers: Handler[] = [];
    if (this.acceptWord('EXCEPTION')) {
      while (this.acceptWord('WHEN')) {
        const names = [this.name()];
        while (this.acceptWord('OR')) names.push(this.name());
        this.expectWord('THEN');
        handlers.push({ names, body: this.statements(['WHEN', 'END']) });
      }
      if (handlers.length === 0) throw this.unexpected();
    }
    this.expectWord('END');
    const endLabel = this.peek()?.type === 'word' ? this.name() : undefined;
    return { decls, body, handlers, ...(label ?? endLabel ? { label: label ?? endLabel } : {}) };
  }

  statements(stops: string[]): Stmt[] {
    const out: Stmt[] = [];
    while (!this.atEnd() && !this.isWord(...stops)) {
      out.push(this.statement());
      this.expectSym(';');
    }
    return out;
  }

  declaration(at: Token, isLet: boolean): Decl {
    const name = this.name();
    if (this.acceptWord('CURSOR')) {
      this.expectWord('FOR');
      const q = this.fragment([]);
      const only = q.tokens.length === 1 && q.tokens[0].type === 'word' ? q.tokens[0].value : undefined;
      return { kind: 'cursor', name, query: only !== undefined ? { resultset: only } : unwrapParens(q), at };
    }
    if (this.acceptWord('RESULTSET')) {
      if (this.acceptWord('DEFAULT') || this.acceptAssign()) return { kind: 'resultset', name, query: unwrapParens(this.fragment([])), at };
      return { kind: 'resultset', name, at };
    }
    if (!isLet && this.acceptWord('EXCEPTION')) {
      this.expectSym('(');
      const neg = this.acceptSym('-');
      const code = Number(this.next().value) * (neg ? -1 : 1);
      this.expectSym(',');
      const msg = this.next();
      if (msg.type !== 'string' && msg.type !== 'dollar') throw this.unexpected(msg);
      this.expectSym(')');
      return { kind: 'exception', name, code, message: msg.value, at };
    }
    let type: string | undefined;
    if (!this.isAssign() && !this.isWord('DEFAULT') && !this.isSym(';')) {
      const t = this.fragment(['DEFAULT']);
      const cut = t.tokens.findIndex((_, i) => i > 0 && t.tokens[i].type === 'symbol' && t.tokens[i].value === ':' && t.tokens[i + 1]?.value === '=');
      const typeTokens = cut >= 0 ? t.tokens.slice(0, cut) : t.tokens;
      if (cut >= 0) this.pos -= t.tokens.length - cut;
      type = this.source.slice(typeTokens[0].start, typeTokens[typeTokens.length - 1].end).trim();
    }
    if (this.acceptWord('DEFAULT') || this.acceptAssign()) return { kind: 'var', name, ...(type ? { type } : {}), init: this.fragment([]), at };
    return { kind: 'var', name, ...(type ? { type } : {}), at };
  }

  statement(): Stmt {
    const at = this.peek() as Token;
    if (at.type === 'word') {
      switch (at.value) {
        case 'BEGIN':
          if (this.peek(1)?.type === 'word' && ['TRANSACTION', 'WORK', 'NAME'].includes(this.peek(1)!.value)) break;
          if (this.isSym(';', 1)) break;
          return { at, kind: 'block', block: this.block() };
        case 'DECLARE':
          return { at, kind: 'block', block: this.block() };
        case 'LET':
          this.next();
          return { at, kind: 'declare', decl: this.declaration(at, true) };
        case 'IF':
          return this.ifStatement(at);
        case 'CASE':
          return this.caseStatement(at);
        case 'FOR':
        case 'WHILE':
        case 'REPEAT':
        case 'LOOP':
          return this.loop(at);
        case 'BREAK':
        case 'EXIT':
        case 'CONTINUE':
        case 'ITERATE': {
          this.next();
          const label = this.peek()?.type === 'word' ? this.name() : undefined;
          return { at, kind: at.value === 'BREAK' || at.value === 'EXIT' ? 'break' : 'continue', ...(label ? { label } : {}) };
        }
        case 'RETURN':
          return this.returnStatement(at);
        case 'RAISE': {
          this.next();
          const name = this.isSym(';') || this.atEnd() ? undefined : this.name();
          return { at, kind: 'raise', ...(name ? { name } : {}) };
        }
        case 'NULL':
          if (this.isSym(';', 1)) {
            this.next();
            return { at, kind: 'null' };
          }
          break;
        case 'OPEN': {
          this.next();
          const cursor = this.name();
          const using: Fragment[] = [];
          if (this.acceptWord('USING')) {
            this.expectSym('(');
            while (!this.acceptSym(')')) {
              using.push(this.fragment([], true));
              this.acceptSym(',');
            }
          }
          return { at, kind: 'open', cursor, using };
        }
        case 'FETCH': {
          this.next();
          const cursor = this.name();
          this.expectWord('INTO');
          const into = [this.name()];
          while (this.acceptSym(',')) into.push(this.name());
          return { at, kind: 'fetch', cursor, into };
        }
        case 'CLOSE':
          this.next();
          return { at, kind: 'close', cursor: this.name() };
      }
    }
    if ((at.type === 'word' || at.type === 'quoted') && this.isAssign(1)) {
      const name = this.name();
      this.pos += 2;
      return { at, kind: 'assign', name, expr: this.fragment([]) };
    }
    return this.sqlStatement(at);
  }

  sqlStatement(at: Token): Stmt {
    const sql = this.fragment([]);
    // `SELECT … INTO :a, :b FROM …` and `CALL p() INTO :x` assign the first row to variables.
    const first = sql.tokens[0];
    if (first.type === 'word' && ['SELECT', 'WITH', 'CALL'].includes(first.value)) {
      let depth = 0;
      for (let i = 0; i < sql.tokens.length; i++) {
        const t = sql.tokens[i];
        if (t.type === 'symbol' && t.value === '(') depth++;
        else if (t.type === 'symbol' && t.value === ')') depth--;
        else if (depth === 0 && t.type === 'word' && t.value === 'INTO' && sql.tokens[i + 1]?.value === ':') {
          const into: string[] = [];
          let j = i + 1;
          while (sql.tokens[j]?.value === ':' && sql.tokens[j + 1] && (sql.tokens[j + 1].type === 'word' || sql.tokens[j + 1].type === 'quoted')) {
            const v = sql.tokens[j + 1];
            into.push(v.type === 'quoted' ? resolveIdent(v.value, true) : v.value);
            j += 2;
            if (sql.tokens[j]?.value !== ',') break;
            j++;
          }
          const tokens = [...sql.tokens.slice(0, i), ...sql.tokens.slice(j)];
          return { at, kind: 'sql', sql: { source: sql.source, tokens }, into };
        }
      }
    }
    return { at, kind: 'sql', sql };
  }

  ifStatement(at: Token): Stmt {
    this.expectWord('IF');
    const branches: { cond: Fragment; body: Stmt[] }[] = [];
    let otherwise: Stmt[] | undefined;
    const cond = this.fragment(['THEN']);
    this.expectWord('THEN');
    branches.push({ cond, body: this.statements(['ELSEIF', 'ELSE', 'END']) });
    while (this.acceptWord('ELSEIF')) {
      const c = this.fragment(['THEN']);
      this.expectWord('THEN');
      branches.push({ cond: c, body: this.statements(['ELSEIF', 'ELSE', 'END']) });
    }
    if (this.acceptWord('ELSE')) otherwise = this.statements(['END']);
    this.expectWord('END');
    this.expectWord('IF');
    return { at, kind: 'if', branches, ...(otherwise ? { otherwise } : {}) };
  }

  caseStatement(at: Token): Stmt {
    this.expectWord('CASE');
    const subject = this.isWord('WHEN') ? undefined : this.fragment(['WHEN']);
    const branches: { when: Fragment; body: Stmt[] }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.fragment(['THEN']);
      this.expectWord('THEN');
      branches.push({ when, body: this.statements(['WHEN', 'ELSE', 'END']) });
    }
    if (branches.length === 0) throw this.unexpected();
    const otherwise = this.acceptWord('ELSE') ? this.statements(['END']) : undefined;
    this.expectWord('END');
    this.acceptWord('CASE');
    return { at, kind: 'case', ...(subject ? { subject } : {}), branches, ...(otherwise ? { otherwise } : {}) };
  }

  loop(at: Token): Stmt {
    const kind = this.next().value;
    let head: Record<string, unknown> | undefined;
    if (kind === 'FOR') {
      const variable = this.name();
      this.expectWord('IN');
      const reverse = this.acceptWord('REVERSE');
      const from = this.fragment(['TO', 'DO', 'LOOP']);
      if (this.acceptWord('TO')) {
        const to = this.fragment(['DO', 'LOOP']);
        head = { kind: 'for-range', variable, reverse, from, to };
      } else {
        if (from.tokens.length !== 1) throw this.unexpected(from.tokens[1]);
        head = { kind: 'for-cursor', variable, cursor: nameOf(from.tokens[0]) };
      }
      this.expectWord('DO', 'LOOP');
    } else if (kind === 'WHILE') {
      head = { kind: 'while', cond: this.fragment(['DO', 'LOOP']) };
      this.expectWord('DO', 'LOOP');
    } else if (kind === 'LOOP') {
      head = { kind: 'loop' };
    }
    const body = this.statements(kind === 'REPEAT' ? ['UNTIL'] : ['END']);
    let until: Fragment | undefined;
    if (kind === 'REPEAT') {
      this.expectWord('UNTIL');
      until = this.fragment(['END']);
    }
    this.expectWord('END');
    this.expectWord(...LOOP_ENDS[kind]);
    const label = this.peek()?.type === 'word' ? this.name() : undefined;
    const l = label ? { label } : {};
    if (until) return { at, kind: 'repeat', until, body, ...l };
    return { at, ...head, body, ...l } as Stmt;
  }

  returnStatement(at: Token): Stmt {
    this.expectWord('RETURN');
    if (this.isSym(';') || this.atEnd()) return { at, kind: 'return' };
    if (this.isWord('TABLE') && this.isSym('(', 1)) {
      this.pos += 2;
      const inner = this.fragment([]);
      this.expectSym(')');
      if (inner.tokens.length === 1 && (inner.tokens[0].type === 'word' || inner.tokens[0].type === 'quoted')) return { at, kind: 'return', table: nameOf(inner.tokens[0]) };
      return { at, kind: 'return', table: unwrapParens(inner) };
    }
    return { at, kind: 'return', expr: this.fragment([]) };
  }
}

const nameOf = (t: Token): string => (t.type === 'quoted' ? resolveIdent(t.value, true) : t.value);

/** `(SELECT …)` → `SELECT …` when the parentheses enclose the whole fragment. */
export function unwrapParens(f: Fragment): Fragment {
  const t = f.tokens;
  if (t.length < 2 || t[0].value !== '(' || t[t.length - 1].value !== ')') return f;
  let depth = 0;
  for (let i = 0; i < t.length - 1; i++) {
    if (t[i].type === 'symbol' && t[i].value === '(') depth++;
    else if (t[i].type === 'symbol' && t[i].value === ')') depth--;
    if (depth === 0) return f;
  }
  return { source: f.source, tokens: t.slice(1, -1) };
}
