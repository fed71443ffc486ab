import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSize } from '../../../core/byte-size.js';
import { IndexMemoryAllowance } from './duckdb-index-memory.js';
import { DuckDbDriver } from './duckdb-driver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An in-memory DuckDB at a 32MB limit with an indexed table that the test appends to. */
async function indexedTable(): Promise<{ instance: DuckDBInstance; append: (rows: number) => Promise<void>; limit: () => Promise<string> }> {
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '32MB', threads: '1' });
  const con = await instance.connect();
  cleanups.push(() => instance.closeSync(), () => con.closeSync());
  await con.run('CREATE TABLE ev (k BIGINT, v BIGINT)');
  await con.run('CREATE INDEX ev_k ON ev (k)');
  return {
    instance,
    append: async (rows) => void (await con.run(`INSERT INTO ev SELECT (random() * 100000)::BIGINT, i FROM range(${rows}) r(i)`)),
    limit: async () => String((await con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0]![0]),
  };
}

describe('IndexMemoryAllowance', () => {
  it('raises DuckDB’s limit by what the indexes hold, so an index outgrowing the configured limit does not fail', async () => {
    const t = await indexedTable();
    const allowance = await IndexMemoryAllowance.start(t.instance, 32e6, { intervalMs: 0, stepBytes: 4e6 });
    cleanups.push(() => allowance.stop());
    // ~3M index entries: well over 32MB of ART (DuckDB cannot evict it).
    for (let i = 0; i < 15; i++) {
      await t.append(200_000);
      await allowance.check();
    }
    expect(allowance.limitBytes).toBeGreaterThan(32e6 + 40e6);
    // DuckDB shows the limit in MiB, rounded to a tenth.
    expect(Math.abs(parseSize((await t.limit()).replace(' ', '')) - allowance.limitBytes)).toBeLessThan(1e6);
  });

  it('without it the same appends run out of memory (what the allowance prevents)', async () => {
    const t = await indexedTable();
    let failure: unknown;
    try {
      for (let i = 0; i < 15; i++) await t.append(200_000);
    } catch (e) {
      failure = e;
    }
    expect(String(failure)).toMatch(/Out of Memory|failed to (allocate|pin)/);
  });

  it('lowers the limit again when the indexes shrink, but only by whole steps', async () => {
    const t = await indexedTable();
    const allowance = await IndexMemoryAllowance.start(t.instance, 32e6, { intervalMs: 0, stepBytes: 4e6 });
    cleanups.push(() => allowance.stop());
    await t.append(200_000);
    const raised = await allowance.check();
    expect(raised).toBeGreaterThan(32e6);
    const con = await t.instance.connect();
    await con.run('DROP INDEX ev_k');
    con.closeSync();
    expect(await allowance.check()).toBe(32e6);
    expect(await allowance.check()).toBe(32e6);
  });
});

describe('DuckDbDriver with a memory limit', () => {
  it('starts the allowance (and stops it on close); without a limit there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-index-memory-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const driver = await DuckDbDriver.open(join(dir, 'w.duckdb'), { memoryLimit: '64MB' });
    expect(driver.indexMemory?.limitBytes).toBe(64e6);
    await driver.close();
    const plain = await DuckDbDriver.open(join(dir, 'w.duckdb'));
    expect(plain.indexMemory).toBeUndefined();
    await plain.close();
  });

  it('reports its memory: what DuckDB holds, the indexes apart, the limit now and the configured one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-index-memory-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const driver = await DuckDbDriver.open(join(dir, 'w.duckdb'), { memoryLimit: '64MB' });
    cleanups.push(() => driver.close());
    const conn = await driver.connect();
    await conn.execute('CREATE TABLE ev (k BIGINT, v BIGINT)');
    const before = await driver.memory();
    expect(before).toMatchObject({ indexBytes: 0, configuredBytes: 64e6 });
    expect(Math.abs(before.limitBytes! - 64e6)).toBeLessThan(1e6);
    await conn.execute('CREATE INDEX ev_k ON ev (k)');
    await conn.execute('INSERT INTO ev SELECT i % 1000, i FROM range(200000) r(i)');
    const raised = await driver.indexMemory!.check();
    const [after, same] = await Promise.all([driver.memory(), driver.memory()]);
    expect(same).toBe(after);
    await conn.close();
    expect(after.indexBytes).toBeGreaterThan(1e6);
    expect(after.usedBytes).toBeGreaterThanOrEqual(after.indexBytes);
    expect(Math.abs(after.limitBytes! - raised)).toBeLessThan(1e6);
    expect(raised).toBeGreaterThan(64e6);
  });
});
