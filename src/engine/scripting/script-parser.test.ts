import { describe, expect, it } from 'vitest';
import { tokenize } from '../../sql/lexer.js';
import { parseBlock, startsBlock } from './script-parser.js';
import { renderFragment, bindPlaceholders } from './bind-fragment.js';
import type { Stmt } from './script-ast.js';

const parse = (text: string) => parseBlock(text, tokenize(text));
const sqlOf = (s: Stmt): string => (s.kind === 'sql' ? s.sql.tokens.map((t) => t.text).join(' ') : s.kind);

describe('scripting parser', () => {
  it('tells blocks from transaction statements', () => {
    expect(startsBlock(tokenize('BEGIN TRANSACTION'))).toBe(false);
    expect(startsBlock(tokenize('BEGIN WORK'))).toBe(false);
    expect(startsBlock(tokenize('BEGIN'))).toBe(false);
    expect(startsBlock(tokenize('BEGIN SELECT 1; END'))).toBe(true);
    expect(startsBlock(tokenize('DECLARE x INT; BEGIN RETURN x; END'))).toBe(true);
  });

  it('parses declarations, statements, handlers and SELECT … INTO', () => {
    const b = parse(`DECLARE
        x NUMBER(10, 2) DEFAULT 1;
        c CURSOR FOR SELECT 1;
        rs RESULTSET;
        e EXCEPTION (-20001, 'bad');
      BEGIN
        SELECT a, b INTO :x, :y FROM t WHERE z = 1;
        x := x + 1;
        BEGIN TRANSACTION;
        NULL;
      EXCEPTION
        WHEN e OR STATEMENT_ERROR THEN RETURN 1;
        WHEN OTHER THEN RAISE;
      END my_label`);
    expect(b.label).toBe('MY_LABEL');
    expect(b.decls.map((d) => [d.kind, d.name, d.kind === 'var' ? d.type : undefined])).toEqual([
      ['var', 'X', 'NUMBER(10, 2)'],
      ['cursor', 'C', undefined],
      ['resultset', 'RS', undefined],
      ['exception', 'E', undefined],
    ]);
    expect(b.body.map(sqlOf)).toEqual(['SELECT a , b FROM t WHERE z = 1', 'assign', 'BEGIN TRANSACTION', 'null']);
    expect(b.body[0].kind === 'sql' && b.body[0].into).toEqual(['X', 'Y']);
    expect(b.handlers.map((h) => h.names)).toEqual([['E', 'STATEMENT_ERROR'], ['OTHER']]);
  });

  it('reports syntax errors with line and position', () => {
    expect(() => parse('BEGIN\n  LET x := 1;\n  IF (x) THEN RETURN 1; END;\nEND')).toThrow(/syntax error line 3 at position 27 unexpected ';'/);
  });
});

describe('binding variables', () => {
  const f = (text: string) => ({ source: text, tokens: tokenize(text) });
  const values = new Map([
    ['X', { kind: 'value' as const, v: { value: "a'b\\c", column: { name: '', type: 'TEXT' as const } } }],
    ['N', { kind: 'value' as const, v: { value: -5, column: { name: '', type: 'NUMBER' as const, precision: 38, scale: 0 } } }],
  ]);
  const lookup = (n: string) => values.get(n);

  it('binds :x everywhere and bare x only in expressions, never VARIANT paths', () => {
    expect(renderFragment(f('SELECT :x, x, v:x, t.x FROM t'), lookup, false)).toBe("SELECT 'a''b\\\\c', x, v:x, t.x FROM t");
    expect(renderFragment(f('x || 1 - n'), lookup, true)).toBe("'a''b\\\\c' || 1 - CAST('-5' AS NUMBER(38,0))");
    expect(() => renderFragment(f('SELECT :missing'), lookup, false)).toThrow(/Bind variable :missing not set/);
  });

  it('fills ? and :n placeholders', () => {
    const v = (value: string) => ({ value, column: { name: '', type: 'TEXT' as const } });
    expect(bindPlaceholders("SELECT ?, :2, '?' FROM t WHERE a = ?", [v('a'), v('b')])).toBe("SELECT 'a', 'b', '?' FROM t WHERE a = 'b'");
    expect(() => bindPlaceholders('SELECT ?', [])).toThrow(/Bind variable \? not set/);
  });
});
