/**
 * Session-scoped temporary tables (CREATE TEMPORARY | TEMP | LOCAL/GLOBAL TEMPORARY | VOLATILE TABLE): visible to
 * their session only, gone with it, never in the warehouse file or `_floe.catalog`, hiding a permanent table
 * of the same name, transactional, refused as stream sources.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-temp-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines) await e.close();
  engines = [];
});

async function open(database = ':memory:', extra: Parameters<typeof openEngine>[0] = { database }): Promise<Engine> {
  const e = await openEngine({ ...extra, database });
  engines.push(e);
  return e;
}

async function rows(s: Session, sql: string): Promise<unknown[][]> {
  const r = await s.query(sql);
  return r[r.length - 1].rows;
}

/** SHOW TERSE TABLES as [name, kind] pairs. */
const tables = async (s: Session): Promise<unknown[][]> => (await rows(s, 'SHOW TERSE TABLES')).map((r) => [r[1], r[2]]);

/** What the warehouse itself holds: `_floe.catalog` keys and the backend tables of the main (file) catalog. */
async function backend(e: Engine): Promise<{ catalogKeys: string[]; tables: string[] }> {
  const conn = await (e as EngineImpl).core.driver.connect();
  try {
    const keys = await conn.query(`SELECT key FROM "_floe"."catalog" WHERE kind = 'TABLE'`);
    const t = await conn.query(`SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE NOT temporary`);
    return { catalogKeys: keys.rows.map((r) => String(r[0]).split('\u0000').join('.')), tables: t.rows.map((r) => String(r[0])) };
  } finally {
    await conn.close();
  }
}

