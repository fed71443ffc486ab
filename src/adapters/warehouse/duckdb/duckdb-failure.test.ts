import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FloeError } from '../../../core/errors.js';
import { DuckDbDriver } from './duckdb-driver.js';
import { isFatalDuckDbError } from './duckdb-failure.js';

const dirs: string[] = [];
const tempDb = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'floe-duckdb-failure-'));
  dirs.push(dir);
  return join(dir, 'warehouse.duckdb');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('isFatalDuckDbError', () => {
  it('is fatal for a commit that failed for memory, a failed rollback and an invalidated instance', () => {
    expect(isFatalDuckDbError('TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (28.4 MiB/28.6 MiB used)')).toBe(true);
    expect(isFatalDuckDbError('Failed to rollback transaction. Cannot continue operation.\nOriginal Error: Out of Memory Error: failed to pin block')).toBe(true);
    expect(isFatalDuckDbError('FATAL Error: Failed: database has been invalidated because of a previous fatal error.')).toBe(true);
  });

  it('is not fatal for a statement that ran out of memory (its transaction rolls back) or a commit refused for a conflict', () => {
    expect(isFatalDuckDbError('Out of Memory Error: could not allocate block of size 256.0 KiB (28.5 MiB/28.6 MiB used)')).toBe(false);
    expect(isFatalDuckDbError('TransactionContext Error: Failed to commit: write-write conflict on key')).toBe(false);
  });
});

describe('DuckDB fail-stop after a commit that failed for lack of memory', () => {
  it('refuses every later statement, tells the listeners once, and leaves the file to what committed', async () => {
    const path = tempDb();
    // A WAL that is never merged by size: the committed transactions stay in it until the instance closes.
    const driver = await DuckDbDriver.open(path, { memoryLimit: '30MB', checkpointThreshold: '1GB' });
    const failures: FloeError[] = [];
    driver.onFailure((e) => failures.push(e));
    const conn = await driver.connect();
    await conn.execute(`CREATE TABLE hist (f VARCHAR); CREATE TABLE big (id BIGINT, s VARCHAR); CREATE INDEX big_i ON big(id)`);
    let failed: unknown;
    // Each transaction commits 200k indexed rows: within a few, the commit itself cannot get memory for the index.
    for (let i = 0; i < 40 && failed === undefined; i++) {
      try {
        await conn.execute('BEGIN TRANSACTION');
        await conn.execute(`INSERT INTO hist VALUES ('file${i}')`);
        await conn.execute(`INSERT INTO big SELECT range + ${i * 200_000}, repeat('x', 20) || range FROM range(200000)`);
        await conn.execute('COMMIT');
      } catch (e) {
        if (e instanceof FloeError && e.code === 'WAREHOUSE_FAILED') failed = e;
        else await conn.execute('ROLLBACK').catch(() => undefined);
      }
    }
    expect(failed).toBeInstanceOf(FloeError);
    expect((failed as FloeError).message).toMatch(/^the warehouse failed \(.*Failed to commit: .*\) and may hold part of a transaction in memory: floe stopped using it\. Restart floe; it recovers from the last committed state\. Raise warehouse\.memoryLimit/);
    expect(failures).toEqual([failed]);
    await expect(conn.query('SELECT 1')).rejects.toBe(failed);
    await expect(driver.connect()).rejects.toBe(failed);
    await driver.close();
    // Not checkpointed at close: the committed transactions are still only in the log, and replaying it gives
    // whole transactions (one history row per 200k rows).
    expect(existsSync(`${path}.wal`)).toBe(true);
    const reopened = await DuckDbDriver.open(path, { memoryLimit: '1GB' });
    const c = await reopened.connect();
    const r = await c.query(`SELECT (SELECT COUNT(*) FROM hist), (SELECT COUNT(*) FROM big)`);
    const [hist, big] = r.rows[0]!.map(Number);
    expect(hist).toBeGreaterThan(0);
    expect(big).toBe(hist! * 200_000);
    await c.close();
    await reopened.close();
  }, 60_000);

  it('checkpoints at close as usual when nothing failed', async () => {
    const path = tempDb();
    const driver = await DuckDbDriver.open(path, { checkpointThreshold: '1GB' });
    const conn = await driver.connect();
    await conn.execute(`CREATE TABLE t AS SELECT range AS id FROM range(10)`);
    expect(existsSync(`${path}.wal`)).toBe(true);
    await conn.close();
    await driver.close();
    expect(existsSync(`${path}.wal`)).toBe(false);
  });
});
