import { describe, expect, it } from 'vitest';
import { rewriteDeleteUsing } from './delete-using.js';
import { parseSnowflake, printSql } from './polyglot.js';

const roundTrip = (sql: string): string => printSql(parseSnowflake(sql));

describe('DELETE … USING forms the parser rejects', () => {
  it('parses qualified names in the USING list and keeps their schema and database', () => {
    expect(roundTrip('DELETE FROM t USING db.s.u y WHERE t.id = y.id')).toBe('DELETE FROM t USING db.s.u AS y WHERE t.id = y.id');
    expect(roundTrip('DELETE FROM t USING s.u WHERE t.id = u.id')).toBe('DELETE FROM t USING s.u WHERE t.id = u.id');
    expect(roundTrip('DELETE FROM db.s.t x USING u y, "My Db".s."v w" AS z WHERE x.id = y.id AND z.id = x.id')).toBe(
      'DELETE FROM db.s.t x USING u AS y, "My Db".s."v w" AS z WHERE x.id = y.id AND z.id = x.id',
    );
  });

  it('inserts AS before the alias of a derived table', () => {
    expect(roundTrip('DELETE FROM t USING (SELECT 1 AS id) d WHERE t.id = d.id')).toBe('DELETE FROM t USING (SELECT 1 AS id) AS d WHERE t.id = d.id');
  });

  it('leaves statements the parser takes as they are', () => {
    expect(rewriteDeleteUsing('DELETE FROM t USING u y WHERE t.id = y.id')).toBeUndefined();
    expect(rewriteDeleteUsing('DELETE FROM t USING (SELECT 1 AS id) AS d WHERE t.id = d.id')).toBeUndefined();
    expect(rewriteDeleteUsing("SELECT 'DELETE x USING a.b.c' FROM a.b.c")).toBeUndefined();
    // USING inside a subquery of the WHERE clause is not the DELETE's.
    expect(rewriteDeleteUsing('DELETE FROM t WHERE id IN (SELECT id FROM a.b.c JOIN d.e.f USING (id))')).toBeUndefined();
  });

  it('reports a syntax error where the user wrote it', () => {
    // The parser saw texts shorter by `db.s.` (and longer by `AS `): the same errors in texts it takes as written are
    // reported at line 1, position 38, and line 4, position 14.
    expect(() => parseSnowflake('DELETE FROM t USING db.s.u y WHERE t.id = = y.id')).toThrow(/line 1 at position 43:/);
    expect(() => parseSnowflake('DELETE FROM t\nUSING db.s.u y,\n (SELECT 1 AS id) d\nWHERE t.id = = y.id')).toThrow(/line 4 at position 14:/);
  });

  it('maps positions inside a rewritten name to the name', () => {
    const r = rewriteDeleteUsing('DELETE FROM t USING db.s.u y WHERE t.id = y.id')!;
    expect(r.sql).toBe('DELETE FROM t USING u y WHERE t.id = y.id');
    expect(r.original(1, 21)).toEqual({ line: 1, column: 21 });
    expect(r.original(1, 23)).toEqual({ line: 1, column: 28 });
  });
});