describe('temporary tables', () => {
  it('are visible in their own session only, shown as TEMPORARY, and never recorded in the catalog', async () => {
    const e = await open();
    const s1 = await e.session();
    const s2 = await e.session();
    await s1.query('CREATE TEMPORARY TABLE tmp (a INT); INSERT INTO tmp VALUES (1), (2)');
    expect(await tables(s1)).toEqual([['TMP', 'TEMPORARY']]);
    expect(await rows(s1, 'SELECT count(*) FROM tmp')).toEqual([[2]]);
    expect(await tables(s2)).toEqual([]);
    await expect(s2.query('SELECT * FROM tmp')).rejects.toThrow(/Object 'TMP' does not exist or not authorized/);
    await expect(s2.query('DROP TABLE tmp')).rejects.toThrow(/does not exist/);
    // The other session can create its own table of that name.
    await s2.query('CREATE TEMP TABLE tmp (b STRING); INSERT INTO tmp VALUES (\'x\')');
    expect(await rows(s2, 'SELECT * FROM tmp')).toEqual([['x']]);
    expect(await rows(s1, 'SELECT a FROM tmp ORDER BY a')).toEqual([[1], [2]]);
    const b = await backend(e);
    expect(b.catalogKeys.filter((k) => k.includes('TMP'))).toEqual([]);
    expect(b.tables.filter((t) => t.includes('TMP'))).toEqual([]);
    expect(await rows(s1, "SHOW TABLES LIKE 'TMP'")).toEqual([
      [expect.anything(), 'TMP', 'FLOE', 'PUBLIC', 'TEMPORARY', '', '', 2, null, 'ACCOUNTADMIN', '1', 'OFF', 'OFF', 'OFF', null, null, 'N', 'N', 'ROLE', 'N', null, 'N', 'N', 'N', 'N'],
    ]);
    expect((await rows(s1, 'DESCRIBE TABLE tmp')).map((r) => [r[0], r[1]])).toEqual([['A', 'NUMBER(38,0)']]);
  });

  it('accepts TEMP, TEMPORARY, LOCAL/GLOBAL TEMPORARY and VOLATILE, with IF NOT EXISTS and OR REPLACE', async () => {
    const e = await open();
    const s = await e.session();
    await s.query(`
      CREATE TEMP TABLE t1 (a INT);
      CREATE LOCAL TEMPORARY TABLE t2 (a INT);
      CREATE GLOBAL TEMPORARY TABLE t3 (a INT);
      CREATE VOLATILE TABLE t4 (a INT);
      CREATE LOCAL TEMP TABLE t5 (a INT);
      CREATE OR REPLACE LOCAL TEMPORARY TABLE t6 (a INT)`);
    expect(await tables(s)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6'].map((n) => [n, 'TEMPORARY']));
    await s.query('INSERT INTO t1 VALUES (7)');
    expect(await rows(s, 'CREATE TEMPORARY TABLE IF NOT EXISTS t1 (b INT)')).toEqual([['T1 already exists, statement succeeded.']]);
    expect(await rows(s, 'SELECT * FROM t1')).toEqual([[7]]);
    await expect(s.query('CREATE TEMPORARY TABLE t1 (b INT)')).rejects.toThrow(/Object 'T1' already exists/);
    await s.query('CREATE OR REPLACE TEMPORARY TABLE t1 (b STRING)');
    expect(await rows(s, 'SELECT count(*) FROM t1')).toEqual([[0]]);
    expect((await rows(s, 'DESCRIBE TABLE t1')).map((r) => r[0])).toEqual(['B']);
    // Syntax errors inside a rewritten VOLATILE statement keep their position.
    await expect(s.query('CREATE VOLATILE TABLE t7 (a INT,,)')).rejects.toThrow();
  });

  it('CREATE TEMPORARY TABLE … AS SELECT, and INSERT / SELECT / UPDATE / DELETE / MERGE / TRUNCATE / ALTER on it', async () => {
    const e = await open();
    const s = await e.session();
    await s.query("CREATE TABLE src (id INT, v STRING); INSERT INTO src VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    expect(await rows(s, 'CREATE TEMPORARY TABLE t AS SELECT id, v FROM src WHERE id < 3')).toEqual([['Table T successfully created.']]);
    expect(await rows(s, 'SELECT id, v FROM t ORDER BY id')).toEqual([[1, 'a'], [2, 'b']]);
    expect(await rows(s, "INSERT INTO t VALUES (9, 'z')")).toEqual([[1]]);
    expect(await rows(s, "UPDATE t SET v = upper(v) WHERE id <= 2")).toEqual([[2, 0]]);
    expect(await rows(s, 'DELETE FROM t WHERE id = 9')).toEqual([[1]]);
    expect(await rows(s, "MERGE INTO t USING src ON t.id = src.id WHEN MATCHED THEN UPDATE SET v = src.v || '!' WHEN NOT MATCHED THEN INSERT VALUES (src.id, src.v)")).toEqual([[1, 2]]);
    expect(await rows(s, 'SELECT t.id, t.v FROM t JOIN src ON src.id = t.id ORDER BY 1')).toEqual([[1, 'a!'], [2, 'b!'], [3, 'c']]);
    // Rows written into a permanent table from the temporary one.
    await s.query('CREATE TABLE kept AS SELECT * FROM t; INSERT INTO src SELECT id + 10, v FROM t');
    expect(await rows(s, 'SELECT count(*) FROM src')).toEqual([[6]]);
    await s.query('ALTER TABLE t ADD COLUMN n INT; UPDATE t SET n = id * 10');
    expect(await rows(s, 'SELECT id, n FROM t ORDER BY id')).toEqual([[1, 10], [2, 20], [3, 30]]);
    await s.query('ALTER TABLE t RENAME COLUMN n TO m; ALTER TABLE t SET COMMENT = \'scratch\'');
    expect((await rows(s, 'DESCRIBE TABLE t')).map((r) => r[0])).toEqual(['ID', 'V', 'M']);
    await s.query('ALTER TABLE t RENAME TO t2');
    expect(await tables(s)).toEqual([['KEPT', 'TABLE'], ['SRC', 'TABLE'], ['T2', 'TEMPORARY']]);
    expect(await rows(s, 'SELECT count(*) FROM t2')).toEqual([[3]]);
    await s.query('TRUNCATE TABLE t2');
    expect(await rows(s, 'SELECT count(*) FROM t2')).toEqual([[0]]);
    expect(await rows(s, 'DROP TABLE t2')).toEqual([['T2 successfully dropped.']]);
    expect(await tables(s)).toEqual([['KEPT', 'TABLE'], ['SRC', 'TABLE']]);
  });

  it('DML on a temporary table is transactional', async () => {
    const e = await open();
    const s = await e.session();
    await s.query('CREATE TEMPORARY TABLE t (a INT)');
    await s.query('BEGIN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); ROLLBACK');
    expect(await rows(s, 'SELECT count(*) FROM t')).toEqual([[0]]);
    await s.query('BEGIN; INSERT INTO t VALUES (3); COMMIT');
    await s.query('BEGIN; DELETE FROM t; ROLLBACK');
    expect(await rows(s, 'SELECT a FROM t')).toEqual([[3]]);
  });

  it('hides a permanent table of the same name in its session; DROP TABLE drops the temporary one first', async () => {
    const e = await open();
    const s1 = await e.session();
    const s2 = await e.session();
    await s1.query('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
    await s1.query('CREATE TEMPORARY TABLE t (a INT, b STRING); INSERT INTO t VALUES (2, \'temp\')');
    expect(await rows(s1, 'SELECT * FROM t')).toEqual([[2, 'temp']]);
    expect(await rows(s1, 'SELECT * FROM floe.public.t')).toEqual([[2, 'temp']]);
    expect(await rows(s2, 'SELECT * FROM t')).toEqual([[1]]);
    expect(await tables(s1)).toEqual([['T', 'TABLE'], ['T', 'TEMPORARY']]);
    expect(await tables(s2)).toEqual([['T', 'TABLE']]);
    await s1.query('UPDATE t SET a = 20');
    expect(await rows(s2, 'SELECT * FROM t')).toEqual([[1]]);
    await s1.query('DROP TABLE t');
    expect(await rows(s1, 'SELECT * FROM t')).toEqual([[1]]);
    await s1.query('DROP TABLE t');
    await expect(s1.query('SELECT * FROM t')).rejects.toThrow(/does not exist/);
  });

  it('hides a change-tracked table without writing its change log; streams on temporary tables are refused', async () => {
    const e = await open();
    const s = await e.session();
    await s.query('CREATE TABLE t (a INT); CREATE STREAM st ON TABLE t');
    await s.query('CREATE TEMPORARY TABLE t (a INT); INSERT INTO t VALUES (1); UPDATE t SET a = 2; DELETE FROM t');
    expect(await rows(s, "SELECT SYSTEM$STREAM_HAS_DATA('st')")).toEqual([[false]]);
    await expect(s.query('CREATE STREAM st2 ON TABLE t')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/stream on temporary table FLOE\.PUBLIC\.T/) });
    await expect(s.query('CREATE TEMPORARY TABLE ct (a INT) CHANGE_TRACKING = TRUE')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(s.query('ALTER TABLE t SET CHANGE_TRACKING = TRUE')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await s.query('DROP TABLE t; INSERT INTO t VALUES (5)');
    expect(await rows(s, 'SELECT a FROM st')).toEqual([[5]]);
  });

  it('CTAS into a temporary table consumes the streams it reads (the reference idiom for advancing an offset)', async () => {
    const e = await open();
    const s = await e.session();
    await s.query('CREATE TABLE src (a INT); CREATE STREAM s_ao ON TABLE src APPEND_ONLY = TRUE; INSERT INTO src VALUES (1), (2)');
    expect(await rows(s, "SELECT SYSTEM$STREAM_HAS_DATA('s_ao')")).toEqual([[true]]);
    await s.query('CREATE TEMPORARY TABLE _x AS SELECT * FROM s_ao WHERE 1=0');
    expect(await rows(s, "SELECT SYSTEM$STREAM_HAS_DATA('s_ao')")).toEqual([[false]]);
    expect(await tables(s)).toEqual([['SRC', 'TABLE'], ['_X', 'TEMPORARY']]);
  });

  it('refuses views over temporary tables and CREATE TEMPORARY VIEW', async () => {
    const e = await open();
    const s = await e.session();
    await s.query('CREATE TEMPORARY TABLE t (a INT)');
    await expect(s.query('CREATE VIEW v AS SELECT a FROM t')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/view over temporary table FLOE\.PUBLIC\.T/) });
    await expect(s.query('CREATE TEMPORARY VIEW v AS SELECT 1 AS x')).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/CREATE TEMPORARY VIEW/) });
    expect(await tables(s)).toEqual([['T', 'TEMPORARY']]);
  });

  it('are dropped when the session closes, and a dropped schema takes them along', async () => {
    const e = await open();
    const s1 = await e.session();
    await s1.query('CREATE TEMPORARY TABLE t (a INT); INSERT INTO t VALUES (1)');
    await s1.close();
    const s2 = await e.session();
    expect(await tables(s2)).toEqual([]);
    await expect(s2.query('SELECT * FROM t')).rejects.toThrow(/does not exist/);
    await s2.query('CREATE SCHEMA scratch; CREATE TEMPORARY TABLE scratch.t (a INT); INSERT INTO scratch.t VALUES (1)');
    await s2.query('DROP SCHEMA scratch; CREATE SCHEMA scratch');
    await expect(s2.query('SELECT * FROM scratch.t')).rejects.toThrow(/does not exist/);
    await s2.query('CREATE TEMPORARY TABLE scratch.t (b INT)');
    expect(await rows(s2, 'SELECT count(*) FROM scratch.t')).toEqual([[0]]);
  });

  it('do not survive a restart and never reach the warehouse file', async () => {
    const path = join(dir, 'restart.duckdb');
    const e1 = await open(path);
    const s1 = await e1.session();
    await s1.query('CREATE TABLE keep (a INT); CREATE TEMPORARY TABLE gone (a INT); INSERT INTO gone VALUES (1); CREATE TEMPORARY TABLE keep (b INT)');
    await e1.close();
    engines = [];
    const e2 = await open(path);
    const s2 = await e2.session();
    expect(await tables(s2)).toEqual([['KEEP', 'TABLE']]);
    expect((await rows(s2, 'DESCRIBE TABLE keep')).map((r) => r[0])).toEqual(['A']);
    await expect(s2.query('SELECT * FROM gone')).rejects.toThrow(/does not exist/);
    const b = await backend(e2);
    expect(b.catalogKeys.filter((k) => k.startsWith('FLOE.PUBLIC.'))).toEqual(['FLOE.PUBLIC.KEEP']);
    expect(b.tables.filter((t) => t.startsWith('FLOE.PUBLIC'))).toEqual(['FLOE.PUBLIC.KEEP']);
  });

  it('load with COPY INTO, and their load history does not count for a permanent table of the same name', async () => {
    const bucket = join(dir, 'bucket');
    mkdirSync(bucket, { recursive: true });
    writeFileSync(join(bucket, 'one.csv'), '1,a\n2,b\n');
    const e = await open(':memory:', { database: ':memory:', storage: { buckets: { b: { type: 'local', path: bucket } } } });
    const s = await e.session();
    await s.query("CREATE STAGE st URL = 's3://b/'; CREATE TABLE t (id INT, v STRING); CREATE TEMPORARY TABLE t (id INT, v STRING)");
    const copy = async (): Promise<unknown[][]> => (await rows(s, "COPY INTO t FROM @st FILES = ('one.csv')")).map((r) => [r[0], r[1], r[3]]);
    expect(await copy()).toEqual([['s3://b/one.csv', 'LOADED', 2]]);
    expect(await rows(s, 'SELECT count(*) FROM t')).toEqual([[2]]);
    expect(await copy()).toEqual([['s3://b/one.csv', 'LOAD_SKIPPED', 0]]);
    expect(await rows(s, "SELECT count(*) FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'T', START_TIME => DATEADD(HOUR, -1, CURRENT_TIMESTAMP())))")).toEqual([[1]]);
    await s.query('DROP TABLE t');
    expect(await rows(s, "SELECT count(*) FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'T', START_TIME => DATEADD(HOUR, -1, CURRENT_TIMESTAMP())))")).toEqual([[0]]);
    expect(await copy()).toEqual([['s3://b/one.csv', 'LOADED', 2]]);
    expect(await rows(s, 'SELECT count(*) FROM t')).toEqual([[2]]);
  });

  it('a task body creates and uses one in its own session; it is gone after each run', async () => {
    const e = await open();
    const s = await e.session();
    await s.query(`CREATE TABLE results (v INT);
      CREATE TASK k AS
      BEGIN
        CREATE TEMPORARY TABLE scratch AS SELECT 41 + count(*) AS v FROM results;
        INSERT INTO results SELECT v + 1 FROM scratch;
      END`);
    await s.query('EXECUTE TASK k');
    await e.idle();
    await s.query('EXECUTE TASK k');
    await e.idle();
    // The second run could create SCRATCH again without OR REPLACE: the first run's table went with its session.
    expect(await rows(s, 'SELECT v FROM results ORDER BY v')).toEqual([[42], [43]]);
    expect(await rows(s, "SELECT state FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE name = 'K' ORDER BY query_start_time")).toEqual([['SUCCEEDED'], ['SUCCEEDED']]);
    expect(await tables(s)).toEqual([['RESULTS', 'TABLE']]);
  });
});
