import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../engine-api.js';
import { openEngine } from '../open-engine.js';
import type { StatementResult } from '../../core/result.js';

let engine: Engine;
let s: Session;

const one = async (sql: string): Promise<StatementResult> => (await s.query(sql))[0];
const names = (r: StatementResult): string[] => r.columns.map((c) => c.name);
/** Rows as objects keyed by column name, for readable assertions. */
const records = (r: StatementResult): Record<string, unknown>[] => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
const col = (r: StatementResult, name: string): unknown[] => records(r).map((x) => x[name]);

beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
  s = await engine.session();
  await s.query(`
    CREATE DATABASE SALES COMMENT = 'sales data';
    CREATE SCHEMA RAW;
    CREATE TABLE CUSTOMER (ID INT PRIMARY KEY, NAME VARCHAR(10) NOT NULL DEFAULT 'x', EMAIL STRING UNIQUE, CREATED TIMESTAMP, SCORE FLOAT, OK BOOLEAN);
    INSERT INTO CUSTOMER (ID, NAME) VALUES (1, 'a'), (2, 'b'), (3, 'c');
    CREATE TRANSIENT TABLE CUSTOMER_STAGE (ID INT);
    CREATE TABLE ORDERS (ID INT, CUSTOMER_ID INT, CONSTRAINT PK_ORDERS PRIMARY KEY (ID), CONSTRAINT FK_CUST FOREIGN KEY (CUSTOMER_ID) REFERENCES customer (ID));
    CREATE VIEW BIG_CUSTOMERS AS SELECT * FROM CUSTOMER WHERE ID > 1;
    CREATE SCHEMA OTHER;
    CREATE TABLE ELSEWHERE (X INT);
    USE SCHEMA RAW;
  `);
});

afterAll(async () => {
  await s.close();
  await engine.close();
});

describe('SHOW DATABASES / SCHEMAS', () => {
  it('lists databases with Snowflake columns and is_current', async () => {
    const r = await one('SHOW DATABASES');
    expect(names(r)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'origin', 'owner', 'comment', 'options', 'retention_time', 'kind', 'budget', 'owner_role_type']);
    expect(r.columns[0].type).toBe('TIMESTAMP_LTZ');
    const sales = records(r).find((x) => x.name === 'SALES');
    expect(sales).toMatchObject({ is_current: 'Y', owner: 'ACCOUNTADMIN', comment: 'sales data', retention_time: '1', kind: 'STANDARD' });
    expect(String(sales?.created_on)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} [+-]\d{4}$/);
    expect(col(await one("SHOW DATABASES LIKE 'sal%'"), 'name')).toEqual(['SALES']);
    expect(names(await one('SHOW TERSE DATABASES'))).toEqual(['created_on', 'name', 'kind', 'database_name', 'schema_name']);
  });

  it('lists schemas of the current database, including INFORMATION_SCHEMA', async () => {
    const r = await one('SHOW SCHEMAS');
    expect(names(r)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time', 'owner_role_type']);
    expect(col(r, 'name')).toEqual(['INFORMATION_SCHEMA', 'OTHER', 'PUBLIC', 'RAW']);
    expect(records(r).find((x) => x.name === 'INFORMATION_SCHEMA')).toMatchObject({ owner: '', comment: 'Views describing the contents of schemas in this database' });
    expect(records(r).find((x) => x.name === 'RAW')?.is_current).toBe('Y');
    expect(col(await one('SHOW SCHEMAS IN DATABASE FLOE'), 'name')).toEqual(['INFORMATION_SCHEMA', 'PUBLIC']);
    expect(col(await one('SHOW SCHEMAS IN ACCOUNT'), 'database_name')).toEqual(['FLOE', 'FLOE', 'SALES', 'SALES', 'SALES', 'SALES']);
  });

  it('reports a missing database in Snowflake wording', async () => {
    await expect(one('SHOW SCHEMAS IN DATABASE NOPE')).rejects.toThrow("Database 'NOPE' does not exist or not authorized.");
  });
});

