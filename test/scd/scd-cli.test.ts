/**
 * `floe scd`: the template is a valid config, its output runs on a real engine (the customer tables), and bad
 * configs fail with the file, line and key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-scd-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: { NO_COLOR: '1' }, cwd: dir, homedir: dir, openEngine };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('floe scd', () => {
  it('prints SQL for the template that maintains the customer tables on floe', async () => {
    const template = await cli(['scd', '--template']);
    expect(template.code).toBe(0);
    writeFileSync(join(dir, 'scd.yaml'), template.out);
    const sql = await cli(['scd', '--config', 'scd.yaml']);
    expect(sql.code).toBe(0);
    expect(sql.out).toContain('CREATE OR REPLACE VIEW SCD_DEMO.SCD2.CUSTOMER_HISTORY AS');
    expect(sql.out).toContain('CREATE TABLE IF NOT EXISTS SCD_DEMO.SCD2.CUSTOMER_EVENTS_CLOSED');
    expect(sql.out).toContain('BEGIN TRANSACTION;');

    const engine = await openEngine({ database: ':memory:' });
    try {
      const s = await engine.session();
      await s.query(`CREATE DATABASE SCD_DEMO; CREATE SCHEMA SCD_DEMO.SCD2;
        CREATE TABLE SCD_DEMO.SCD2.CUSTOMER_RAW (CUSTOMER_ID NUMBER, FIRST_NAME VARCHAR, LAST_NAME VARCHAR, EMAIL VARCHAR,
          STREET VARCHAR, CITY VARCHAR, STATE VARCHAR, COUNTRY VARCHAR, OP VARCHAR, UPDATED_AT TIMESTAMP_NTZ);
        CREATE STREAM SCD_DEMO.SCD2.CUSTOMER_RAW_STREAM ON TABLE SCD_DEMO.SCD2.CUSTOMER_RAW;
        INSERT INTO SCD_DEMO.SCD2.CUSTOMER_RAW VALUES
          (1, 'Ann', 'Lee', 'a@x', 's', 'Oslo', 'st', 'NO', 'I', '2024-01-01 10:00:00'),
          (1, 'Ann', 'Lee', 'a@x', 's', 'Rome', 'st', 'IT', 'U', '2024-01-02 10:00:00'),
          (2, 'Bo', 'Ek', 'b@x', 's', 'Lima', 'st', 'PE', 'I', '2024-01-01 11:00:00'),
          (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'D', '2024-01-03 11:00:00');`);
      await s.query(sql.out);
      const hist = await s.query(`SELECT CUSTOMER_ID, CITY, TO_VARCHAR(START_TIME), TO_VARCHAR(END_TIME), IS_CURRENT FROM SCD_DEMO.SCD2.CUSTOMER_HISTORY ORDER BY 1, 3`);
      expect(hist[0]!.rows).toEqual([
        [1, 'Oslo', '2024-01-01 10:00:00.000', '2024-01-02 10:00:00.000', false],
        [1, 'Rome', '2024-01-02 10:00:00.000', '9999-12-31 00:00:00.000', true],
        [2, 'Lima', '2024-01-01 11:00:00.000', '2024-01-03 11:00:00.000', false],
      ]);
      const cur = await s.query('SELECT CUSTOMER_ID, CITY, TO_VARCHAR(UPDATED_AT) FROM SCD_DEMO.SCD2.CUSTOMER');
      expect(cur[0]!.rows).toEqual([[1, 'Rome', '2024-01-02 10:00:00.000']]);
      // The stream was consumed with the apply transaction.
      expect((await s.query("SELECT SYSTEM$STREAM_HAS_DATA('SCD_DEMO.SCD2.CUSTOMER_RAW_STREAM')"))[0]!.rows).toEqual([[false]]);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('reports bad configs with file, line and key', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'source:\n  name: S\nkeys:\n  ID: INT\nsequenceBy: 7\n');
    const r = await cli(['scd', '--config', 'bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.yaml:5:\d+: sequenceBy:/);
    writeFileSync(join(dir, 'inj.yaml'), 'source: { name: "S; DROP TABLE X" }\nkeys: { ID: INT }\nsequenceBy: { S: INT }\ncolumns: {}\neventLog: E\nscd1: { table: T }\n');
    expect((await cli(['scd', '--config', 'inj.yaml'])).err).toMatch(/source\.name: 'S; DROP TABLE X' is not a \[db\.\]\[schema\.\]name identifier/);
    expect((await cli(['scd'])).err).toMatch(/--config FILE is required/);
  });
});
