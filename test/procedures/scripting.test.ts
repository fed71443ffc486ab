/**
 * Snowflake Scripting blocks run as session statements: anonymous blocks, EXECUTE IMMEDIATE, variables,
 * control flow, cursors, exceptions and transactions, against DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let engine: Engine;
let s: Session;

beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
  s = await engine.session();
  await s.query('create database script_db; create table t (k int, v varchar)');
});
afterAll(async () => engine.close());

const normal = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);
async function one(sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
  const results = await s.query(sql);
  const r = results[results.length - 1];
  return { columns: r.columns.map((c) => c.name), rows: r.rows.map((row) => row.map(normal)) };
}
async function failure(sql: string): Promise<string> {
  for await (const o of s.run(sql, { continueOnError: true })) if (!o.ok) return o.error.message;
  throw new Error(`expected an error from ${sql}`);
}

describe('anonymous blocks', () => {
  it('returns the RETURN value in column "anonymous block", or NULL', async () => {
    expect(await one('BEGIN RETURN 1 + 1; END')).toEqual({ columns: ['anonymous block'], rows: [[2]] });
    expect(await one(`BEGIN LET x := 'a'; END;`)).toEqual({ columns: ['anonymous block'], rows: [[null]] });
  });

  it('keeps the statements around a block separate and BEGIN TRANSACTION as transaction control', async () => {
    const results = await s.query(`BEGIN TRANSACTION; INSERT INTO t VALUES (100, 'tx'); COMMIT;
      DECLARE n INT; BEGIN SELECT count(*) INTO :n FROM t WHERE k = 100; RETURN n; END;
      DELETE FROM t WHERE k = 100;`);
    expect(results.map((r) => r.rows[0][0]).map(normal)).toEqual(['Statement executed successfully.', 1, 'Statement executed successfully.', 1, 1]);
  });

  it('declares, assigns and casts variables; binds them as literals in SQL', async () => {
    const r = await one(`DECLARE
        price NUMBER(10,2) DEFAULT 2.5;
        qty INTEGER;
        label VARCHAR DEFAULT 'it''s';
      BEGIN
        qty := 4;
        LET total NUMBER(12,2) := price * qty;
        INSERT INTO t (k, v) VALUES (:qty, :label);
        RETURN total || ' ' || label || ' ' || SQLROWCOUNT;
      END`);
    expect(r.rows).toEqual([['10.00 it\'s 1']]);
    expect((await one('SELECT v FROM t WHERE k = 4')).rows).toEqual([["it's"]]);
  });

  it('never lets a variable value change the statement (no SQL injection)', async () => {
    await one(`BEGIN
        LET evil := 'x''); DELETE FROM t; --';
        INSERT INTO t VALUES (5, :evil);
        LET table_name := 't';
        RETURN (SELECT count(*) FROM IDENTIFIER(:table_name) WHERE v = :evil);
      END`);
    expect((await one('SELECT v FROM t WHERE k = 5')).rows).toEqual([["x'); DELETE FROM t; --"]]);
    expect(await failure(`BEGIN LET n := 't; DROP TABLE t'; RETURN (SELECT count(*) FROM IDENTIFIER(:n)); END`)).toMatch(/invalid identifier/);
  });

  it('runs IF / ELSEIF / ELSE and CASE', async () => {
    const block = (x: number): string => `BEGIN
        LET x := ${x};
        IF (x > 10) THEN RETURN 'big';
        ELSEIF (x > 5) THEN RETURN 'mid';
        ELSE
          CASE (x) WHEN 1 THEN RETURN 'one'; ELSE RETURN 'small'; END CASE;
        END IF;
      END`;
    expect((await one(block(11))).rows[0][0]).toBe('big');
    expect((await one(block(6))).rows[0][0]).toBe('mid');
    expect((await one(block(1))).rows[0][0]).toBe('one');
    expect((await one(block(3))).rows[0][0]).toBe('small');
  });

  it('loops over ranges, cursors and result sets, with BREAK and CONTINUE', async () => {
    const r = await one(`DECLARE
        total INT DEFAULT 0;
        c1 CURSOR FOR SELECT k FROM t WHERE k IN (4, 5) ORDER BY k;
        rs RESULTSET DEFAULT (SELECT 10 AS ten);
      BEGIN
        FOR i IN 1 TO 10 DO
          IF (i = 2) THEN CONTINUE; END IF;
          IF (i > 4) THEN BREAK; END IF;
          total := total + i;
        END FOR;
        FOR i IN REVERSE 1 TO 2 DO total := total * 10 + i; END FOR;
        FOR row_var IN c1 DO total := total + row_var.k; END FOR;
        LET c2 CURSOR FOR rs;
        FOR r IN c2 DO total := total + r.ten; END FOR;
        WHILE (total < 1000) DO total := total * 2; END WHILE;
        REPEAT total := total - 700; UNTIL (total < 1000) END REPEAT;
        LOOP total := total + 1000; IF (total > 3000) THEN BREAK; END IF; END LOOP;
        RETURN total;
      END`);
    // 1+3+4 = 8 → 8*10+2 = 82 → 82*10+1 = 821 → +4+5 = 830 → +10 = 840 → 1680 → 980 → 3980
    expect(r.rows).toEqual([[3980]]);
  });

  it('opens, fetches and closes cursors with USING binds; RETURN TABLE', async () => {
    const r = await one(`DECLARE
        c CURSOR FOR SELECT k, v FROM t WHERE k = ?;
        k1 INT; v1 VARCHAR;
      BEGIN
        OPEN c USING (4);
        FETCH c INTO k1, v1;
        CLOSE c;
        LET rs RESULTSET := (SELECT :k1 AS k, :v1 AS v);
        RETURN TABLE(rs);
      END`);
    expect(r).toEqual({ columns: ['K', 'V'], rows: [[4, "it's"]] });
  });

  it('catches errors in EXCEPTION handlers with SQLCODE / SQLERRM and raises declared exceptions', async () => {
    expect((await one(`BEGIN SELECT * FROM missing_table; EXCEPTION WHEN STATEMENT_ERROR THEN RETURN SQLERRM; END`)).rows[0][0]).toMatch(/MISSING_TABLE' does not exist/);
    const r = await one(`DECLARE
        too_big EXCEPTION (-20001, 'value too big');
      BEGIN
        RAISE too_big;
      EXCEPTION
        WHEN too_big THEN RETURN SQLCODE || ':' || SQLERRM;
      END`);
    expect(r.rows).toEqual([['-20001:value too big']]);
    expect(await failure(`DECLARE e1 EXCEPTION (-20002, 'nope');\nBEGIN\n  RAISE e1;\nEND`)).toBe("Uncaught exception of type 'E1' on line 3 at position 2 : nope");
  });

  it('reports an uncaught statement error with the line and position of the statement in the block', async () => {
    const msg = await failure(`BEGIN\n  LET a := 1;\n    SELECT nope FROM t;\nEND`);
    expect(msg).toMatch(/^Uncaught exception of type 'STATEMENT_ERROR' on line 3 at position 4 : SQL compilation error:\n.*invalid identifier 'NOPE'/s);
    expect(await failure(`BEGIN\n  LET a := 1 +;\nEND`)).toMatch(/^Uncaught exception of type 'EXPRESSION_ERROR' on line 2 at position 11/);
    expect(await failure(`BEGIN\n  IF (1 = 1) THEN RETURN 1;\nEND`)).toMatch(/syntax error line 3 at position 3 unexpected '<EOF>'/);
  });

  it('commits and rolls back transactions inside a block; a transaction left open is rolled back with an error', async () => {
    await one(`BEGIN
        BEGIN TRANSACTION; INSERT INTO t VALUES (6, 'rolled back'); ROLLBACK;
        BEGIN TRANSACTION; INSERT INTO t VALUES (7, 'kept'); COMMIT;
      END`);
    expect((await one('SELECT k FROM t WHERE k IN (6, 7)')).rows).toEqual([[7]]);
    expect(await failure(`BEGIN BEGIN TRANSACTION; INSERT INTO t VALUES (8, 'open'); END`)).toMatch(/still open when the block ended; it was rolled back/);
    expect((await one('SELECT count(*) FROM t WHERE k = 8')).rows).toEqual([[0]]);
  });

  it('runs nested blocks with their own scopes', async () => {
    const r = await one(`DECLARE x INT DEFAULT 1; BEGIN
        DECLARE x INT DEFAULT 10; BEGIN x := x + 1; END;
        BEGIN x := x + 100; END;
        RETURN x;
      END`);
    expect(r.rows).toEqual([[101]]);
  });
});

describe('EXECUTE IMMEDIATE', () => {
  it('runs a block or a single statement, with USING binds', async () => {
    expect((await one(`EXECUTE IMMEDIATE $$ DECLARE n INT DEFAULT 2; BEGIN RETURN n * 21; END; $$`)).rows).toEqual([[42]]);
    expect((await one(`EXECUTE IMMEDIATE 'SELECT ? * ?' USING (6, 7)`)).rows).toEqual([[42]]);
    const r = await one(`BEGIN
        LET q := 'SELECT count(*) FROM t WHERE k = ?';
        LET want := 7;
        LET rs RESULTSET := (EXECUTE IMMEDIATE :q USING (want));
        FOR r IN rs DO RETURN r."COUNT(*)"; END FOR;
      END`);
    expect(r.rows).toEqual([[1]]);
    expect(await failure(`EXECUTE IMMEDIATE 'SELECT 1; SELECT 2'`)).toMatch(/one statement or one block/);
  });
});

describe('session.run contract (task bodies)', () => {
  it('runs a single statement, a CALL and a BEGIN … END block through session.run', async () => {
    await s.query(`CREATE OR REPLACE PROCEDURE add_k(k INT) RETURNS INT LANGUAGE SQL AS $$ BEGIN INSERT INTO t VALUES (:k, 'proc'); RETURN k; END $$`);
    for (const body of ['INSERT INTO t VALUES (20, \'single\')', 'CALL add_k(21)', `BEGIN INSERT INTO t VALUES (22, 'block'); LET n := 1; IF (n = 1) THEN INSERT INTO t VALUES (23, 'if'); END IF; END`]) {
      const outcomes = [];
      for await (const o of s.run(body)) outcomes.push(o);
      expect(outcomes.length).toBe(1);
      expect(outcomes[0].ok).toBe(true);
    }
    expect((await one('SELECT k FROM t WHERE k >= 20 ORDER BY k')).rows).toEqual([[20], [21], [22], [23]]);
  });
});
