/**
 * Token-level reading for the scripting parser: peeking, expecting words and symbols, and cutting
 * fragments (SQL statements and expressions kept as token ranges).
 */
import { syntaxError, type FloeError } from '../../core/errors.js';
import { resolveIdent } from '../../core/catalog/identifiers.js';
import type { Token } from '../../sql/lexer.js';
import type { Fragment } from './script-ast.js';

export class TokenStream {
  protected pos = 0;

  constructor(
    protected readonly source: string,
    protected readonly tokens: Token[],
  ) {}

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  peek(o = 0): Token | undefined {
    return this.tokens[this.pos + o];
  }

  next(): Token {
    const t = this.tokens[this.pos];
    if (!t) throw this.unexpected();
    this.pos++;
    return t;
  }

  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t !== undefined && t.type === 'word' && words.includes(t.value);
  }

  acceptWord(w: string): boolean {
    if (!this.isWord(w)) return false;
    this.pos++;
    return true;
  }

  expectWord(...alternatives: string[]): string {
    if (!this.isWord(...alternatives)) throw this.unexpected();
    return this.next().value;
  }

  isSym(s: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.type === 'symbol' && t.value === s;
  }

  acceptSym(s: string): boolean {
    if (!this.isSym(s)) return false;
    this.pos++;
    return true;
  }

  expectSym(s: string): void {
    if (!this.acceptSym(s)) throw this.unexpected();
  }

  /** `:=` is two symbols in the lexer; they must touch. */
  isAssign(o = 0): boolean {
    const a = this.peek(o);
    const b = this.peek(o + 1);
    return a?.type === 'symbol' && a.value === ':' && b?.type === 'symbol' && b.value === '=' && a.end === b.start;
  }

  unexpected(t: Token | undefined = this.peek()): FloeError {
    if (!t) {
      const last = this.tokens[this.tokens.length - 1];
      return syntaxError(`syntax error line ${last?.line ?? 1} at position ${last ? last.end - last.start + last.column - 1 : 0} unexpected '<EOF>'.`, last?.line, last?.column);
    }
    return syntaxError(`syntax error line ${t.line} at position ${t.column - 1} unexpected '${t.text}'.`, t.line, t.column);
  }

  name(): string {
    const t = this.next();
    if (t.type === 'word') return t.value;
    if (t.type === 'quoted') return resolveIdent(t.value, true);
    throw this.unexpected(t);
  }

  /** Tokens up to (not including) a stop word, `;` or an unopened `)` at paren depth 0, outside CASE … END. */
  fragment(stops: string[], stopAtComma = false): Fragment {
    const start = this.pos;
    let depth = 0;
    let cases = 0;
    while (!this.atEnd()) {
      const t = this.peek() as Token;
      if (t.type === 'symbol' && (t.value === '(' || t.value === '[')) depth++;
      else if (t.type === 'symbol' && (t.value === ')' || t.value === ']')) {
        if (depth === 0) break; // the caller's closing parenthesis
        depth--;
      } else if (depth === 0 && t.type === 'symbol' && t.value === ';') break;
      else if (depth === 0 && t.type === 'symbol' && t.value === ',' && stopAtComma) break;
      else if (depth === 0 && t.type === 'word') {
        if (t.value === 'CASE') cases++;
        else if (t.value === 'END' && cases > 0) cases--;
        else if (cases === 0 && stops.includes(t.value)) break;
      }
      this.pos++;
    }
    if (this.pos === start) throw this.unexpected();
    return { source: this.source, tokens: this.tokens.slice(start, this.pos) };
  }

  acceptAssign(): boolean {
    if (!this.isAssign()) return false;
    this.pos += 2;
    return true;
  }

}
