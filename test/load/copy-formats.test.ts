/** COPY file format options beyond the defaults: DATE_FORMAT / TIME_FORMAT / TIMESTAMP_FORMAT, MATCH_BY_COLUMN_NAME. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const put = (name: string, body: string) => writeFileSync(join(dir, name), body);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-fmt-'));
  engine = await openEngine({ database: ':memory:', storage: { buckets: { b: { type: 'local', path: dir } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DATE_FORMAT / TIME_FORMAT / TIMESTAMP_FORMAT', () => {
  it('parses values with the given formats and reports values that do not match', async () => {
    put('d.csv', '31/01/2026|7.30.15|2026-01-31 08h05\n01/02/2026|23.59.59|2026-02-01 23h00\n');
    await q('create table d (d date, t time, ts timestamp_ntz)');
    const fmt = `file_format = (field_delimiter = '|' date_format = 'DD/MM/YYYY' time_format = 'HH24.MI.SS' timestamp_format = 'YYYY-MM-DD HH24"h"MI')`;
    const r = await q(`copy into d from @st files = ('d.csv') ${fmt}`);
    expect(r.rows[0]!.slice(1, 4)).toEqual(['LOADED', 2, 2]);
    expect((await q("select to_varchar(d), to_varchar(t), to_varchar(ts, 'YYYY-MM-DD HH24:MI:SS') from d order by d")).rows).toEqual([
      ['2026-01-31', '07:30:15', '2026-01-31 08:05:00'],
      ['2026-02-01', '23:59:59', '2026-02-01 23:00:00'],
    ]);
    put('d2.csv', '2026-01-31|7.30.15|2026-01-31 08h05\n');
    await expect(q(`copy into d from @st files = ('d2.csv') ${fmt}`)).rejects.toThrow(/Date '2026-01-31' is not recognized/);
  });
});

describe('MATCH_BY_COLUMN_NAME with PARSE_HEADER', () => {
  it('maps header names to columns per file, whatever their order', async () => {
    put('m1.csv', 'ID,NAME,EXTRA\n1,a,x\n2,b,y\n');
    put('m2.csv', 'name,id\nc,3\n');
    await q('create table m (id int, name string, missing string)');
    const fmt = 'file_format = (parse_header = true)';
    await expect(q(`copy into m from @st files = ('m2.csv') ${fmt} match_by_column_name = case_sensitive`)).resolves.toBeDefined();
    expect((await q('select id, name, missing from m')).rows).toEqual([[null, null, null]]);
    await q('truncate table m');
    const r = await q(`copy into m from @st files = ('m1.csv', 'm2.csv') ${fmt} match_by_column_name = case_insensitive`);
    expect(r.rows.map((x) => x.slice(1, 4))).toEqual([
      ['LOADED', 2, 2],
      ['LOADED', 1, 1],
    ]);
    expect((await q('select id, name, missing from m order by id')).rows).toEqual([
      [1, 'a', null],
      [2, 'b', null],
      [3, 'c', null],
    ]);
  });

  it('PARSE_HEADER alone skips the header line; MATCH_BY_COLUMN_NAME needs it', async () => {
    put('h.csv', 'id,name\n1,a\n');
    await q('create table h (id int, name string)');
    await q("copy into h from @st files = ('h.csv') file_format = (parse_header = true)");
    expect((await q('select id, name from h')).rows).toEqual([[1, 'a']]);
    await expect(q("copy into h from @st files = ('h.csv') match_by_column_name = case_insensitive force = true")).rejects.toThrow(/PARSE_HEADER = TRUE/);
  });
});
