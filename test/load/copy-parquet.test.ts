/**
 * COPY of Parquet files (TYPE = PARQUET): `$1` is an OBJECT of the row, transformations, MATCH_BY_COLUMN_NAME
 * with typed values, BINARY_AS_TEXT, INCLUDE_METADATA, unreadable files and options. Fixtures are written by
 * DuckDB in the test (nothing binary is committed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { writeParquet } from '../support/parquet.js';

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const PQ = 'file_format = (type = parquet)';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-pq-'));
  await writeParquet(
    join(dir, 'c.parquet'),
    `SELECT * FROM (VALUES
      (1, 'ann', DATE '2026-01-31', TIMESTAMP '2026-01-31 08:05:00.250', 12.50::DECIMAL(10,2), [1, 2], {'x': 1}, 'AB'::BLOB, true),
      (2, 'bob', NULL, NULL, 1234567890123456.78::DECIMAL(20,2), [], NULL, NULL, false)
    ) t("Id", name, born, seen, amount, nums, obj, raw, flag)`,
  );
  writeFileSync(join(dir, 'not.parquet'), 'id,name\n1,x\n');
  engine = await openEngine({ database: ':memory:', storage: { buckets: { b: { type: 'local', path: dir } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('COPY of Parquet', () => {
  it('loads each row as an OBJECT into one VARIANT column', async () => {
    await q('create or replace table v (doc variant)');
    const r = await q(`copy into v from @st files = ('c.parquet') ${PQ}`);
    expect(r.rows).toEqual([['s3://b/c.parquet', 'LOADED', 2, 2, 1, 0, null, null, null, null]]);
    expect((await q('select doc:"Id"::int, doc:name::string, doc:born::date, doc:nums[1]::int, doc:obj:x::int, doc:raw::string, doc:flag::boolean from v order by 1')).rows).toEqual([
      [1, 'ann', '2026-01-31', 2, 1, 'AB', true],
      [2, 'bob', null, null, null, null, false],
    ]);
    await q('create or replace table two (a variant, b int)');
    await expect(q(`copy into two from @st files = ('c.parquet') ${PQ}`)).rejects.toThrow(
      'PARQUET file format can produce one and only one column of type variant, object, or array.',
    );
  });

  it('BINARY_AS_TEXT = FALSE shows binary values as hex', async () => {
    await q('create or replace table v (doc variant)');
    await q(`copy into v from @st files = ('c.parquet') file_format = (type = parquet binary_as_text = false)`);
    expect((await q('select doc:raw::string from v where doc:"Id" = 1')).rows).toEqual([['4142']]);
  });

  it('transforms with $1:column casts and METADATA$ columns', async () => {
    await q('create or replace table t (id int, name string, amount number(20,2), f string, n int)');
    await q(`copy into t from (select $1:"Id"::int, $1:name, $1:amount, metadata$filename, metadata$file_row_number from @st) files = ('c.parquet') ${PQ}`);
    expect((await q('select * from t order by id')).rows).toEqual([
      [1, 'ann', '12.50', 'c.parquet', 1],
      [2, 'bob', '1234567890123456.78', 'c.parquet', 2],
    ]);
  });

  it('MATCH_BY_COLUMN_NAME loads typed columns; INCLUDE_METADATA adds file metadata', async () => {
    await q('create or replace table m (id int, name string, born date, seen timestamp_ntz, amount number(20,2), nums variant, flag boolean, src string)');
    const r = await q(`copy into m from @st files = ('c.parquet') ${PQ} match_by_column_name = case_insensitive include_metadata = (src = metadata$filename)`);
    expect(r.rows[0]!.slice(1, 4)).toEqual(['LOADED', 2, 2]);
    expect((await q("select id, name, to_varchar(born), to_varchar(seen, 'YYYY-MM-DD HH24:MI:SS.FF3'), amount, nums, flag, src from m order by id")).rows).toEqual([
      [1, 'ann', '2026-01-31', '2026-01-31 08:05:00.250', '12.50', '[1,2]', true, 'c.parquet'],
      [2, 'bob', null, null, '1234567890123456.78', '[]', false, 'c.parquet'],
    ]);
    // CASE_SENSITIVE: NAME (an unquoted identifier) is not the file's "name"; "Id" and "name" are.
    await q('truncate table m');
    await q(`copy into m from @st files = ('c.parquet') ${PQ} match_by_column_name = case_sensitive`);
    expect((await q('select count(*), count(id), count(name) from m')).rows).toEqual([[2, 0, 0]]);
    await q('create or replace table m2 ("Id" int, "name" string)');
    await q(`copy into m2 from @st files = ('c.parquet') ${PQ} match_by_column_name = case_sensitive`);
    expect((await q('select "Id", "name" from m2 order by 1')).rows).toEqual([
      [1, 'ann'],
      [2, 'bob'],
    ]);
  });

  it('fails a file that is not Parquet, per ON_ERROR', async () => {
    await q('create or replace table v (doc variant)');
    await expect(q(`copy into v from @st files = ('not.parquet') ${PQ}`)).rejects.toThrow(/Error reading Parquet file: .*\n {2}File 's3:\/\/b\/not.parquet'/);
    const r = await q(`copy into v from @st files = ('c.parquet', 'not.parquet') ${PQ} on_error = continue`);
    expect(r.rows.map((x) => x.slice(1, 6))).toEqual([
      ['LOADED', 2, 2, 2, 0],
      ['LOAD_FAILED', 1, 0, 1, 1],
    ]);
    expect(r.rows[1]![6]).not.toContain(dir);
  });

  it('checks Parquet options', async () => {
    await expect(q('create file format p1 type = parquet field_delimiter = \'|\'')).rejects.toThrow(/invalid file format option FIELD_DELIMITER for TYPE = PARQUET/);
    await expect(q('create file format p2 type = parquet use_logical_type = false')).rejects.toThrow(/unsupported: USE_LOGICAL_TYPE = FALSE/);
    await q('create file format p3 type = parquet compression = snappy binary_as_text = false');
    const props = Object.fromEntries((await q('describe file format p3')).rows.map((r) => [r[0], r[2]]));
    expect(props).toMatchObject({ TYPE: 'PARQUET', COMPRESSION: 'SNAPPY', BINARY_AS_TEXT: 'false' });
  });
});
