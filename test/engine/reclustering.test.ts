/**
 * Background reclustering (engine/clustering/reclusterer.ts): a table with a clustering key is rebuilt in key order
 * while it stays in use — rows, column defaults, NOT NULL and the key's index survive, rows appended during the copy
 * are kept, rows deleted during it stay deleted, a table otherwise edited during the copy is left alone, a table in
 * use by an open transaction is retried later, and ALTER TABLE … SUSPEND RECLUSTER stops it.
 */
import { describe, expect, it } from 'vitest';
import { aroundRangeCopies, backend, closeEnginesAfterEach, clusteredEngine, clusteredTable, content, countingCopies, def, open, otherSession, physical, rows, sortedRuns, values } from '../support/recluster-fixture.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import type { Session } from '../../src/engine/engine-api.js';
import type { Reclusterer } from '../../src/engine/clustering/reclusterer.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';

/** The rows `values(n, from)` makes have V = 'v<from>' … 'v<from + n - 1>': a condition on V picking rows `from` … `to`. */
const vs = (from: number, to: number): string => `V IN (${Array.from({ length: to - from + 1 }, (_, i) => `'v${from + i}'`).join(', ')})`;

/** T's columns as the backend has them. */
const columnsOf = async (e: EngineImpl): Promise<unknown[]> =>
  (await backend(e, `SELECT column_name FROM duckdb_columns() WHERE schema_name = 'D.S' AND table_name = 'T' ORDER BY column_index`)).map((r) => r[0]);

/** T's row ids as its last rebuild recorded them (sorted_rows in _floe.table_clustering), and the row id T's next row gets. */
async function rowIds(e: EngineImpl, s: Session): Promise<{ sorted: unknown; next: unknown }> {
  const sorted = (await backend(e, `SELECT sorted_rows FROM _floe.table_clustering WHERE table_key = '${def(e).id}'`))[0]?.[0];
  await s.query(`INSERT INTO T (K, V) VALUES (7, 'next')`);
  const next = (await backend(e, `SELECT rowid FROM "D.S"."T" WHERE V = 'next'`))[0]?.[0];
  await s.query(`DELETE FROM T WHERE V = 'next'`);
  return { sorted, next: Number(next) };
}

/** The statements of the reclusterer's own connection that drop deleted rows from its copy (before and in the swap). */
async function deleteStatements(r: Reclusterer): Promise<string[]> {
  const conn = await (r as unknown as { conn(): Promise<WarehouseConnection> }).conn();
  const seen: string[] = [];
  for (const method of ['query', 'execute'] as const) {
    const run = conn[method].bind(conn) as (sql: string, params?: never) => Promise<never>;
    conn[method] = ((sql: string, params?: never) => {
      if (/^DELETE FROM .*\$recluster/.test(sql)) seen.push(/__floe_recluster_gone/.test(sql) ? 'swap' : 'before the swap');
      return run(sql, params);
    }) as never;
  }
  return seen;
}

closeEnginesAfterEach();

