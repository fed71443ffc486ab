/** COPY INTO vectors CV-* (reference §8.4) against the real engine (DuckDB) and a local bucket. */
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
const put = (name: string, body: string | Buffer) => writeFileSync(join(dir, 'bucket', name), body);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-copy-'));
  engine = await openEngine({ database: ':memory:', storage: { buckets: { 'floe-demo': { type: 'local', path: join(dir, 'bucket') } } } });
  s = await engine.session();
  await q("create stage st url='s3://floe-demo/'");
  await q('create stage ist');
  (await import('node:fs')).mkdirSync(join(dir, 'bucket', 'n'), { recursive: true });
  (await import('node:fs')).mkdirSync(join(dir, 'bucket', 'sz'), { recursive: true });
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('COPY INTO <table>', () => {
  it('loads into a table with streams as ordinary inserts, atomically with the rows', async () => {
    await q('create table tracked_load (id int, name string)');
    await q('create stream tracked_load_s on table tracked_load');
    await q("insert into tracked_load values (0, 'before')");
    await q('create table tracked_sink (id int, name string)');
    await q('insert into tracked_sink select id, name from tracked_load_s');
    put('tracked1.csv', '1,a\n2,b\n');
    const seen: string[] = [];
    const off = engine.onCommit((c) => seen.push(...c.tables.map((t) => t.name)));
    await q("copy into tracked_load from @st files=('tracked1.csv')");
    off();
    expect(seen).toEqual(['TRACKED_LOAD']);
    expect((await q('select id, name, metadata$action, metadata$isupdate from tracked_load_s order by id')).rows).toEqual([
      [1, 'a', 'INSERT', false],
      [2, 'b', 'INSERT', false],
    ]);
    expect((await q("select system$stream_has_data('tracked_load_s')")).rows).toEqual([[true]]);
  });

  it('CV-1: loads a gzip file once, re-run reports 0 files', async () => {
    await q('create table t1 (id int, name string, note string)');
    put('contacts1.csv.gz', gzipSync('1,a,x\n2,b,y\n3,c,z\n4,d,w\n5,e,v\n'));
    const r = await q("copy into t1 from @st/contacts1.csv.gz on_error='skip_file'");
    expect(r.columns.map((c) => c.name)).toEqual(['file', 'status', 'rows_parsed', 'rows_loaded', 'error_limit', 'errors_seen', 'first_error', 'first_error_line', 'first_error_character', 'first_error_column_name']);
    expect(r.rows).toEqual([['s3://floe-demo/contacts1.csv.gz', 'LOADED', 5, 5, 1, 0, null, null, null, null]]);
    const again = await q("copy into t1 from @st/contacts1.csv.gz on_error='skip_file'");
    expect(again.columns.map((c) => c.name)).toEqual(['status']);
    expect(again.rows).toEqual([['Copy executed with 0 files processed.']]);
  });

  it('CV-2/CV-3: column-count mismatch under SKIP_FILE and ABORT_STATEMENT', async () => {
    await q('create table t2 (a int, b string)');
    put('cc_bad.csv', '1,x\n2,y,extra\n3,z\n');
    await expect(q("copy into t2 from @st files=('cc_bad.csv')")).rejects.toThrow(
      /^Number of columns in file \(3\) does not match that of the corresponding table \(2\), use file format option error_on_column_count_mismatch=false to ignore this error\n {2}File 's3:\/\/floe-demo\/cc_bad.csv', line 2, character 1\n {2}Row 2, column "T2"\[3\]\n {2}If you would like to continue loading/,
    );
    expect((await q('select count(*) from t2')).rows).toEqual([[0]]);
    const r = await q("copy into t2 from @st files=('cc_bad.csv') on_error=skip_file");
    expect(r.rows).toEqual([['s3://floe-demo/cc_bad.csv', 'LOAD_FAILED', 3, 0, 1, 1, expect.stringMatching(/^Number of columns in file \(3\)/), 2, 1, '"T2"[3]']]);
    const ok = await q("copy into t2 from @st files=('cc_bad.csv') file_format=(type=csv error_on_column_count_mismatch=false)");
    expect(ok.rows[0]!.slice(0, 4)).toEqual(['s3://floe-demo/cc_bad.csv', 'LOADED', 3, 3]);
  });

  it('CV-4: CONTINUE loads good rows and reports the first error', async () => {
    await q('create table t4 (id int, qty number(10,0))');
    put('cont.csv', '1,10\n2,7-\n3,30\n4,x\n');
    const r = await q("copy into t4 from @st files=('cont.csv') on_error=continue");
    expect(r.rows).toEqual([['s3://floe-demo/cont.csv', 'PARTIALLY_LOADED', 4, 2, 4, 2, "Numeric value '7-' is not recognized", 2, 3, '"T4"["QTY":2]']]);
    expect((await q('select id from t4 order by id')).rows).toEqual([[1], [3]]);
  });

  it('CV-5/6/7: FORCE duplicates, TRUNCATE resets history, a modified file loads again', async () => {
    await q('create table t5 (a int)');
    put('f1.csv', '1\n2\n');
    await q("copy into t5 from @st files=('f1.csv')");
    const skipped = await q("copy into t5 from @st files=('f1.csv')");
    expect(skipped.rows).toEqual([['s3://floe-demo/f1.csv', 'LOAD_SKIPPED', 0, 0, 1, 1, 'File was loaded before.', null, null, null]]);
    await q("copy into t5 from @st files=('f1.csv') force=true");
    expect((await q('select count(*) from t5')).rows).toEqual([[4]]);
    await q('delete from t5');
    expect((await q("copy into t5 from @st pattern='f1[.]csv'")).rows).toEqual([['Copy executed with 0 files processed.']]);
    await q('truncate table t5');
    await q("copy into t5 from @st pattern='f1[.]csv'");
    expect((await q('select count(*) from t5')).rows).toEqual([[2]]);
    put('f1.csv', '1\n2\n3\n');
    await q("copy into t5 from @st pattern='f1[.]csv'");
    expect((await q('select count(*) from t5')).rows).toEqual([[5]]);
  });

  it('CV-8: CSV defaults keep quotes as data; FIELD_OPTIONALLY_ENCLOSED_BY and NOT NULL', async () => {
    await q('create table t8 (a int, b string, c string)');
    put('d8.csv', '1,,\\N\n2,"x",y\n');
    await q("copy into t8 from @st files=('d8.csv')");
    expect((await q('select * from t8 order by a')).rows).toEqual([
      [1, null, null],
      [2, '"x"', 'y'],
    ]);
    put('d8q.csv', '3,"",z\n4,,z\n5,"a,b",z\n');
    await q("copy into t8 from @st files=('d8q.csv') file_format=(type=csv field_optionally_enclosed_by='\"')");
    expect((await q('select a, b from t8 where a >= 3 order by a')).rows).toEqual([
      [3, ''],
      [4, null],
      [5, 'a,b'],
    ]);
    await q('create table t8n (a int, b string not null)');
    put('d8n.csv', '1,\n');
    const r = await q("copy into t8n from @st files=('d8n.csv') on_error=continue");
    expect(r.rows[0]!.slice(1, 7)).toEqual(['LOAD_FAILED', 1, 0, 1, 1, 'NULL result in a non-nullable column']);
  });

  it('ENFORCE_LENGTH vs TRUNCATECOLUMNS, SKIP_FILE_n, RETURN_FAILED_ONLY, PURGE, SIZE_LIMIT', async () => {
    await q('create table tl (s varchar(3))');
    put('long.csv', 'abcdef\nab\n');
    const e = await q("copy into tl from @st files=('long.csv') on_error=continue");
    expect(e.rows[0]![6]).toBe("String 'abcdef' is too long and would be truncated");
    await q("copy into tl from @st files=('long.csv') truncatecolumns=true force=true");
    expect((await q('select s from tl order by s')).rows).toEqual([['ab'], ['ab'], ['abc']]);

    await q('create table tn (a int)');
    put('n/1.csv', '1\nx\n3\n');
    put('n/2.csv', '1\n2\n');
    const r = await q("copy into tn from @st/n/ on_error='skip_file_2'");
    expect(r.rows.map((x) => [x[0], x[1], x[4]])).toEqual([
      ['s3://floe-demo/n/1.csv', 'PARTIALLY_LOADED', 2],
      ['s3://floe-demo/n/2.csv', 'LOADED', 2],
    ]);
    put('n/3.csv', 'y\n');
    put('n/4.csv', '4\n');
    const f = await q("copy into tn from @st/n/ on_error=skip_file return_failed_only=true purge=true");
    expect(f.rows.map((x) => [x[0], x[1]])).toEqual([['s3://floe-demo/n/3.csv', 'LOAD_FAILED']]);
    expect((await q("list @st/n/")).rows.map((x) => x[0])).toEqual(['s3://floe-demo/n/1.csv', 's3://floe-demo/n/2.csv', 's3://floe-demo/n/3.csv']);

    await q('create table ts (a int)');
    for (const i of [1, 2, 3, 4]) put(`sz/${i}.csv`, '1234567\n');
    const sz = await q("copy into ts from @st/sz/ size_limit=10");
    expect(sz.rows.length).toBe(2);
  });

  it('bad files never crash the statement: corrupt gzip, invalid UTF-8, empty file', async () => {
    await q('create table tb (a string)');
    put('bad.csv.gz', Buffer.concat([gzipSync('a\nb\n').subarray(0, 12)]));
    put('bad-utf8.csv', Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a]));
    put('empty.csv', '');
    const r = await q("copy into tb from @st files=('bad.csv.gz', 'bad-utf8.csv', 'empty.csv') on_error=continue");
    const byFile = Object.fromEntries(r.rows.map((x) => [x[0], x]));
    expect(byFile['s3://floe-demo/bad.csv.gz']![1]).toBe('LOAD_FAILED');
    expect(String(byFile['s3://floe-demo/bad.csv.gz']![6])).toMatch(/decompression/);
    expect(byFile['s3://floe-demo/bad-utf8.csv']![1]).toBe('LOAD_FAILED');
    expect(String(byFile['s3://floe-demo/bad-utf8.csv']![6])).toMatch(/Invalid UTF8/);
    expect(byFile['s3://floe-demo/empty.csv']!.slice(1, 4)).toEqual(['LOADED', 0, 0]);
    await expect(q("copy into tb from @st files=('bad.csv.gz')")).rejects.toThrow(/decompression/);
  });

  it('names what it does not run yet', async () => {
    await expect(q('copy into t1 from (select $1 from @st)')).rejects.toThrow(/unsupported: COPY INTO … FROM \(SELECT …\)/);
    await expect(q('copy into t1 from @st bogus=1')).rejects.toThrow("invalid copy option 'BOGUS'");
  });
});
