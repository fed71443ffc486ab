import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('catalog persistence in the warehouse file', () => {
  it('keeps databases, schemas, tables, views, defaults, constraints and roles across restarts', async () => {
    const path = join(dir, 'warehouse.duckdb');
    const e1 = await openEngine({ database: path });
    const s1 = await e1.session();
    await s1.query(`
      create database shop; create schema sales;
      create table orders (id number(10,0) primary key, note varchar(20) default 'none', at timestamp_ntz default current_timestamp());
      insert into orders (id) values (1);
      create view big_orders as select id from orders where id > 0;
      create role analyst; create warehouse wh;`);
    await e1.close();

    const e2 = await openEngine({ database: path });
    const s2 = await e2.session();
    const [rows] = await s2.query('select id, note from shop.sales.orders');
    expect(rows.rows).toEqual([[1, 'none']]);
    const [view] = await s2.query('select * from shop.sales.big_orders');
    expect(view.rows).toEqual([[1]]);
    await s2.query('use schema shop.sales');
    const [desc] = await s2.query('describe table orders');
    expect(desc.rows.map((r) => [r[0], r[1], r[3], r[5]])).toEqual([
      ['ID', 'NUMBER(10,0)', 'N', 'Y'],
      ['NOTE', 'VARCHAR(20)', 'Y', 'N'],
      ['AT', 'TIMESTAMP_NTZ(9)', 'Y', 'N'],
    ]);
    const [roles] = await s2.query("show roles like 'ANALYST'");
    expect(roles.rows.length).toBe(1);
    await e2.close();
  });

  it('rolls back the catalog with the DDL when the physical DDL fails', async () => {
    const e = await openEngine({ database: ':memory:' });
    const s = await e.session();
    await expect(s.query('create table bad as select 1/0::int as x from nope')).rejects.toThrow(/does not exist/);
    await expect(s.query('select * from bad')).rejects.toThrow(/does not exist or not authorized/);
    await e.close();
  });
});