describe('reclustering', () => {
  it('rebuilds a table in key order, keeping its rows, defaults, NOT NULL and index', async () => {
    const { e, s } = await clusteredEngine(3000);
    const before = await content(s);
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(100);
    // A copy left by a crash between the copy and the swap is replaced.
    const conn = await e.core.driver.connect();
    await conn.execute('CREATE TABLE "D.S"."T$recluster" (X INT)');
    await conn.close();

    // Sorted a range of the key at a time (NULL keys last).
    e.core.reclusterer.policy.chunkRows = 500;
    await s.query(`INSERT INTO T (K, V) VALUES (NULL, 'no key')`);
    before.push([null, 'no key', 42]);
    expect(await e.core.reclusterer.recluster(def(e))).toBe('reclustered');
    expect(await content(s)).toEqual(before);
    const after = await physical(e);
    expect(after.keys.pop()).toBe(0); // the NULL key, last (Number(null))
    expect(sortedRuns(after.keys)).toBe(1);
    expect(after.indexes).toEqual(['T$cluster']);
    await s.query(`INSERT INTO T (K, V) VALUES (5, 'new')`);
    expect(await rows(s, `SELECT N FROM T WHERE V = 'new'`)).toEqual([[42]]);
    await expect(s.query(`INSERT INTO T (K, V) VALUES (6, NULL)`)).rejects.toThrow(/NULL/i);
    const state = await e.core.driver.connect();
    expect((await state.query(`SELECT table_key, sorted_rows FROM _floe.table_clustering`)).rows).toEqual([[def(e).id, 3001]]);
    await state.close();
    // Later DDL still finds the index by its name.
    await s.query('ALTER TABLE T DROP CLUSTERING KEY');
    expect((await physical(e)).indexes).toEqual([]);
  });

  it('keeps rows appended during the copy, after the sorted ones', async () => {
    const { e, s } = await clusteredEngine(2000);
    const other = await otherSession(e);
    e.core.reclusterer.afterCopy = async () => {
      await other.query(`INSERT INTO T (K, V) VALUES ${values(50, 5000)}`);
    };
    expect(await e.core.reclusterer.recluster(def(e))).toBe('reclustered');
    expect(await rows(s, 'SELECT COUNT(*), COUNT(DISTINCT V) FROM T')).toEqual([[2050, 2050]]);
    expect(sortedRuns((await physical(e)).keys)).toBe(2);
    await other.close();
  });

  it('copies a key range per transaction: rows appended between ranges are copied once, after the sorted ones', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const other = await otherSession(e);
    const seen = await aroundRangeCopies(r, async (n, copy) => {
      const result = await copy();
      if (n === 1) await other.query(`INSERT INTO T (K, V) VALUES ${values(50, 5000)}`);
      return result;
    });
    expect(await r.recluster(def(e))).toBe('reclustered');
    expect(seen.ranges).toBeGreaterThan(3);
    expect(await rows(s, 'SELECT COUNT(*), COUNT(DISTINCT V) FROM T')).toEqual([[2050, 2050]]);
    expect(sortedRuns((await physical(e)).keys)).toBe(2);
    // The backend's bulk writes (DuckDB's optimistic writes) are on only while the copy runs.
    expect(await backend(e, `SELECT current_setting('enable_optimistic_write')`)).toEqual([[false]]);
    await other.close();
  });

  it('after a failed copy, leaves the table as it was, drops the copy and turns bulk writes back off', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const before = await content(s);
    await aroundRangeCopies(r, async (n, copy) => {
      if (n === 2) throw new Error('disk full');
      return copy();
    });
    await expect(r.recluster(def(e))).rejects.toThrow('disk full');
    expect(await content(s)).toEqual(before);
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(100);
    expect(await backend(e, `SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = 'T$recluster'`)).toEqual([[0]]);
    expect(await backend(e, `SELECT current_setting('enable_optimistic_write')`)).toEqual([[false]]);
  });

  it('drops the rows deleted during the copy from it and keeps the rows appended, with the same columns and index', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const other = await otherSession(e);
    const columns = await columnsOf(e);
    const deletes = await deleteStatements(r);
    await aroundRangeCopies(r, async (n, copy) => {
      const result = await copy();
      // Between two ranges: rows of copied keys and of keys still to copy.
      if (n === 1) await other.query(`DELETE FROM T WHERE ${vs(0, 99)}`);
      return result;
    });
    r.afterCopy = async () => {
      await other.query(`INSERT INTO T (K, V) VALUES ${values(50, 5000)}`);
      // The SCD applier's form: DELETE … USING.
      await other.query(`DELETE FROM T t USING (SELECT V FROM T WHERE ${vs(1000, 1049)}) AS d WHERE t.V = d.V`);
    };
    const expected = (await content(s)).filter(([, v]) => {
      const i = Number(String(v).slice(1));
      return i >= 100 && (i < 1000 || i >= 1050);
    });
    expected.push(...(await rows(other, `SELECT K, V, 42 FROM (VALUES ${values(50, 5000)}) v(K, V)`)));
    expected.sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])));
    expect(await r.recluster(def(e))).toBe('reclustered');
    // Most deleted rows left the copy before the swap; the swap dropped those deleted after.
    expect(deletes).toEqual(['before the swap', 'swap']);
    expect(await content(s)).toEqual(expected);
    expect(sortedRuns((await physical(e)).keys)).toBe(2);
    // The key's index answers lookups, the source row id column is gone, no copy is left.
    expect((await physical(e)).indexes).toEqual(['T$cluster']);
    expect(await rows(s, `SELECT V FROM T WHERE K = 0 ORDER BY V`)).toEqual(expected.filter(([k]) => k === 0).map(([, v]) => [v]));
    expect(await columnsOf(e)).toEqual(columns);
    expect(await backend(e, `SELECT COUNT(*) FROM duckdb_tables() WHERE table_name LIKE '%recluster%'`)).toEqual([[0]]);
    // The rebuilt table's row ids: its 1,900 rows, the 50 deleted from the copy in the swap, and those of the first
    // range deleted before it (rows of later ranges were deleted before they were copied); the next row gets the next.
    const ids = await rowIds(e, s);
    expect(ids.sorted).toBe(ids.next);
    expect(ids.sorted).toBeGreaterThan(1950);
    expect(ids.sorted).toBeLessThan(2050);
    await other.close();
  });

  it('drops from its copy rows appended after the snapshot and deleted again, and does not copy those the swap would', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const other = await otherSession(e);
    r.policy.swapRows = 10; // the rows appended during the copy are copied in a round before the swap
    const deletes = await deleteStatements(r);
    await aroundRangeCopies(r, async (n, copy) => {
      const result = await copy();
      if (n === 1) await other.query(`INSERT INTO T (K, V) VALUES ${values(100, 5000)}`);
      return result;
    });
    r.afterCopy = async () => {
      await other.query(`INSERT INTO T (K, V) VALUES ${values(5, 9000)}`);
      // Rows the round copied, and rows the swap would copy.
      await other.query(`DELETE FROM T WHERE ${vs(5000, 5019)} OR ${vs(9000, 9001)}`);
    };
    expect(await r.recluster(def(e))).toBe('reclustered');
    expect(deletes).toEqual(['swap']);
    expect(await rows(s, 'SELECT COUNT(*), COUNT(DISTINCT V) FROM T')).toEqual([[2083, 2083]]);
    expect(await rows(s, `SELECT COUNT(*) FROM T WHERE ${vs(5000, 5019)} OR ${vs(9000, 9001)}`)).toEqual([[0]]);
    expect(sortedRuns((await physical(e)).keys)).toBe(3);
    // 2,100 copied, 20 of them deleted in the swap; 3 appended.
    expect(await rowIds(e, s)).toEqual({ sorted: 2103, next: 2103 });
    await other.close();
  });

  it('leaves a table that was updated, merged into or altered during the copy as it is', async () => {
    const { e, s } = await clusteredEngine(2000);
    const other = await otherSession(e);
    for (const edit of [`UPDATE T SET V = 'changed' WHERE K = 3`, `MERGE INTO T USING (SELECT 4 AS K) m ON T.K = m.K WHEN MATCHED THEN DELETE`]) {
      e.core.reclusterer.afterCopy = async () => {
        await other.query(`DELETE FROM T WHERE K = 5`); // tolerated, but not with another edit
        await other.query(edit);
      };
      const before = (await physical(e)).keys;
      expect(await e.core.reclusterer.recluster(def(e))).toBe('changed');
      const after = await physical(e);
      expect(after.keys.length).toBe(before.filter((k) => k !== 5 && (!edit.startsWith('MERGE') || k !== 4)).length);
      expect(sortedRuns(after.keys)).toBeGreaterThan(100);
      expect(after.indexes).toEqual(['T$cluster']);
    }
    // DDL during the copy: the new definition wins, the copy is dropped.
    e.core.reclusterer.afterCopy = async () => {
      await other.query('ALTER TABLE T ADD COLUMN Z INT');
    };
    expect(await e.core.reclusterer.recluster(def(e))).toBe('changed');
    expect(await rows(s, 'SELECT COUNT(Z), COUNT(*) > 1900 FROM T')).toEqual([[0, true]]);
    expect(await rows(s, `SELECT COUNT(*) FROM T WHERE V = 'changed'`)).not.toEqual([[0]]);
    expect(await rows(s, `SELECT COUNT(*) FROM T WHERE K IN (4, 5)`)).toEqual([[0]]);
    // The copies were dropped.
    const conn = await e.core.driver.connect();
    expect((await conn.query(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'D.S'`)).rows).toEqual([['T']]);
    await conn.close();
    await other.close();
  });

  it('waits for no transaction to use the table, and retries later when one keeps it', async () => {
    const { e, s } = await clusteredEngine(2000);
    e.core.reclusterer.policy.gateWaitMs = 50;
    const other = await otherSession(e);
    await s.query('CREATE TABLE OTHER (X INT)');
    // A transaction whose snapshot began before a swap could not write the table after it, even one that has not
    // touched the table yet.
    await other.query('BEGIN');
    expect(await rows(other, 'SELECT COUNT(*) FROM OTHER')).toEqual([[0]]);
    expect(await e.core.reclusterer.recluster(def(e))).toBe('busy');
    expect(await rows(other, 'SELECT COUNT(*) FROM T')).toEqual([[2000]]);
    expect(await e.core.reclusterer.recluster(def(e))).toBe('busy');
    await other.query(`INSERT INTO T (K, V) VALUES (1, 'in the transaction')`);
    await other.query('COMMIT');
    expect(await e.core.reclusterer.recluster(def(e))).toBe('reclustered');
    expect(await rows(s, 'SELECT COUNT(*) FROM T')).toEqual([[2001]]);
    await other.close();
  });

  it('rebuilds a table once it has grown by a quarter since its last rebuild, unless SUSPEND RECLUSTER', async () => {
    const { e, s } = await open();
    const r = e.core.reclusterer;
    r.policy.minRows = 1000;
    await clusteredTable(s, 900);
    await r.pass();
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(1); // below minRows
    await s.query(`INSERT INTO T (K, V) VALUES ${values(300, 900)}`);
    await s.query('ALTER TABLE T SUSPEND RECLUSTER');
    expect((await rows(s, `SHOW TABLES LIKE 'T'`)).length).toBe(1);
    await r.pass();
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(1);
    await s.query('ALTER TABLE T RESUME RECLUSTER');
    await r.pass();
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
    await s.query(`INSERT INTO T (K, V) VALUES ${values(250, 2000)}`);
    await r.pass(); // 1,450 rows: 250 appended, not yet a quarter of the 1,200 sorted
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(1);
    await s.query(`INSERT INTO T (K, V) VALUES ${values(50, 3000)}`);
    await r.pass();
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
    expect(await rows(s, 'SELECT COUNT(*) FROM T')).toEqual([[1500]]);
  });

  it('pause() lets a rebuild in progress finish, then checks no more until start()', async () => {
    const { e, s, r } = await clusteredEngine(1200);
    r.policy.minRows = 1000;
    r.policy.checkMs = 10;
    r.policy.maxRestMs = 0; // no pacing: the test waits for the rebuilds
    await r.pause(); // the engine started it, checking at the default interval
    let paused: Promise<void> | undefined;
    r.afterCopy = async () => {
      paused ??= r.pause();
    };
    r.start();
    while (!paused) await new Promise((resolve) => setTimeout(resolve, 10));
    await paused;
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
    await s.query(`INSERT INTO T (K, V) VALUES ${values(600, 5000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(1);
    r.start();
    while (sortedRuns((await physical(e)).keys) > 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await rows(s, 'SELECT COUNT(*) FROM T')).toEqual([[1800]]);
  });

  it('after a rebuild gave up on an edit, waits for the table to grow by a quarter again before the next try', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    const other = await otherSession(e);
    let edit = true;
    r.afterCopy = async () => {
      copies.n++;
      if (edit) await other.query(`UPDATE T SET V = 'changed' WHERE K = 5`);
    };
    await r.pass();
    expect(copies.n).toBe(1);
    await r.pass(); // same size: no second copy of a table that is edited while it is copied
    await s.query(`INSERT INTO T (K, V) VALUES ${values(250, 5000)}`);
    await r.pass(); // 250 more than the 1,200 it had when it gave up: not yet a quarter
    expect(copies.n).toBe(1);
    edit = false;
    await s.query(`INSERT INTO T (K, V) VALUES ${values(100, 6000)}`);
    await r.pass();
    expect(copies.n).toBe(2);
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
    await other.close();
  });

  it('spends at most its busy share of the time on rebuilds: a table due soon after a rebuild waits', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    r.policy.maxBusyShare = 1e-6; // the next rebuild waits a million times as long as this one took
    await r.pass();
    expect(copies.n).toBe(1);
    await s.query(`INSERT INTO T (K, V) VALUES ${values(600, 5000)}`);
    await r.pass(); // half again as many rows: due, but within the budget's wait
    expect(copies.n).toBe(1);
    expect(sortedRuns((await physical(e)).keys)).toBeGreaterThan(1);
  });

  it("copies nothing on a process's first check: edits are counted from its start, so any table looks quiet then", async () => {
    const { r, copies } = await countingCopies(1200); // its first pass found the 1,200 rows due and copied nothing
    await r.pass();
    expect(copies.n).toBe(1);
  });

  it('does not copy a table updated since the previous check', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    await s.query(`UPDATE T SET V = 'changed' WHERE K = 5`);
    await r.pass();
    await s.query(`UPDATE T SET V = 'changed' WHERE K = 6`);
    await r.pass();
    expect(copies.n).toBe(0);
    await r.pass(); // no edit since the previous check
    expect(copies.n).toBe(1);
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
  });

  it('rebuilds a table only appended to and deleted from once enough rows were appended, though its count did not grow', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    await s.query(`DELETE FROM T WHERE ${vs(0, 9)}`); // deletes do not make a table look edited
    await r.pass();
    expect(copies.n).toBe(1);
    expect(await rowIds(e, s)).toEqual({ sorted: 1190, next: 1190 });
    // A quarter of the 1,190 row ids is 298: 251 appended (the check above appended one) is not enough.
    await s.query(`INSERT INTO T (K, V) VALUES ${values(250, 5000)}`);
    await s.query(`DELETE FROM T WHERE ${vs(10, 259)}`);
    await r.pass();
    expect(copies.n).toBe(1);
    await s.query(`DELETE FROM T WHERE ${vs(260, 309)}`);
    await s.query(`INSERT INTO T (K, V) VALUES ${values(50, 6000)}`);
    expect(await rows(s, 'SELECT COUNT(*) FROM T')).toEqual([[1190]]);
    await r.pass();
    expect(copies.n).toBe(2);
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
    expect(await rows(s, `SELECT COUNT(*), COUNT(DISTINCT V), COUNT(*) FILTER (WHERE ${vs(0, 309)}) FROM T`)).toEqual([[1190, 1190, 0]]);
  });

  it('drops a copy left by a crash on its first pass, even for a table too small to rebuild', async () => {
    const { e } = await clusteredEngine(100);
    const conn = await e.core.driver.connect();
    const tables = async (): Promise<unknown[][]> => (await conn.query(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'D.S' ORDER BY 1`)).rows;
    await conn.execute('CREATE TABLE "D.S"."T$recluster" AS SELECT * FROM "D.S"."T"');
    expect(await tables()).toEqual([['T'], ['T$recluster']]);
    await e.core.reclusterer.pass();
    expect(await tables()).toEqual([['T']]);
    await conn.close();
  });

  it('shows SUSPEND RECLUSTER in SHOW TABLES automatic_clustering', async () => {
    const { s } = await open();
    await s.query('CREATE TABLE T (K INT) CLUSTER BY (K)');
    const auto = async (): Promise<unknown> => {
      const r = (await s.query(`SHOW TABLES LIKE 'T'`))[0]!;
      return r.rows[0]![r.columns.findIndex((c) => c.name === 'automatic_clustering')];
    };
    expect(await auto()).toBe('ON');
    await s.query('ALTER TABLE T SUSPEND RECLUSTER');
    expect(await auto()).toBe('OFF');
    await s.query('ALTER TABLE T RESUME RECLUSTER');
    expect(await auto()).toBe('ON');
  });
});
