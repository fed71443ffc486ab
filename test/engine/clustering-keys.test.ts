/**
 * Clustering keys (CREATE TABLE … CLUSTER BY, ALTER TABLE … CLUSTER BY / DROP CLUSTERING KEY): kept in the catalog
 * and shown by SHOW TABLES as Snowflake does, and backed on DuckDB by an ART index that a join with a few keys reads
 * instead of scanning the table — through column renames, drops and table renames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { lastRows, openInSchema } from '../support/engine-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-cluster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines) await e.close();
  engines = [];
});

const open = (database?: string): ReturnType<typeof openInSchema> => openInSchema(engines, database);
const rows = lastRows;

/** SHOW TABLES' cluster_by and automatic_clustering of one table. */
async function shown(s: Session, name: string): Promise<unknown[]> {
  const r = await s.query(`SHOW TABLES LIKE '${name}'`);
  const res = r[r.length - 1]!;
  const col = (n: string): number => res.columns.findIndex((c) => c.name === n);
  const row = res.rows[0]!;
  return [row[col('cluster_by')], row[col('automatic_clustering')]];
}

/** The backend's indexes: [table, definition]. */
async function indexes(e: Engine): Promise<string[][]> {
  const conn = await (e as EngineImpl).core.driver.connect();
  try {
    const r = await conn.query(`SELECT table_name, sql FROM duckdb_indexes() WHERE schema_name = 'D.S' ORDER BY table_name`);
    return r.rows.map((x) => x.map(String));
  } finally {
    await conn.close();
  }
}

/** How the backend scans T in a join with two keys (EXPLAIN ANALYZE shows the scan type chosen at run time). */
async function scanType(e: Engine, table: string, column: string): Promise<string> {
  const conn = await (e as EngineImpl).core.driver.connect();
  try {
    const r = await conn.query(`EXPLAIN ANALYZE SELECT t.* FROM "D.S"."${table}" t JOIN (VALUES (3), (5)) AS k(x) ON t."${column}" = k.x`);
    const plan = r.rows.map((x) => String(x[1])).join('\n');
    return /Type: Index Scan/.test(plan) ? 'index' : /Type: Sequential Scan/.test(plan) ? 'sequential' : plan;
  } finally {
    await conn.close();
  }
}

