import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';
import { parseSnowflake, printSql } from '../sql/ast/polyglot.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entries beyond its size and skips entries over a quarter of it', () => {
    const c = new BoundedCache<string>(40, (k, v) => k.length + v.length);
    c.set('a', '123456789'); // 10 chars
    c.set('b', '123456789');
    c.set('c', '123456789');
    expect(c.get('a')).toBe('123456789'); // a is now the most recent
    c.set('d', '123456789');
    c.set('e', '123456789'); // 50 > 40: b goes first
    expect(c.get('b')).toBeUndefined();
    expect([c.get('a'), c.get('c'), c.get('d'), c.get('e')]).toEqual(Array(4).fill('123456789'));
    expect(c.size).toBe(40);
    c.set('huge', 'x'.repeat(20));
    expect(c.get('huge')).toBeUndefined();
    c.set('a', '1');
    expect(c.size).toBe(32);
  });
});

describe('memoised parse and print', () => {
  it('hands every caller its own AST, and prints a changed AST anew', () => {
    const sql = 'SELECT a, IFF(b IS NULL, 1, 2) AS c FROM t WHERE a > 5';
    const first = parseSnowflake(sql);
    const second = parseSnowflake(sql);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    const printed = printSql(first);
    expect(printSql(second)).toBe(printed);
    // Mutating one copy (as floe's rewrites do) changes neither the other copy nor a later parse.
    const select = (second[0] as { select: { from: { expressions: { table: { name: { name: string } } }[] } } }).select;
    select.from.expressions[0]!.table.name.name = 'U';
    expect(printSql(second)).toMatch(/FROM U\b/);
    expect(printSql(first)).toBe(printed);
    expect(printSql(parseSnowflake(sql))).toBe(printed);
  });
});
