/**
 * A Snowflake-SQL tokenizer for the work floe does before parsing: splitting scripts into statements,
 * classifying statements, and parsing the statements floe owns (SHOW, USE, CREATE STAGE, …).
 * It knows Snowflake's lexical rules: '…' strings with \ escapes and '' doubling, "…" identifiers,
 * $$…$$ strings, line comments (// and --) and block comments.
 */
import { syntaxError } from '../core/errors.js';

export type TokenType = 'word' | 'quoted' | 'string' | 'dollar' | 'number' | 'symbol' | 'variable' | 'stage';

export interface Token {
  type: TokenType;
  /** Raw text as written. */
  text: string;
  /** For words: upper-cased; for quoted identifiers and strings: the unescaped value. */
  value: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

const TWO_CHAR_SYMBOLS = new Set(['::', '<=', '>=', '<>', '!=', '||', '=>', '->']);

/** Tokenize, skipping whitespace and comments. Throws a syntax error on unterminated strings/comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = sql.length;

  const advanceLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  while (i < n) {
    const c = sql[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const startLine = line;
    const startCol = i - lineStart + 1;
    // comments
    if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '/')) {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw syntaxError('Unterminated comment: missing */', startLine, startCol);
      advanceLines(i, close + 2);
      i = close + 2;
      continue;
    }
    const push = (type: TokenType, end: number, value: string): void => {
      tokens.push({ type, text: sql.slice(i, end), value, start: i, end, line: startLine, column: startCol });
    };
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) throw syntaxError(`Unterminated string literal starting at line ${startLine}, position ${startCol - 1}`, startLine, startCol);
        const d = sql[j];
        if (d === '\\' && j + 1 < n) {
          value += unescape(sql[j + 1]);
          j += 2;
          continue;
        }
        if (d === "'") {
          if (sql[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += d;
        j++;
      }
      advanceLines(i, j + 1);
      push('string', j + 1, value);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= n) throw syntaxError('Unterminated quoted identifier', startLine, startCol);
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      advanceLines(i, j + 1);
      push('quoted', j + 1, value);
      i = j + 1;
      continue;
    }
    if (c === '$' && sql[i + 1] === '$') {
      const close = sql.indexOf('$$', i + 2);
      if (close < 0) throw syntaxError('Unterminated $$ string', startLine, startCol);
      const value = sql.slice(i + 2, close);
      advanceLines(i, close + 2);
      push('dollar', close + 2, value);
      i = close + 2;
      continue;
    }
    if (c === '$' && i + 1 < n && (isWordPart(sql[i + 1]) || isDigit(sql[i + 1]))) {
      let j = i + 1;
      while (j < n && isWordPart(sql[j])) j++;
      push('variable', j, sql.slice(i, j));
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1] ?? ''))) {
      let j = i;
      while (j < n && (isDigit(sql[j]) || sql[j] === '.')) j++;
      if ((sql[j] === 'e' || sql[j] === 'E') && /[0-9+-]/.test(sql[j + 1] ?? '')) {
        j += 2;
        while (j < n && isDigit(sql[j])) j++;
      }
      push('number', j, sql.slice(i, j));
      i = j;
      continue;
    }
    if (c === '@' && i + 1 < n && !/[\s;(),]/.test(sql[i + 1]!)) {
      // A stage reference (`@db.s.stage/path`, `@%table`, `@~`): paths may hold '-', '.', '/', '=' …
      let j = i + 1;
      while (j < n && !/[\s;(),]/.test(sql[j]!)) j++;
      push('stage', j, sql.slice(i + 1, j));
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql[j])) j++;
      const text = sql.slice(i, j);
      if (text.toLowerCase() === 'file' && sql.startsWith('://', j)) {
        // PUT/GET local paths (`file:///tmp/a.csv`): `//` here is not a comment.
        while (j < n && !/[\s;]/.test(sql[j]!)) j++;
        push('string', j, sql.slice(i, j));
        i = j;
        continue;
      }
      push('word', j, text.toUpperCase());
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_SYMBOLS.has(two)) {
      push('symbol', i + 2, two);
      i += 2;
      continue;
    }
    push('symbol', i + 1, c);
    i++;
  }
  return tokens;
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    default:
      return c;
  }
}
