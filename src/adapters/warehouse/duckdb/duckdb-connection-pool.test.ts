import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbDriver } from './duckdb-driver.js';
import type { WarehouseConnection } from '../../../core/ports/warehouse.js';

const one = async (c: WarehouseConnection, sql: string): Promise<unknown> => (await c.query(sql)).rows[0]?.[0];

describe('DuckDB connection reuse', () => {
  let driver: DuckDbDriver;
  const idle = (): number => (driver as unknown as { pool: { idleCount: number } }).pool.idleCount;

  beforeEach(async () => {
    driver = await DuckDbDriver.open(':memory:');
  });
  afterEach(async () => {
    await driver.close();
  });

  it('gives the next session a connection with nothing of the last one', async () => {
    const first = await driver.connect();
    const freshZone = await one(first, "SELECT current_setting('TimeZone')");
    await first.execute('CREATE TABLE kept (a INTEGER)');
    await first.execute('CREATE TEMP TABLE scratch (a INTEGER)');
    await first.execute('CREATE TEMP VIEW scratch_view AS SELECT a FROM scratch');
    await first.execute('CREATE TEMP SEQUENCE scratch_seq');
    await first.execute('SET VARIABLE floe_change_version = 7');
    await first.setTimeZone('America/New_York');
    await first.execute('BEGIN TRANSACTION');
    await first.execute('INSERT INTO kept VALUES (1)');
    await first.close();
    expect(idle()).toBe(1);

    const next = await driver.connect();
    expect(idle()).toBe(0);
    expect(await one(next, 'SELECT count(*) FROM duckdb_tables() WHERE temporary')).toBe(0);
    expect(await one(next, 'SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal')).toBe(0);
    expect(await one(next, 'SELECT count(*) FROM duckdb_sequences() WHERE temporary')).toBe(0);
    expect(await one(next, "SELECT getvariable('floe_change_version')")).toBeNull();
    expect(await one(next, "SELECT current_setting('TimeZone')")).toBe(freshZone);
    expect(await one(next, 'SELECT count(*) FROM kept')).toBe(0);
    // The set-up survives: floe's macros and settings.
    expect(await one(next, 'SELECT floe_nvl2(1, 2, 3)')).toBe(2);
    expect(await one(next, "SELECT current_setting('dynamic_or_filter_threshold')")).toBe(256);
    await next.close();
  });

  it('closes a connection that was interrupted instead of keeping it', async () => {
    const c = await driver.connect();
    await c.query('SELECT 1');
    c.cancel();
    await c.close();
    expect(idle()).toBe(0);
    const next = await driver.connect();
    expect(await one(next, 'SELECT 42')).toBe(42);
    await next.close();
  });

  it('refuses statements on a closed connection, whose DuckDB connection may be in use again', async () => {
    const c = await driver.connect();
    await c.close();
    await c.close();
    const other = await driver.connect();
    await expect(c.query('SELECT 1')).rejects.toThrow(/closed/);
    expect(await one(other, 'SELECT 1')).toBe(1);
    await other.close();
  });

  it('keeps at most a few idle connections', async () => {
    const all = await Promise.all(Array.from({ length: 7 }, () => driver.connect()));
    for (const c of all) await c.close();
    expect(idle()).toBe(4);
  });
});