describe('SHOW TABLES / VIEWS', () => {
  it('lists the current schema tables with row counts, views excluded', async () => {
    const r = await one('SHOW TABLES');
    expect(names(r).slice(0, 13)).toEqual(['created_on', 'name', 'database_name', 'schema_name', 'kind', 'comment', 'cluster_by', 'rows', 'bytes', 'owner', 'retention_time', 'automatic_clustering', 'change_tracking']);
    expect(names(r)).toContain('is_immutable');
    expect(records(r).map((x) => [x.name, x.kind, x.rows])).toEqual([
      ['CUSTOMER', 'TABLE', 3],
      ['CUSTOMER_STAGE', 'TRANSIENT', 0],
      ['ORDERS', 'TABLE', 0],
    ]);
    expect(records(r)[0]).toMatchObject({ database_name: 'SALES', schema_name: 'RAW', change_tracking: 'OFF', is_external: 'N', owner_role_type: 'ROLE' });
  });

  it('honours LIKE, STARTS WITH, LIMIT, TERSE and IN', async () => {
    expect(col(await one("SHOW TABLES LIKE 'customer%'"), 'name')).toEqual(['CUSTOMER', 'CUSTOMER_STAGE']);
    expect(col(await one("SHOW TABLES STARTS WITH 'O'"), 'name')).toEqual(['ORDERS']);
    expect(col(await one("SHOW TABLES STARTS WITH 'o'"), 'name')).toEqual([]);
    expect(col(await one('SHOW TABLES LIMIT 1'), 'name')).toEqual(['CUSTOMER']);
    expect(names(await one('SHOW TERSE TABLES'))).toEqual(['created_on', 'name', 'kind', 'database_name', 'schema_name']);
    expect(col(await one('SHOW TABLES IN SCHEMA OTHER'), 'name')).toEqual(['ELSEWHERE']);
    expect(col(await one('SHOW TABLES IN SALES.OTHER'), 'name')).toEqual(['ELSEWHERE']);
    expect(col(await one('SHOW TABLES IN DATABASE'), 'name')).toEqual(['ELSEWHERE', 'CUSTOMER', 'CUSTOMER_STAGE', 'ORDERS']);
    expect(col(await one('SHOW TABLES IN SALES'), 'schema_name')).toEqual(['OTHER', 'RAW', 'RAW', 'RAW']);
  });

  it('reports a missing schema', async () => {
    await expect(one('SHOW TABLES IN SCHEMA NOPE')).rejects.toThrow("Schema 'SALES.NOPE' does not exist or not authorized.");
  });

  it('lists views with their text', async () => {
    const r = await one('SHOW VIEWS');
    expect(names(r)).toEqual(['created_on', 'name', 'reserved', 'database_name', 'schema_name', 'owner', 'comment', 'text', 'is_secure', 'is_materialized', 'owner_role_type', 'change_tracking']);
    expect(records(r)).toEqual([expect.objectContaining({ name: 'BIG_CUSTOMERS', is_secure: 'false', is_materialized: 'false', text: expect.stringMatching(/^CREATE VIEW BIG_CUSTOMERS AS SELECT/) })]);
  });
});

