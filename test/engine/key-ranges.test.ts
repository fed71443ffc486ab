import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
import { keyRanges } from '../../src/engine/clustering/key-ranges.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';

describe('a rebuild’s key ranges on DuckDB', () => {
  let driver: DuckDbDriver;
  let conn: WarehouseConnection;
  beforeEach(async () => {
    driver = await DuckDbDriver.open(':memory:');
    conn = await driver.connect();
  });
  afterEach(async () => {
    await conn.close();
    await driver.close();
  });

  it('splits a table bigger than the quantiles’ sample into ranges of about equal size that cover every row once', async () => {
    // 400k rows, skewed (more rows for low keys), and NULL keys.
    await conn.execute(`CREATE TABLE t AS SELECT CASE WHEN i % 1000 = 0 THEN NULL ELSE CAST(floor(pow(random(), 2) * 50000) AS DECIMAL(18,0)) END AS k FROM range(400000) r(i)`);
    const ranges = await keyRanges(conn, driver.dialect.clusterIndex.recluster!, '(SELECT k FROM t) __r', 'k', 8);
    expect(ranges.length).toBe(9); // 8 ranges of keys, then the NULLs
    const counts: number[] = [];
    for (const r of ranges) counts.push(Number((await conn.query(`SELECT count(*) FROM t WHERE ${r.sql}`, r.params)).rows[0]![0]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(400_000);
    expect(counts.at(-1)).toBe(400);
    for (const c of counts.slice(0, -1)) expect(Math.abs(c - 399_600 / 8) / (399_600 / 8)).toBeLessThan(0.1);
  });
});
