import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbDriver, STORAGE_FORMAT } from './duckdb-driver.js';
import { duckDbDialect } from './duckdb-dialect.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'floe-storage-format-'));
  dirs.push(dir);
  return join(dir, 'w.duckdb');
}

async function storageVersion(driver: DuckDbDriver): Promise<string> {
  const conn = await driver.connect();
  const r = await conn.query(`SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'w'`);
  await conn.close();
  return String(r.rows[0]?.[0]);
}

describe('DuckDB storage format', () => {
  it(`a new warehouse file is written in format ${STORAGE_FORMAT}, with a clustered table's dictionary-encoded text and index`, async () => {
    const driver = await DuckDbDriver.open(tempFile());
    try {
      expect(await storageVersion(driver)).toBe(`${STORAGE_FORMAT}+`);
      const conn = await driver.connect();
      const columns = [
        { name: 'K', type: { kind: 'NUMBER', precision: 18, scale: 0 }, nullable: true },
        { name: 'V', type: { kind: 'VARCHAR', length: 16_777_216 }, nullable: true },
      ] as const;
      await conn.execute(duckDbDialect.createTable('main.ev', [...columns], false, { readByKey: true }));
      for (const sql of duckDbDialect.clusterIndex!.create('main.ev', { database: 'W', schema: 'MAIN', name: 'EV' }, ['K'])) await conn.execute(sql);
      await conn.execute(`INSERT INTO main.ev SELECT i % 100, 'v' || (i % 7) FROM range(10000) r(i)`);
      await conn.execute('CHECKPOINT');
      const r = await conn.query(`SELECT DISTINCT compression FROM pragma_storage_info('main.ev') WHERE segment_type = 'VARCHAR'`);
      expect(r.rows.map((x) => x[0])).toEqual(['Dictionary']);
      expect((await conn.query(`SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'ev'`)).rows[0]?.[0]).toBe(1);
      await conn.close();
    } finally {
      await driver.close();
    }
  });

  it('an existing file keeps the format it was created with and opens as before', async () => {
    const path = tempFile();
    const old = await DuckDBInstance.create(path);
    const con = await old.connect();
    await con.run('CREATE TABLE t AS SELECT range AS i FROM range(3)');
    con.closeSync();
    old.closeSync();
    const driver = await DuckDbDriver.open(path);
    try {
      expect(await storageVersion(driver)).toBe('v1.0.0+');
      const conn = await driver.connect();
      expect((await conn.query('SELECT count(*) FROM t')).rows[0]?.[0]).toBe(3);
      await conn.close();
    } finally {
      await driver.close();
    }
  });
});