describe('SHOW COLUMNS', () => {
  it('lists columns with the JSON data_type', async () => {
    const r = await one('SHOW COLUMNS IN TABLE CUSTOMER');
    expect(names(r)).toEqual(['table_name', 'schema_name', 'column_name', 'data_type', 'null?', 'default', 'kind', 'expression', 'comment', 'database_name', 'autoincrement']);
    expect(records(r).map((x) => [x.column_name, x.data_type, x['null?'], x.default])).toEqual([
      ['ID', '{"type":"FIXED","precision":38,"scale":0,"nullable":false}', 'false', ''],
      ['NAME', '{"type":"TEXT","length":10,"byteLength":40,"nullable":false,"fixed":false}', 'false', "'x'"],
      ['EMAIL', '{"type":"TEXT","length":16777216,"byteLength":16777216,"nullable":true,"fixed":false}', 'true', ''],
      ['CREATED', '{"type":"TIMESTAMP_NTZ","precision":0,"scale":9,"nullable":true}', 'true', ''],
      ['SCORE', '{"type":"REAL","nullable":true}', 'true', ''],
      ['OK', '{"type":"BOOLEAN","nullable":true}', 'true', ''],
    ]);
    expect(col(await one("SHOW COLUMNS LIKE 'c%' IN CUSTOMER"), 'column_name')).toEqual(['CREATED']);
    expect(col(await one('SHOW COLUMNS IN VIEW BIG_CUSTOMERS'), 'table_name')).toHaveLength(6);
    expect(new Set(col(await one('SHOW COLUMNS'), 'table_name'))).toEqual(new Set(['BIG_CUSTOMERS', 'CUSTOMER', 'CUSTOMER_STAGE', 'ORDERS']));
  });

  it('reports a missing table', async () => {
    await expect(one('SHOW COLUMNS IN TABLE NOPE')).rejects.toThrow("Table 'NOPE' does not exist or not authorized.");
    await expect(one('SHOW COLUMNS IN VIEW CUSTOMER')).rejects.toThrow("View 'CUSTOMER' does not exist or not authorized.");
  });
});

describe('SHOW … KEYS', () => {
  it('lists primary, unique and imported keys', async () => {
    const pk = await one('SHOW PRIMARY KEYS');
    expect(names(pk)).toEqual(['created_on', 'database_name', 'schema_name', 'table_name', 'column_name', 'key_sequence', 'constraint_name', 'rely', 'comment']);
    expect(records(pk).map((x) => [x.table_name, x.column_name, x.key_sequence])).toEqual([
      ['CUSTOMER', 'ID', 1],
      ['ORDERS', 'ID', 1],
    ]);
    expect(records(pk)[0].constraint_name).toMatch(/^SYS_CONSTRAINT_/);
    expect(records(pk)[1].constraint_name).toBe('PK_ORDERS');
    expect(col(await one('SHOW UNIQUE KEYS IN TABLE CUSTOMER'), 'column_name')).toEqual(['EMAIL']);
    const fk = records(await one('SHOW IMPORTED KEYS IN ORDERS'));
    expect(fk).toEqual([
      expect.objectContaining({ pk_table_name: 'CUSTOMER', pk_column_name: 'ID', fk_table_name: 'ORDERS', fk_column_name: 'CUSTOMER_ID', fk_name: 'FK_CUST', pk_name: records(pk)[0].constraint_name }),
    ]);
  });
});

