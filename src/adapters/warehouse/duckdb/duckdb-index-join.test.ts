import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WarehouseConnection } from '../../../core/ports/warehouse.js';
import { DuckDbDriver } from './duckdb-driver.js';

// The SCD applier joins its late keys with the event log, indexed by key (a clustering key's index). DuckDB reads the
// log through the index only when the join hands the scan a `key IN (…)` filter (duckdb-macros.ts).
describe('a join with an indexed table', () => {
  let driver: DuckDbDriver;
  let conn: WarehouseConnection;

  beforeAll(async () => {
    driver = await DuckDbDriver.open(':memory:');
    conn = await driver.connect();
    await conn.execute(`CREATE TABLE log AS SELECT i % 100000 AS k, 'v' || i AS v FROM range(300000) r(i)`);
    await conn.execute('CREATE INDEX log_k ON log (k)');
  });
  afterAll(async () => {
    await conn.close();
    await driver.close();
  });

  const scanOf = async (keys: number): Promise<string> => {
    await conn.execute(`CREATE OR REPLACE TEMP TABLE late AS SELECT i * 97 AS k FROM range(${keys}) r(i)`);
    const plan = (await conn.query('EXPLAIN ANALYZE SELECT log.* FROM log JOIN late ON late.k = log.k')).rows.map((r) => String(r[1])).join('\n');
    const rows = await conn.query('SELECT count(*) FROM log JOIN late ON late.k = log.k');
    expect(Number(rows.rows[0]?.[0])).toBe(keys * 3);
    return /Index Scan/.test(plan) ? 'index' : 'whole table';
  };

  it('reads it by key for up to 256 keys (DuckDB: 50), else whole', async () => {
    expect(await scanOf(20)).toBe('index');
    expect(await scanOf(200)).toBe('index');
    expect(await scanOf(300)).toBe('whole table');
  });
});
