/**
 * COPY of JSON files (TYPE = JSON): NDJSON and outer arrays, documents spanning lines, per-document ON_ERROR,
 * the single-VARIANT rule, transformations, MATCH_BY_COLUMN_NAME, INCLUDE_METADATA, the JSON options and
 * VALIDATION_MODE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const put = (name: string, body: string | Buffer) => writeFileSync(join(dir, name), body);
const JSON_FMT = 'file_format = (type = json)';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-json-'));
  engine = await openEngine({ database: ':memory:', storage: { buckets: { b: { type: 'local', path: dir } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
  put('nd.json', '{"id":1,"name":"ann","tags":["a","b"],"o":{"x":1}}\n\n{"id":2,"name":"bob","tags":[],"o":null}\r\n');
  put('bad.json', '{"id":1}\nnot json\n{"id":2,\n{"id":3}\n');
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('COPY of JSON into one VARIANT column', () => {
  it('loads each NDJSON line as a document (blank lines skipped, CRLF allowed)', async () => {
    await q('create or replace table v (doc variant)');
    const r = await q(`copy into v from @st files = ('nd.json') ${JSON_FMT}`);
    expect(r.rows).toEqual([['s3://b/nd.json', 'LOADED', 2, 2, 1, 0, null, null, null, null]]);
    expect((await q('select doc:name::string, doc:tags[1]::string, doc:o:x::int from v order by 1')).rows).toEqual([
      ['ann', 'b', 1],
      ['bob', null, null],
    ]);
  });

  it('keeps an outer array as one document unless STRIP_OUTER_ARRAY, and reads pretty-printed documents', async () => {
    put('arr.json', '[\n  {"id": 10, "name": "x"},\n  {"id": 11},\n  3\n]\n');
    put('pretty.json', '{\n  "id": 20,\n  "name": "p"\n}\n{\n  "id": 21\n}\n');
    await q('create or replace table v (doc variant)');
    await q(`copy into v from @st files = ('arr.json') ${JSON_FMT}`);
    expect((await q('select array_size(doc) from v')).rows).toEqual([[3]]);
    await q('truncate table v');
    const r = await q(`copy into v from @st files = ('arr.json', 'pretty.json') file_format = (type = json strip_outer_array = true)`);
    expect(r.rows.map((x) => x.slice(1, 4))).toEqual([
      ['LOADED', 3, 3],
      ['LOADED', 2, 2],
    ]);
    expect((await q('select doc::string from v')).rows.map((x) => x[0]).sort()).toEqual(['3', '{"id":10,"name":"x"}', '{"id":11}', '{"id":20,"name":"p"}', '{"id":21}']);
  });

  it('makes a malformed line an error row: ABORT_STATEMENT, CONTINUE, SKIP_FILE and VALIDATE', async () => {
    await q('create or replace table v (doc variant)');
    await expect(q(`copy into v from @st files = ('bad.json') ${JSON_FMT}`)).rejects.toThrow(
      /Error parsing JSON: unknown keyword "not", pos 1\n {2}File 's3:\/\/b\/bad.json', line 2, character 1\n {2}Row 2\n/,
    );
    const skip = await q(`copy into v from @st files = ('bad.json') ${JSON_FMT} on_error = skip_file`);
    expect(skip.rows[0]!.slice(1, 6)).toEqual(['LOAD_FAILED', 4, 0, 1, 2]);
    const r = await q(`copy into v from @st files = ('bad.json') ${JSON_FMT} on_error = continue`);
    expect(r.rows[0]!.slice(1, 8)).toEqual(['PARTIALLY_LOADED', 4, 2, 4, 2, 'Error parsing JSON: unknown keyword "not", pos 1', 2]);
    expect((await q('select doc:id::int from v order by 1')).rows).toEqual([[1], [3]]);
    const errors = await q("select error, line, row_number, rejected_record from table(validate(v, job_id => '_last'))");
    expect(errors.rows).toEqual([
      ['Error parsing JSON: unknown keyword "not", pos 1', 2, 2, 'not json'],
      ['Error parsing JSON: incomplete object value, pos 9', 3, 3, '{"id":2,'],
    ]);
  });

  it('fails a file whose multi-line documents are malformed', async () => {
    put('badpretty.json', '{\n  "id": 1,\n  "x": tru\n}\n');
    await q('create or replace table v (doc variant)');
    const r = await q(`copy into v from @st files = ('badpretty.json') ${JSON_FMT} on_error = continue`);
    expect(r.rows[0]!.slice(1, 6)).toEqual(['LOAD_FAILED', 1, 0, 1, 1]);
    expect(r.rows[0]![6]).toMatch(/^Error parsing JSON: /);
  });

  it('requires exactly one VARIANT, OBJECT or ARRAY column', async () => {
    await q('create or replace table two (a variant, b string)');
    await expect(q(`copy into two from @st files = ('nd.json') ${JSON_FMT}`)).rejects.toThrow(
      'JSON file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.',
    );
    await q('create or replace table one (a string)');
    await expect(q(`copy into one from @st files = ('nd.json') ${JSON_FMT}`)).rejects.toThrow(/one and only one column of type variant/);
  });
});

describe('JSON file format options', () => {
  it('reads gzip (AUTO by magic bytes, any name) and fails with COMPRESSION = NONE', async () => {
    put('z.data', gzipSync('{"id":5}\n{"id":6}\n'));
    await q('create or replace table v (doc variant)');
    expect((await q(`copy into v from @st files = ('z.data') ${JSON_FMT}`)).rows[0]!.slice(1, 4)).toEqual(['LOADED', 2, 2]);
    const r = await q(`copy into v from @st files = ('z.data') file_format = (type = json compression = none) force = true on_error = continue`);
    expect(r.rows[0]![1]).toBe('LOAD_FAILED');
    put('trunc.json.gz', gzipSync('{"id":5}\n'.repeat(1000)).subarray(0, 40));
    const t = await q(`copy into v from @st files = ('trunc.json.gz') ${JSON_FMT} on_error = continue`);
    expect(t.rows[0]!.slice(1, 2)).toEqual(['LOAD_FAILED']);
    expect(t.rows[0]![6]).toMatch(/^Invalid data encountered during decompression for file: 'trunc.json.gz'/);
  });

  it('ALLOW_DUPLICATE: duplicate keys are errors by default, the last value wins when allowed', async () => {
    put('dup.json', '{"a":1,"a":2}\n{"b":{"c":1,"c":3}}\n{"ok":true}\n');
    await q('create or replace table v (doc variant)');
    const r = await q(`copy into v from @st files = ('dup.json') ${JSON_FMT} on_error = continue`);
    expect(r.rows[0]!.slice(1, 7)).toEqual(['PARTIALLY_LOADED', 3, 1, 3, 2, 'Error parsing JSON: duplicate object attribute "a", pos 8']);
    await q('truncate table v');
    await q(`copy into v from @st files = ('dup.json') file_format = (type = json allow_duplicate = true)`);
    expect((await q('select doc::string from v order by 1')).rows).toEqual([['{"a":2}'], ['{"b":{"c":3}}'], ['{"ok":true}']]);
  });

  it('STRIP_NULL_VALUES drops null fields and elements; REPLACE_INVALID_CHARACTERS replaces bad UTF-8', async () => {
    put('nulls.json', '{"a":null,"b":[1,null],"c":"null"}\n');
    await q('create or replace table v (doc variant)');
    await q(`copy into v from @st files = ('nulls.json') file_format = (type = json strip_null_values = true)`);
    expect((await q('select doc::string from v')).rows).toEqual([['{"b":[1],"c":"null"}']]);
    put('latin.json', Buffer.concat([Buffer.from('{"n":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const bad = await q(`copy into v from @st files = ('latin.json') ${JSON_FMT} on_error = continue`);
    expect(bad.rows[0]!.slice(1, 2)).toEqual(['LOAD_FAILED']);
    expect(bad.rows[0]![6]).toMatch(/^Invalid UTF8 detected/);
    await q('truncate table v');
    await q(`copy into v from @st files = ('latin.json') file_format = (type = json replace_invalid_characters = true)`);
    expect((await q('select doc:n::string from v')).rows).toEqual([['caf\ufffd']]);
  });

  it('validates options at CREATE FILE FORMAT and describes them', async () => {
    await expect(q('create file format bad1 type = json field_delimiter = \',\'')).rejects.toThrow(/invalid file format option FIELD_DELIMITER for TYPE = JSON/);
    await expect(q('create file format bad2 type = json enable_octal = true')).rejects.toThrow(/unsupported: ENABLE_OCTAL = TRUE/);
    await expect(q('create file format bad3 type = json compression = brotli')).rejects.toThrow(/unsupported: COMPRESSION = BROTLI/);
    await q('create file format jf type = json strip_outer_array = true');
    const d = await q('describe file format jf');
    const props = Object.fromEntries(d.rows.map((r) => [r[0], r[2]]));
    expect(props).toMatchObject({ TYPE: 'JSON', STRIP_OUTER_ARRAY: 'true', ALLOW_DUPLICATE: 'false', MULTI_LINE: 'true', COMPRESSION: 'AUTO' });
    const show = await q("show file formats like 'JF'");
    expect(JSON.parse(show.rows[0]![7] as string)).toMatchObject({ TYPE: 'JSON', STRIP_OUTER_ARRAY: 'true' });
  });
});

describe('JSON into separate columns', () => {
  it('transforms with $1:path casts and METADATA$ columns (a VARIANT string into VARCHAR loses its quotes)', async () => {
    await q('create or replace table t (id int, name string, tag string, f string, r int)');
    await q('create or replace file format jf2 type = json');
    const r = await q(
      "copy into t from (select s.$1:id, $1:name, $1:tags[0]::string, metadata$filename, metadata$file_row_number from @st (file_format => 'jf2') s) files = ('nd.json')",
    );
    expect(r.rows[0]!.slice(1, 4)).toEqual(['LOADED', 2, 2]);
    expect((await q('select * from t order by id')).rows).toEqual([
      [1, 'ann', 'a', 'nd.json', 1],
      [2, 'bob', null, 'nd.json', 2],
    ]);
    await expect(q(`copy into t from (select $2, $1, $1, $1, $1 from @st) files = ('nd.json') ${JSON_FMT}`)).rejects.toThrow(/JSON file format can produce one and only one column: use \$1/);
  });

  it('MATCH_BY_COLUMN_NAME maps keys to columns (case-insensitive or exact); conversion errors follow ON_ERROR', async () => {
    put('m.json', '{"ID":1,"Name":"ann","O":{"x":1},"extra":true,"D":"31/01/2026"}\n{"id":"zz","NAME":"bob"}\n[1,2]\n{"id":\n');
    await q('create or replace table m (id int, name string, o variant, d date)');
    const fmt = "file_format = (type = json date_format = 'DD/MM/YYYY')";
    const r = await q(`copy into m from @st files = ('m.json') ${fmt} match_by_column_name = case_insensitive on_error = continue`);
    expect(r.rows[0]!.slice(1, 10)).toEqual(['PARTIALLY_LOADED', 4, 2, 4, 2, "Numeric value 'zz' is not recognized", 2, 1, '"M"["ID":1]']);
    expect((await q('select id, name, o:x::int, to_varchar(d) from m order by id nulls last')).rows).toEqual([
      [1, 'ann', 1, '2026-01-31'],
      [null, null, null, null],
    ]);
    await q('truncate table m');
    await q(`copy into m from @st files = ('m.json') ${fmt} match_by_column_name = case_sensitive on_error = continue`);
    expect((await q('select id, name, o:x::int from m order by id nulls last, name nulls last')).rows).toEqual([
      [1, null, 1],
      [null, 'bob', null],
      [null, null, null],
    ]);
    await expect(q(`copy into m from (select $1 from @st) ${JSON_FMT} match_by_column_name = case_sensitive`)).rejects.toThrow(
      'match_by_column_name is not supported with copy transform.',
    );
  });

  it('INCLUDE_METADATA fills columns from METADATA$ fields (only with MATCH_BY_COLUMN_NAME, columns must exist)', async () => {
    await q('create or replace table im (id int, name string, src string, rownum int, scanned timestamp_ltz)');
    const include = 'include_metadata = (src = metadata$filename, rownum = metadata$file_row_number, scanned = metadata$start_scan_time)';
    await q(`copy into im from @st files = ('nd.json') ${JSON_FMT} match_by_column_name = case_insensitive ${include}`);
    expect((await q('select id, name, src, rownum, scanned is not null from im order by id')).rows).toEqual([
      [1, 'ann', 'nd.json', 1, true],
      [2, 'bob', 'nd.json', 2, true],
    ]);
    await expect(q(`copy into im from @st files = ('nd.json') ${JSON_FMT} ${include}`)).rejects.toThrow(/INCLUDE_METADATA is only supported with MATCH_BY_COLUMN_NAME/);
    await expect(q(`copy into im from @st ${JSON_FMT} match_by_column_name = case_insensitive include_metadata = (nope = metadata$filename)`)).rejects.toThrow(
      /invalid identifier 'NOPE'/,
    );
    await expect(q(`copy into im from @st ${JSON_FMT} match_by_column_name = case_insensitive include_metadata = (src = metadata$nope)`)).rejects.toThrow(/INCLUDE_METADATA column SRC/);
  });
});

describe('VALIDATION_MODE with JSON', () => {
  it('returns rows and errors without loading; refuses MATCH_BY_COLUMN_NAME', async () => {
    await q('create or replace table vv (doc variant)');
    const rows = await q(`copy into vv from @st files = ('nd.json') ${JSON_FMT} validation_mode = return_1_rows`);
    expect(rows.rows.length).toBe(1);
    const errors = await q(`copy into vv from @st files = ('bad.json') ${JSON_FMT} validation_mode = return_errors`);
    expect(errors.rows.map((r) => [r[0], r[2]])).toEqual([
      ['Error parsing JSON: unknown keyword "not", pos 1', 2],
      ['Error parsing JSON: incomplete object value, pos 9', 3],
    ]);
    expect((await q('select count(*) from vv')).rows).toEqual([[0]]);
    await expect(q(`copy into vv from @st ${JSON_FMT} match_by_column_name = case_sensitive validation_mode = return_errors`)).rejects.toThrow(
      /VALIDATION_MODE is not supported with MATCH_BY_COLUMN_NAME/,
    );
  });

  it('keeps an explicit transaction usable when a file is unreadable', async () => {
    await q('create or replace table tx (doc variant)');
    await q('begin');
    const r = await q(`copy into tx from @st files = ('nd.json', 'trunc.json.gz') ${JSON_FMT} on_error = continue`);
    expect(r.rows.map((x) => x[1])).toEqual(['LOADED', 'LOAD_FAILED']);
    await q('commit');
    expect((await q('select count(*) from tx')).rows).toEqual([[2]]);
  });
});