describe('clustering keys', () => {
  it('CREATE TABLE … CLUSTER BY shows the key and indexes it; joins with a few keys read the index', async () => {
    const { e, s } = await open();
    await s.query('CREATE TABLE T (A INT, B VARCHAR) CLUSTER BY (A)');
    await s.query('CREATE TABLE U (A INT, B VARCHAR)');
    await s.query(`INSERT INTO T VALUES ${Array.from({ length: 20000 }, (_, i) => `(${i % 1000}, '${i}')`).join(', ')}`);
    await s.query('INSERT INTO U SELECT * FROM T');
    expect(await shown(s, 'T')).toEqual(['LINEAR(A)', 'ON']);
    expect(await shown(s, 'U')).toEqual(['', 'OFF']);
    expect((await indexes(e)).map((x) => x[0])).toEqual(['T']);
    expect(await scanType(e, 'T', 'A')).toBe('index');
    expect(await scanType(e, 'U', 'A')).toBe('sequential');
    // The index follows deletes and inserts.
    await s.query('DELETE FROM T WHERE A = 3');
    await s.query("INSERT INTO T VALUES (3, 'new')");
    expect(await rows(s, 'SELECT COUNT(*), MAX(B) FROM T JOIN (SELECT 3 AS X) k ON T.A = k.X')).toEqual([[1, 'new']]);
  });

  it('ALTER TABLE changes, drops and keeps the key through column and table renames', async () => {
    const { e, s } = await open();
    await s.query('CREATE TABLE T (A INT, B VARCHAR, C INT)');
    await s.query('ALTER TABLE T CLUSTER BY LINEAR (A, "b c")').catch((err: Error) => expect(err.message).toMatch(/invalid identifier '"b c"'/));
    await s.query('ALTER TABLE T CLUSTER BY (A, C)');
    expect(await shown(s, 'T')).toEqual(['LINEAR(A, C)', 'ON']);
    await s.query('ALTER TABLE T CLUSTER BY (A, C)'); // the same key again: nothing to rebuild
    await s.query('ALTER TABLE T RENAME COLUMN A TO K');
    await s.query('ALTER TABLE T DROP COLUMN B');
    await expect(s.query('ALTER TABLE T DROP COLUMN C')).rejects.toThrow(/belongs to a clustering key/);
    await s.query('ALTER TABLE T RENAME TO T2');
    expect(await shown(s, 'T2')).toEqual(['LINEAR(K, C)', 'ON']);
    expect(await indexes(e)).toEqual([['T2', expect.stringMatching(/ON "D\.S"\.T2\(K, C\)/)]]);
    // An index lost between its drop and the re-creation (a crash in an ALTER) comes back with the same key again.
    const conn = await (e as EngineImpl).core.driver.connect();
    await conn.execute('DROP INDEX "D.S"."T2$cluster"');
    await conn.close();
    await s.query('ALTER TABLE T2 CLUSTER BY (K, C)');
    expect((await indexes(e)).map((x) => x[0])).toEqual(['T2']);
    await s.query('ALTER TABLE T2 SUSPEND RECLUSTER');
    await s.query('ALTER TABLE T2 DROP CLUSTERING KEY');
    expect(await shown(s, 'T2')).toEqual(['', 'OFF']);
    expect(await indexes(e)).toEqual([]);
    await s.query('ALTER TABLE T2 DROP COLUMN C');
  });

  it('keeps an expression key as written without an index, and rejects unknown columns', async () => {
    const { e, s } = await open();
    await s.query('CREATE TABLE T (TS TIMESTAMP_NTZ, A INT) CLUSTER BY (TO_DATE(TS), A)');
    expect(await shown(s, 'T')).toEqual(['LINEAR(TO_DATE(TS), A)', 'ON']);
    expect(await indexes(e)).toEqual([]);
    await expect(s.query('CREATE TABLE V (A INT) CLUSTER BY (NOPE)')).rejects.toThrow(/invalid identifier 'NOPE'/);
    await expect(s.query('ALTER TABLE T CLUSTER BY (NOPE)')).rejects.toThrow(/invalid identifier 'NOPE'/);
  });

  it('CREATE TABLE … CLUSTER BY … AS SELECT indexes the copied rows, and the key survives a restart', async () => {
    const path = join(dir, 'w.duckdb');
    {
      const { s } = await open(path);
      await s.query(`CREATE TABLE T CLUSTER BY (A) AS SELECT * FROM VALUES ${Array.from({ length: 100 }, (_, i) => `(${i})`).join(', ')} AS v(A)`);
    }
    await engines.pop()!.close();
    const e = await openEngine({ database: path });
    engines.push(e);
    const s = await e.session();
    await s.query('USE SCHEMA D.S');
    expect(await shown(s, 'T')).toEqual(['LINEAR(A)', 'ON']);
    expect(await indexes(e)).toEqual([['T', expect.stringContaining('T(A)')]]);
    expect(await rows(s, 'SELECT COUNT(*) FROM T')).toEqual([[100]]);
  });

  it("stores a clustered table's text in dictionary encoding, cheap to fetch row by row through the index", async () => {
    const { e, s } = await open(join(dir, 'enc.duckdb'));
    await s.query('CREATE TABLE LOG (K INT, EMAIL VARCHAR, CITY VARCHAR(40)) CLUSTER BY (K)');
    await s.query('ALTER TABLE LOG ADD COLUMN STREET VARCHAR');
    await s.query('CREATE TABLE PLAIN (K INT, EMAIL VARCHAR, CITY VARCHAR(40), STREET VARCHAR)');
    // Distinct strings with common parts: DuckDB's own choice for such text is FSST.
    await s.query('CREATE TABLE D10 (N INT); INSERT INTO D10 VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
    const values = `SELECT I, 'customer.' || I || '@example.com', 'City ' || MOD(I, 7), I || ' Main Street'
      FROM (SELECT a.N + 10 * b.N + 100 * c.N + 1000 * d.N + 10000 * e.N AS I FROM D10 a, D10 b, D10 c, D10 d, D10 e) WHERE I < 20000`;
    await s.query(`INSERT INTO LOG ${values}`);
    await s.query(`INSERT INTO PLAIN ${values}`);
    const conn = await (e as EngineImpl).core.driver.connect();
    try {
      await conn.query('CHECKPOINT');
      const encodings = async (t: string): Promise<string[]> =>
        (await conn.query(`SELECT DISTINCT column_name || ':' || compression FROM pragma_storage_info('"D.S"."${t}"') WHERE segment_type = 'VARCHAR' ORDER BY 1`)).rows.map((r) => String(r[0]));
      expect(await encodings('LOG')).toEqual(['CITY:Dictionary', 'EMAIL:Dictionary', 'STREET:Dictionary']);
      // Without a clustering key DuckDB chooses (the test would pass vacuously if it chose dictionary anyway).
      expect(await encodings('PLAIN')).toContain('EMAIL:FSST');
    } finally {
      await conn.close();
    }
    expect(await rows(s, "SELECT COUNT(*) FROM LOG l JOIN PLAIN p ON p.K = l.K AND p.EMAIL = l.EMAIL AND p.CITY = l.CITY AND p.STREET = l.STREET")).toEqual([[20000]]);
  });
});
