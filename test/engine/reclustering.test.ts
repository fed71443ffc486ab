/**
 * Background reclustering (engine/clustering/reclusterer.ts): a table with a clustering key is rebuilt in key order
 * while it stays in use — rows, column defaults, NOT NULL and the key's index survive, rows appended during the copy
 * are kept, a table edited during the copy is left alone, a table in use by an open transaction is retried later,
 * and ALTER TABLE … SUSPEND RECLUSTER stops it.
 */
import { describe, expect, it } from 'vitest';
import { aroundRangeCopies, backend, closeEnginesAfterEach, clusteredEngine, clusteredTable, content, countingCopies, def, open, otherSession, physical, rows, sortedRuns, values } from '../support/recluster-fixture.js';

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

  it('leaves a table that was updated, deleted from or altered during the copy as it is', async () => {
    const { e, s } = await clusteredEngine(2000);
    const other = await otherSession(e);
    for (const edit of [`UPDATE T SET V = 'changed' WHERE K = 3`, `DELETE FROM T WHERE K = 4`]) {
      e.core.reclusterer.afterCopy = async () => {
        await other.query(edit);
      };
      const before = (await physical(e)).keys;
      expect(await e.core.reclusterer.recluster(def(e))).toBe('changed');
      const after = await physical(e);
      expect(after.keys.length).toBe(before.filter((k) => !edit.startsWith('DELETE') || k !== 4).length);
      expect(after.indexes).toEqual(['T$cluster']);
    }
    // DDL during the copy: the new definition wins, the copy is dropped.
    e.core.reclusterer.afterCopy = async () => {
      await other.query('ALTER TABLE T ADD COLUMN Z INT');
    };
    expect(await e.core.reclusterer.recluster(def(e))).toBe('changed');
    expect(await rows(s, 'SELECT COUNT(Z), COUNT(*) > 1900 FROM T')).toEqual([[0, true]]);
    expect(await rows(s, `SELECT COUNT(*) FROM T WHERE V = 'changed'`)).not.toEqual([[0]]);
    expect(await rows(s, `SELECT COUNT(*) FROM T WHERE K = 4`)).toEqual([[0]]);
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

  it('after a rebuild gave up on an edit, waits for the table to grow by a quarter again before the next try', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    const other = await otherSession(e);
    let edit = true;
    r.afterCopy = async () => {
      copies.n++;
      if (edit) await other.query('DELETE FROM T WHERE K = 5');
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

  it('does not copy a table deleted from since the previous check', async () => {
    const { e, s, r, copies } = await countingCopies(1200);
    await s.query('DELETE FROM T WHERE K = 5');
    await r.pass();
    await s.query('DELETE FROM T WHERE K = 6');
    await r.pass();
    expect(copies.n).toBe(0);
    await r.pass(); // no edit since the previous check
    expect(copies.n).toBe(1);
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
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
