/**
 * Stream behaviour that needs more than one session, a controllable clock, a restart or a look at the
 * internal change log: SV-14, ROW_ID identity, staleness, compaction, commit events, persistence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine, Session, TableCommit } from '../../src/engine/engine-api.js';
import type { EngineImpl } from '../../src/engine/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETUP = `
  CREATE OR REPLACE TABLE t (id INT, v STRING);
  CREATE OR REPLACE STREAM s_std ON TABLE t;
  CREATE OR REPLACE STREAM s_ao ON TABLE t APPEND_ONLY = TRUE;
  CREATE OR REPLACE TABLE sink (id INT, v STRING);`;

async function rows(s: Session, sql: string): Promise<unknown[][]> {
  const results = await s.query(sql);
  return results[results.length - 1].rows.map((r) => [...r]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function withEngine<T>(work: (e: Engine, s: Session) => Promise<T>, options: { database?: string; now?: () => number } = {}): Promise<T> {
  const e = await openEngine({ database: options.database ?? ':memory:', ...(options.now ? { now: options.now } : {}) });
  try {
    const s = await e.session();
    return await work(e, s);
  } finally {
    await e.close();
  }
}

/** Rows in the change log of table T (internal; what compaction removes). */
async function logRows(e: Engine): Promise<number> {
  const core = (e as EngineImpl).core;
  const def = core.catalog.tables().find((t) => t.name === 'T' && t.tracked);
  const conn = await core.driver.connect();
  try {
    const r = await conn.query(`SELECT count(*) FROM "_floe"."t_${def?.id}_log"`);
    return Number(r.rows[0][0]);
  } finally {
    await conn.close();
  }
}

