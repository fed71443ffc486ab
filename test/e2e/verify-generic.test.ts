/**
 * floe verify is driven by the project's scd.yaml, not by the customer example: here a project with a composite
 * key, a two-column sequence, a table source with a filter, tracked and ignore-null columns, NULL ends and no
 * current flag, a plain (non-transforming) pipe and a '|' file format. The SCD SQL comes from floe scd's planner
 * and is run by hand after each load, as a user's own scheduler would.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScdConfig } from '../../src/config/scd-config.js';
import { planScd } from '../../src/core/scd/scd-plan.js';
import { verifyProject, type VerifyReport } from '../../src/verify/verify.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { cli, verifyJson, warehouseQuery } from './e2e-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-verify-generic-'));
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });
const p = join(dir, 'shop');

const SCD = `source: { name: SHOP.PUBLIC.ORDER_EVENTS, kind: table, where: "REGION <> 'TEST'" }
keys:
  REGION: VARCHAR
  ORDER_NO: NUMBER(38,0)
sequenceBy:
  TS: TIMESTAMP_NTZ
  LSN: NUMBER(38,0)
columns:
  STATUS: VARCHAR
  AMOUNT: NUMBER(12,2)
  NOTE: VARCHAR
deleteWhen: "KIND = 'X'"
trackHistory: [STATUS, AMOUNT]
ignoreNullUpdates: [NOTE]
eventLog: SHOP.PUBLIC.ORDER_LOG
scd1: { table: SHOP.PUBLIC.ORDERS }
scd2: { table: SHOP.PUBLIC.ORDERS_HIST, validFrom: FROM_TS, validTo: TO_TS, isCurrent: null }
`;

const SETUP = `CREATE DATABASE IF NOT EXISTS SHOP;
USE SCHEMA SHOP.PUBLIC;
CREATE FILE FORMAT IF NOT EXISTS BAR_CSV TYPE = CSV FIELD_DELIMITER = '|';
CREATE STAGE IF NOT EXISTS ORDERS_STAGE URL = 's3://shop-orders/in/' FILE_FORMAT = (FORMAT_NAME = 'BAR_CSV');
CREATE TABLE IF NOT EXISTS ORDER_EVENTS (REGION VARCHAR, ORDER_NO NUMBER(38,0), TS TIMESTAMP_NTZ, LSN NUMBER(38,0), KIND VARCHAR, STATUS VARCHAR, AMOUNT NUMBER(12,2), NOTE VARCHAR);
CREATE PIPE IF NOT EXISTS ORDERS_PIPE AUTO_INGEST = TRUE AS COPY INTO ORDER_EVENTS FROM @ORDERS_STAGE;
`;

// region|order|ts|lsn|kind|status|amount|note
const FILE_1 = `EU|1|2026-01-01 10:00:00|1|U|new|10.00|first
EU|1|2026-01-01 11:00:00|1|U|paid|10.00|
EU|1|2026-01-01 11:00:00|2|U|paid|10.00|card
US|1|2026-01-01 10:00:00|1|U|new|5.50|x
US|2|2026-01-01 09:00:00|1|U|new|1.00|
TEST|9|2026-01-01 09:00:00|1|U|new|1.00|ignored
`;
// Late events (before what file 1 delivered), a delete, a no-op update and an exact duplicate.
const FILE_2 = `EU|1|2026-01-01 10:30:00|1|U|packed|10.00|
US|1|2026-01-01 12:00:00|1|X|||
US|2|2026-01-01 09:30:00|1|U|new|1.00|
US|1|2026-01-01 10:00:00|1|U|new|5.50|x
EU|2|2026-01-01 08:00:00|1|U|new|99.99|late key
`;

const bucket = (project: string): string => join(project, 'bucket', 'in');

async function loadAndApply(project: string): Promise<void> {
  const run = await cli(['run', '--project', project, '--once']);
  expect(run.code, run.err).toBe(0);
  await warehouseQuery(project, planScd(parseScdConfig(SCD, 'scd.yaml')).apply);
}


beforeAll(async () => {
  mkdirSync(join(p, 'sql'), { recursive: true });
  mkdirSync(bucket(p), { recursive: true });
  writeFileSync(join(p, 'floe.yaml'), "storage:\n  buckets:\n    shop-orders: { type: local, path: bucket }\nwarehouse: { memoryLimit: '512MB' }\n");
  writeFileSync(join(p, 'scd.yaml'), SCD);
  writeFileSync(join(p, 'sql', '01_setup.sql'), SETUP);
  writeFileSync(join(p, 'sql', '02_scd.sql'), `USE SCHEMA SHOP.PUBLIC;\n${planScd(parseScdConfig(SCD, 'scd.yaml')).setup}`);
  // Like Snowpipe, a pipe loads files that arrive after it exists: create the objects first.
  await loadAndApply(p);
  writeFileSync(join(bucket(p), 'f1.csv'), FILE_1);
  await loadAndApply(p);
  writeFileSync(join(bucket(p), 'f2.csv'), FILE_2);
  await loadAndApply(p);
}, 180_000);

describe('floe verify on a project of its own', () => {
  it('passes, with the config’s keys, sequence tuple, filter, tracked and ignore-null columns', { timeout: 120_000 }, async () => {
    const { code, report, err } = await verifyJson(p);
    expect(err).toBe('');
    expect(report.differences).toBe(0);
    expect(code).toBe(0);
    expect(report.source).toMatchObject({ name: 'SHOP.PUBLIC.ORDER_EVENTS', kind: 'table', table: 'SHOP.PUBLIC.ORDER_EVENTS', pipes: ['SHOP.PUBLIC.ORDERS_PIPE'], keys: ['REGION', 'ORDER_NO'] });
    expect(report.events.total).toBe(10); // 11 rows, the TEST row filtered out
    expect(report.events.keys).toBe(4);
    // EU/1: new → packed (late) → paid (the tie at 11:00 is one version: zero width in TS), US/1 deleted,
    // US/2 a no-op update, EU/2 one version.
    const hist = await warehouseQuery(p, `SELECT REGION, ORDER_NO, STATUS, NOTE, TO_VARCHAR(FROM_TS), TO_VARCHAR(TO_TS) FROM SHOP.PUBLIC.ORDERS_HIST ORDER BY 1, 2, 5`);
    expect(hist).toEqual([
      ['EU', 1, 'new', 'first', '2026-01-01 10:00:00.000', '2026-01-01 10:30:00.000'],
      ['EU', 1, 'packed', 'first', '2026-01-01 10:30:00.000', '2026-01-01 11:00:00.000'],
      ['EU', 1, 'paid', 'card', '2026-01-01 11:00:00.000', null],
      ['EU', 2, 'new', 'late key', '2026-01-01 08:00:00.000', null],
      ['US', 1, 'new', 'x', '2026-01-01 10:00:00.000', '2026-01-01 12:00:00.000'],
      ['US', 2, 'new', null, '2026-01-01 09:00:00.000', null],
    ]);
    expect(report.tables.map((t) => [t.kind, t.expected, t.found])).toEqual([
      ['scd1', 3, 3],
      ['scd2', 6, 6],
    ]);
  });

  it('names a changed amount, a lost version and a row for a key no event has', { timeout: 120_000 }, async () => {
    const q = join(dir, 'shop-tampered');
    cpSync(p, q, { recursive: true });
    await warehouseQuery(
      q,
      `UPDATE SHOP.PUBLIC.ORDERS SET AMOUNT = 11 WHERE REGION = 'EU' AND ORDER_NO = 1;
       DELETE FROM SHOP.PUBLIC.ORDER_LOG_CLOSED WHERE REGION = 'US' AND ORDER_NO = 1;
       INSERT INTO SHOP.PUBLIC.ORDER_LOG_CLOSED (REGION, ORDER_NO, STATUS, AMOUNT, NOTE, FROM_TS, TO_TS) VALUES ('ZZ', 1, 'ghost', 0, NULL, '2026-01-01', NULL), ('AA', 1, 'ghost', 0, NULL, '2026-01-01', NULL)`,
    );
    const { code, report } = await verifyJson(q);
    expect(code).toBe(1);
    const [scd1] = report.tables;
    expect(scd1!.samples).toEqual([
      { key: ['EU', '1'], missing: [['EU', '1', 'paid', '10.00', 'card', '2026-01-01 11:00:00.000000000', '2']], unexpected: [['EU', '1', 'paid', '11.00', 'card', '2026-01-01 11:00:00.000000000', '2']] },
    ]);
    const byKey = (r: VerifyReport) => r.tables[1]!.samples.map((s) => [s.key, s.missing.length, s.unexpected.length]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byKey(report)).toEqual([
      [['AA', '1'], 0, 1],
      [['US', '1'], 1, 0],
      [['ZZ', '1'], 0, 1],
    ]);
    // Pages of about two events (one or two keys): rows before the first and after the last key are still seen.
    const paged = await verifyProject({ projectDir: q, limit: 20, pageEvents: 2, openEngine });
    expect(paged.differences).toBe(report.differences);
    expect(byKey(paged)).toEqual(byKey(report));
    expect(paged.tables.map((t) => [t.expected, t.found])).toEqual(report.tables.map((t) => [t.expected, t.found]));
    const clean = await verifyProject({ projectDir: p, limit: 20, pageEvents: 1, openEngine });
    expect(clean.differences).toBe(0);
  });
});
