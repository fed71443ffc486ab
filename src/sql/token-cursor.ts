/**
 * A cursor over lexer tokens for the statements floe parses itself (USE, SHOW, CREATE DATABASE, GRANT, …).
 * Errors carry Snowflake's "syntax error line L at position P unexpected 'X'." wording.
 */
import { syntaxError, type FloeError } from '../core/errors.js';
import { resolveIdent, type ObjectName } from '../core/catalog/identifiers.js';
import type { Token } from './lexer.js';

export class TokenCursor {
  pos = 0;

  constructor(readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  next(): Token {
    const t = this.tokens[this.pos];
    if (!t) throw this.error('unexpected end of statement');
    this.pos++;
    return t;
  }

  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t !== undefined && t.type === 'word' && words.includes(t.value);
  }

  /** Consume the given word sequence if it is next; returns whether it did. */
  acceptWords(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      const t = this.peek(i);
      if (!t || t.type !== 'word' || t.value !== words[i]) return false;
    }
    this.pos += words.length;
    return true;
  }

  expectWords(...words: string[]): void {
    for (const w of words) {
      const t = this.peek();
      if (!t || t.type !== 'word' || t.value !== w) throw this.unexpected(`expected ${w}`);
      this.pos++;
    }
  }

  acceptSymbol(sym: string): boolean {
    const t = this.peek();
    if (t && t.type === 'symbol' && t.value === sym) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectSymbol(sym: string): void {
    if (!this.acceptSymbol(sym)) throw this.unexpected(`expected '${sym}'`);
  }

  /** An identifier (unquoted → upper case). Keywords are allowed as names, as Snowflake allows most. */
  identifier(): { name: string; quoted: boolean } {
    const t = this.peek();
    if (!t || (t.type !== 'word' && t.type !== 'quoted')) throw this.unexpected('expected an identifier');
    this.pos++;
    return { name: resolveIdent(t.type === 'quoted' ? t.value : t.text, t.type === 'quoted'), quoted: t.type === 'quoted' };
  }

  /** `a`, `a.b` or `a.b.c` — returned right-aligned as {database?, schema?, name}. */
  objectName(): ObjectName {
    const parts = [this.identifier().name];
    while (this.acceptSymbol('.')) parts.push(this.identifier().name);
    if (parts.length > 3) throw this.error(`invalid object name '${parts.join('.')}'`);
    const [name, schema, database] = parts.reverse();
    return { database, schema, name };
  }

  string(): string {
    const t = this.peek();
    if (!t || (t.type !== 'string' && t.type !== 'dollar')) throw this.unexpected('expected a string literal');
    this.pos++;
    return t.value;
  }

  /** A property value: string, number, identifier/keyword (TRUE, FALSE, …). Returned as text. */
  value(): string {
    const t = this.next();
    if (t.type === 'word') return t.value;
    if (t.type === 'quoted' || t.type === 'string' || t.type === 'dollar' || t.type === 'number') return t.value;
    if (t.type === 'symbol' && t.value === '-' && this.peek()?.type === 'number') return '-' + this.next().value;
    throw this.unexpectedAt(t, 'expected a value');
  }

  /** The rest of the statement's raw tokens. */
  rest(): Token[] {
    const r = this.tokens.slice(this.pos);
    this.pos = this.tokens.length;
    return r;
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.unexpected('expected end of statement');
  }

  unexpected(_why: string): FloeError {
    const t = this.peek();
    return t ? this.unexpectedAt(t, _why) : this.error('unexpected end of statement');
  }

  unexpectedAt(t: Token, _why: string): FloeError {
    return syntaxError(`syntax error line ${t.line} at position ${t.column - 1} unexpected '${t.text}'.`, t.line, t.column);
  }

  error(message: string): FloeError {
    const last = this.tokens[this.tokens.length - 1];
    return syntaxError(`syntax error line ${last?.line ?? 1} at position ${last ? last.column - 1 : 0}: ${message}.`, last?.line, last?.column);
  }
}