describe('account objects', () => {
  it('SHOW ROLES includes the system roles and created roles', async () => {
    await s.query('CREATE ROLE ANALYST; GRANT ROLE ANALYST TO ROLE SYSADMIN');
    const r = await one('SHOW ROLES');
    expect(names(r)).toEqual(['created_on', 'name', 'is_default', 'is_current', 'is_inherited', 'assigned_to_users', 'granted_to_roles', 'granted_roles', 'owner', 'comment', 'owner_role_type']);
    expect(col(r, 'name')).toEqual(['ACCOUNTADMIN', 'ANALYST', 'PUBLIC', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN']);
    expect(records(r).find((x) => x.name === 'ACCOUNTADMIN')).toMatchObject({ is_current: 'Y', is_default: 'Y', granted_roles: 2 });
    expect(records(r).find((x) => x.name === 'ANALYST')).toMatchObject({ is_inherited: 'Y', granted_to_roles: 1, owner: 'ACCOUNTADMIN' });
    expect(col(await one("SHOW ROLES LIKE '%admin'"), 'name')).toEqual(['ACCOUNTADMIN', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN']);
  });

  it('SHOW WAREHOUSES and SHOW USERS', async () => {
    await s.query("CREATE WAREHOUSE WH WAREHOUSE_SIZE = 'MEDIUM' AUTO_SUSPEND = 60");
    const w = records(await one('SHOW WAREHOUSES'));
    expect(w).toEqual([expect.objectContaining({ name: 'WH', state: 'STARTED', type: 'STANDARD', size: 'Medium', auto_suspend: 60, auto_resume: 'true', is_current: 'Y', owner: 'ACCOUNTADMIN' })]);
    const u = records(await one('SHOW USERS'));
    expect(u).toEqual([expect.objectContaining({ name: 'FLOE', login_name: 'FLOE', default_role: 'ACCOUNTADMIN', disabled: 'false' })]);
  });

  it('SHOW GRANTS TO / ON / OF', async () => {
    await s.query('GRANT SELECT, INSERT ON TABLE CUSTOMER TO ROLE ANALYST');
    const to = await one('SHOW GRANTS TO ROLE ANALYST');
    expect(names(to)).toEqual(['created_on', 'privilege', 'granted_on', 'name', 'granted_to', 'grantee_name', 'grant_option', 'granted_by']);
    expect(records(to).map((x) => [x.privilege, x.granted_on])).toEqual([
      ['INSERT', 'TABLE'],
      ['SELECT', 'TABLE'],
    ]);
    const on = records(await one('SHOW GRANTS ON TABLE CUSTOMER'));
    expect(on.map((x) => [x.privilege, x.name, x.grantee_name])).toEqual([
      ['INSERT', 'SALES.RAW.CUSTOMER', 'ANALYST'],
      ['OWNERSHIP', 'SALES.RAW.CUSTOMER', 'ACCOUNTADMIN'],
      ['SELECT', 'SALES.RAW.CUSTOMER', 'ANALYST'],
    ]);
    const of = await one('SHOW GRANTS OF ROLE ANALYST');
    expect(names(of)).toEqual(['created_on', 'role', 'granted_to', 'grantee_name', 'granted_by']);
    expect(records(of).map((x) => [x.granted_to, x.grantee_name])).toEqual([['ROLE', 'SYSADMIN']]);
  });
});

describe('SHOW PARAMETERS', () => {
  it('shows session values and levels', async () => {
    await s.query("ALTER SESSION SET QUERY_TAG = 'etl'");
    const r = await one("SHOW PARAMETERS LIKE 'query%'");
    expect(names(r)).toEqual(['key', 'value', 'default', 'level', 'description', 'type']);
    expect(records(r)).toEqual([expect.objectContaining({ key: 'QUERY_TAG', value: 'etl', default: '', level: 'SESSION', type: 'STRING' })]);
    expect(records(await one("SHOW PARAMETERS LIKE 'QUERY_TAG' IN ACCOUNT"))[0]).toMatchObject({ value: '', level: '' });
    expect(col(await one('SHOW PARAMETERS IN SESSION'), 'key')).toContain('TIMEZONE');
  });
});

describe('dispatch', () => {
  it('reports unknown kinds as unsupported', async () => {
    await expect(one('SHOW ALERTS')).rejects.toThrow('unsupported: SHOW ALERTS');
    await expect(one('SHOW TERSE ALERTS')).rejects.toThrow('unsupported: SHOW TERSE ALERTS');
  });
});

describe('scope defaults', () => {
  it('falls back to the account without a current database, and errors for IN DATABASE', async () => {
    const e2 = await openEngine({ database: ':memory:' });
    const s2 = await e2.session();
    try {
      await s2.query('CREATE DATABASE A; CREATE TABLE TA (X INT); CREATE DATABASE B; CREATE TABLE TB (X INT); DROP DATABASE B');
      expect((await s2.query('SHOW TABLES'))[0].rows.map((r) => r[1])).toEqual(['TA']);
      await s2.query('CREATE DATABASE B; CREATE TABLE TB (X INT); DROP DATABASE FLOE; DROP DATABASE B');
      const [all] = await s2.query('SHOW TABLES');
      expect(all.rows.map((r) => r[1])).toEqual(['TA']);
      expect((await s2.query('SHOW SCHEMAS'))[0].rows.map((r) => `${r[4]}.${r[1]}`)).toEqual(['A.INFORMATION_SCHEMA', 'A.PUBLIC']);
      await expect(s2.query('SHOW TABLES IN DATABASE')).rejects.toThrow(/This session does not have a current database/);
      expect((await s2.query('SHOW TABLES IN SCHEMA A.INFORMATION_SCHEMA'))[0].rows).toEqual([]);
    } finally {
      await s2.close();
      await e2.close();
    }
  });
});
