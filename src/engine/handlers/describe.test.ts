import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../engine-api.js';
import { openEngine } from '../open-engine.js';
import type { StatementResult } from '../../core/result.js';

let engine: Engine;
let s: Session;

const one = async (sql: string): Promise<StatementResult> => (await s.query(sql))[0];
const records = (r: StatementResult): Record<string, unknown>[] => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));

beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
  s = await engine.session();
  await s.query(`
    CREATE DATABASE D;
    CREATE TABLE T (ID NUMBER(10,2) PRIMARY KEY, NAME VARCHAR DEFAULT 'n' COMMENT 'the name', CODE CHAR(3) UNIQUE, AT TIMESTAMP_LTZ(3), D DATE, V VARIANT);
    CREATE VIEW V AS SELECT ID, NAME FROM T;
    CREATE SCHEMA S2;
  `);
  await s.query('USE SCHEMA PUBLIC');
});

afterAll(async () => {
  await s.close();
  await engine.close();
});

describe('DESCRIBE TABLE', () => {
  it('shows Snowflake columns and column details', async () => {
    const r = await one('DESC TABLE T');
    expect(r.columns.map((c) => c.name)).toEqual([
      'name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain', 'schema evolution record',
    ]);
    expect(records(r).map((x) => [x.name, x.type, x['null?'], x.default, x['primary key'], x['unique key'], x.comment])).toEqual([
      ['ID', 'NUMBER(10,2)', 'N', null, 'Y', 'N', null],
      ['NAME', 'VARCHAR(16777216)', 'Y', "'n'", 'N', 'N', 'the name'],
      ['CODE', 'VARCHAR(3)', 'Y', null, 'N', 'Y', null],
      ['AT', 'TIMESTAMP_LTZ(3)', 'Y', null, 'N', 'N', null],
      ['D', 'DATE', 'Y', null, 'N', 'N', null],
      ['V', 'VARIANT', 'Y', null, 'N', 'N', null],
    ]);
    expect(records(r)[0].kind).toBe('COLUMN');
  });

  it('accepts DESCRIBE <name>, qualified names and TYPE = COLUMNS', async () => {
    const expected = (await one('DESC TABLE T')).rows;
    expect((await one('DESCRIBE T')).rows).toEqual(expected);
    expect((await one('DESCRIBE TABLE D.PUBLIC.T TYPE = COLUMNS')).rows).toEqual(expected);
    await expect(one('DESC TABLE T TYPE = STAGE')).rejects.toThrow(/unsupported/);
  });

  it('describes views (also via DESC TABLE) but not tables via DESC VIEW', async () => {
    expect(records(await one('DESC VIEW V')).map((x) => [x.name, x.type])).toEqual([
      ['ID', 'NUMBER(10,2)'],
      ['NAME', 'VARCHAR(16777216)'],
    ]);
    expect((await one('DESC TABLE V')).rows).toHaveLength(2);
    await expect(one('DESC VIEW T')).rejects.toThrow("View 'T' does not exist or not authorized.");
  });

  it('reports missing tables in Snowflake wording', async () => {
    await expect(one('DESC TABLE NOPE')).rejects.toThrow("Table 'NOPE' does not exist or not authorized.");
    await expect(one('DESCRIBE nope')).rejects.toThrow("Table 'NOPE' does not exist or not authorized.");
  });
});

describe('DESCRIBE DATABASE / SCHEMA', () => {
  it('lists the contents', async () => {
    const db = await one('DESC DATABASE D');
    expect(db.columns.map((c) => c.name)).toEqual(['created_on', 'name', 'kind']);
    expect(db.columns[0].type).toBe('TIMESTAMP_LTZ');
    expect(records(db).map((x) => [x.name, x.kind])).toEqual([
      ['INFORMATION_SCHEMA', 'SCHEMA'],
      ['PUBLIC', 'SCHEMA'],
      ['S2', 'SCHEMA'],
    ]);
    expect(records(await one('DESCRIBE SCHEMA D.PUBLIC')).map((x) => [x.name, x.kind])).toEqual([
      ['T', 'TABLE'],
      ['V', 'VIEW'],
    ]);
    expect((await one('DESC SCHEMA S2')).rows).toEqual([]);
  });

  it('reports missing databases and schemas', async () => {
    await expect(one('DESC DATABASE NOPE')).rejects.toThrow("Database 'NOPE' does not exist or not authorized.");
    await expect(one('DESC SCHEMA NOPE')).rejects.toThrow("Schema 'D.NOPE' does not exist or not authorized.");
  });

  it('reports other kinds as unsupported', async () => {
    await expect(one('DESC SEQUENCE MY_SEQ')).rejects.toThrow('unsupported: DESCRIBE SEQUENCE');
    await expect(one('DESC PIPE MY_PIPE')).rejects.toThrow("Pipe 'MY_PIPE' does not exist or not authorized.");
    await expect(one('DESC EXTERNAL TABLE ET')).rejects.toThrow('unsupported: DESCRIBE EXTERNAL TABLE');
    await expect(one('DESC STAGE MY_STAGE')).rejects.toThrow("Stage 'MY_STAGE' does not exist or not authorized.");
  });
});