describe('streams across sessions (SV-14)', () => {
  it('a transaction keeps reading offset → its start, and consumes only that', async () => {
    await withEngine(async (e, a) => {
      await a.query(SETUP);
      const b = await e.session();
      await a.query('BEGIN');
      expect(await rows(a, 'SELECT id FROM s_std')).toEqual([]);
      await b.query("INSERT INTO t VALUES (5, 'e')");
      expect(await rows(a, 'SELECT id FROM s_std')).toEqual([]);
      await a.query('INSERT INTO sink SELECT id, v FROM s_std');
      await a.query('COMMIT');
      expect(await rows(a, 'SELECT id, v, METADATA$ACTION, METADATA$ISUPDATE FROM s_std')).toEqual([[5, 'e', 'INSERT', false]]);
      await b.close();
    });
  });

  it('a writer waits for another session’s open writing transaction (change lock)', async () => {
    await withEngine(async (e, a) => {
      await a.query(SETUP);
      const b = await e.session();
      await a.query("BEGIN; INSERT INTO t VALUES (1, 'a')");
      let bDone = false;
      const bWrite = b.query("INSERT INTO t VALUES (2, 'b')").then(() => (bDone = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(bDone).toBe(false);
      await a.query('COMMIT');
      await bWrite;
      expect(await rows(a, 'SELECT id FROM s_std')).toEqual([[1], [2]]);
      await b.close();
    });
  });
});

describe('METADATA$ROW_ID', () => {
  it('is identical across streams on one table and stable across updates', async () => {
    await withEngine(async (_e, s) => {
      await s.query(SETUP);
      await s.query("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      const std = await rows(s, 'SELECT id, METADATA$ROW_ID FROM s_std');
      const ao = await rows(s, 'SELECT id, METADATA$ROW_ID FROM s_ao');
      expect(std).toEqual(ao);
      expect(String(std[0][1])).toMatch(/^[0-9a-f]{16}\d+$/);
      await s.query('INSERT INTO sink SELECT id, v FROM s_std');
      await s.query("UPDATE t SET v = 'z' WHERE id = 1");
      const pair = await rows(s, 'SELECT METADATA$ACTION, METADATA$ROW_ID FROM s_std');
      expect(pair.map((r) => r[1])).toEqual([std[0][1], std[0][1]]);
    });
  });
});

describe('DML on a table with streams', () => {
  it('DELETE … USING a derived table logs the rows it deletes', async () => {
    await withEngine(async (_e, s) => {
      await s.query(SETUP);
      await s.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'); INSERT INTO sink VALUES (1, 'x'), (3, 'y')");
      await s.query('CREATE TABLE drained (id INT, v STRING); INSERT INTO drained SELECT id, v FROM s_std'); // consume the inserts
      await s.query('DELETE FROM t USING (SELECT id, MAX(v) AS mv FROM sink GROUP BY id) AS d WHERE d.id = t.id AND d.mv IS NOT NULL');
      expect(await rows(s, 'SELECT METADATA$ACTION, id, v FROM s_std')).toEqual([
        ['DELETE', 1, 'a'],
        ['DELETE', 3, 'c'],
      ]);
      expect(await rows(s, 'SELECT id FROM t')).toEqual([[2]]);
    });
  });
});

describe('staleness', () => {
  it('follows retention / MAX_DATA_EXTENSION_TIME_IN_DAYS and says how to recover', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    await withEngine(
      async (_e, s) => {
        await s.query(SETUP);
        await s.query("INSERT INTO t VALUES (1, 'a')");
        now += 13 * 86_400_000;
        expect(await rows(s, 'SELECT id FROM s_std')).toEqual([[1]]);
        now += 2 * 86_400_000;
        await expect(s.query('SELECT * FROM s_std')).rejects.toThrow(/has become stale.*CREATE OR REPLACE STREAM/s);
        await s.query("SHOW STREAMS LIKE 'S_STD'");
        expect(await rows(s, 'SELECT "stale" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))')).toEqual([['true']]);
        // A longer retention on the table keeps it readable.
        await s.query('ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 30');
        expect(await rows(s, 'SELECT id FROM s_std')).toEqual([[1]]);
      },
      { now: () => now },
    );
  });

  it('a FALSE SYSTEM$STREAM_HAS_DATA refreshes stale_after', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    await withEngine(
      async (_e, s) => {
        await s.query(SETUP);
        now += 10 * 86_400_000;
        expect(await rows(s, "SELECT SYSTEM$STREAM_HAS_DATA('s_std')")).toEqual([[false]]);
        now += 10 * 86_400_000;
        expect(await rows(s, 'SELECT COUNT(*) FROM s_std')).toEqual([[0]]);
        await expect(s.query('SELECT * FROM s_ao')).rejects.toThrow(/stale/);
      },
      { now: () => now },
    );
  });
});

describe('compaction', () => {
  it('drops log images once every stream has consumed past them', async () => {
    await withEngine(async (e, s) => {
      await s.query(SETUP);
      await s.query(`INSERT INTO t VALUES ${Array.from({ length: 100 }, (_, i) => `(${i}, 'v')`).join(', ')}`);
      await s.query('INSERT INTO sink SELECT id, v FROM s_std; INSERT INTO sink SELECT id, v FROM s_ao');
      await s.query("UPDATE t SET v = 'w'");
      expect(await logRows(e)).toBe(100);
      await s.query('INSERT INTO sink SELECT id, v FROM s_std');
      await (e as EngineImpl).core.compactor.flush();
      expect(await logRows(e)).toBe(100); // s_ao has not consumed yet
      await s.query('INSERT INTO sink SELECT id, v FROM s_ao');
      await (e as EngineImpl).core.compactor.flush();
      expect(await logRows(e)).toBe(0);
      expect(await rows(s, 'SELECT COUNT(*) FROM t')).toEqual([[100]]);
    });
  });
});

describe('commit events', () => {
  it('fire after a commit that changed a tracked table, never after a rollback', async () => {
    await withEngine(async (e, s) => {
      await s.query(SETUP);
      const seen: TableCommit[] = [];
      const off = e.onCommit((c) => seen.push(c));
      await s.query("INSERT INTO t VALUES (1, 'a')");
      await s.query("BEGIN; INSERT INTO t VALUES (2, 'b'); ROLLBACK");
      await s.query("INSERT INTO sink VALUES (3, 'c')");
      off();
      await s.query("INSERT INTO t VALUES (4, 'd')");
      expect(seen).toHaveLength(1);
      expect(seen[0].tables.map((t) => t.name)).toEqual(['T']);
    });
  });
});

describe('persistence', () => {
  it('keeps offsets and change versions across a restart', async () => {
    const database = join(dir, 'restart.duckdb');
    await withEngine(async (_e, s) => {
      await s.query(SETUP);
      await s.query("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      await s.query('INSERT INTO sink SELECT id, v FROM s_std');
      await s.query("UPDATE t SET v = 'x' WHERE id = 1");
    }, { database });
    await withEngine(async (_e, s) => {
      await s.query("INSERT INTO t VALUES (3, 'c')");
      expect(await rows(s, 'SELECT id, v, METADATA$ACTION, METADATA$ISUPDATE FROM s_std')).toEqual([
        [1, 'a', 'DELETE', true],
        [1, 'x', 'INSERT', true],
        [3, 'c', 'INSERT', false],
      ]);
      expect(await rows(s, 'SELECT id FROM s_ao')).toEqual([[1], [2], [3]]);
    }, { database });
  });
});
