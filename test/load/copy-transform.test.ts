/** Transforming COPY (reference §4.4, §4.9): $n, casts, functions, METADATA$ columns, column lists, pipes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const put = (name: string, body: string) => writeFileSync(join(dir, 'bucket', name), body);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-tx-'));
  mkdirSync(join(dir, 'bucket', 'in'), { recursive: true });
  engine = await openEngine({ database: ':memory:', storage: { buckets: { b: { type: 'local', path: join(dir, 'bucket') } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('COPY INTO … FROM (SELECT …)', () => {
  it('reorders, casts and computes fields and fills METADATA$ columns', async () => {
    put('in/a.csv', '1,ann,10.5\n2,bob,7\n');
    await q('create table t (id number, name string, amount number(10,2), file string, row_no int, key string, modified timestamp_ntz, scan timestamp_ltz)');
    const r = await q(
      "copy into t from (select $1, upper($2), $3::number(10,2) * 2, metadata$filename, metadata$file_row_number, metadata$file_content_key, " +
        "metadata$file_last_modified, metadata$start_scan_time from @st/in/ s) pattern = '.*a[.]csv'",
    );
    expect(r.rows.map((x) => x.slice(0, 4))).toEqual([['s3://b/in/a.csv', 'LOADED', 2, 2]]);
    const rows = (await q('select id, name, amount, file, row_no, length(key), modified is not null, scan is not null from t order by id')).rows;
    expect(rows).toEqual([
      [1, 'ANN', '21.00', 'in/a.csv', 1, 32, true, true],
      [2, 'BOB', '14.00', 'in/a.csv', 2, 32, true, true],
    ]);
  });

  it('fills a column list (others get their defaults) with alias-qualified $n', async () => {
    put('in/c.csv', 'x,1\ny,2\n');
    await q("create table c (a string default 'dflt', b int, n string)");
    await q("copy into c (n, b) from (select s.$1, s.$2 from @st/in/ s) files = ('c.csv')");
    expect((await q('select a, b, n from c order by b')).rows).toEqual([
      ['dflt', 1, 'x'],
      ['dflt', 2, 'y'],
    ]);
  });

  it('applies ON_ERROR to conversion errors of the transformed values', async () => {
    put('in/e.csv', '1,a\nzz,b\n3,c\n');
    await q('create table e (id int, v string)');
    await expect(q("copy into e from (select $1, $2 from @st/in/) files = ('e.csv')")).rejects.toThrow(/Numeric value 'zz' is not recognized/);
    const r = await q("copy into e from (select $1, $2 from @st/in/) files = ('e.csv') on_error = continue");
    expect(r.rows[0]!.slice(1, 6)).toEqual(['PARTIALLY_LOADED', 3, 2, 3, 1]);
    expect((await q('select id from e order by id')).rows).toEqual([[1], [3]]);
  });

  it('rejects what Snowflake rejects', async () => {
    await q('create table r (a int, b int)');
    await expect(q('copy into r from (select $1 from @st/in/)')).rejects.toThrow(/expecting 2 but got 1/);
    await expect(q('copy into r (a) from @st/in/')).rejects.toThrow(/requires a transformation/);
    await expect(q('copy into r from (select $1, $2 from @st/in/) validation_mode = return_errors')).rejects.toThrow(/VALIDATION_MODE/);
    await expect(q('copy into r from (select $1, $2 from @st/in/ order by 1)')).rejects.toThrow(/ORDER is not supported/);
    await expect(q('create pipe p as copy into r from (select $1, $2 from @st/in/ where $1 > 0)')).rejects.toThrow(/cannot filter rows/);
  });

  it('runs inside a pipe', async () => {
    mkdirSync(join(dir, 'bucket', 'p'), { recursive: true });
    put('p/1.csv', '5,five\n');
    await q('create table pt (id int, v string, f string)');
    await q('create pipe pp as copy into pt from (select $1, lower($2), metadata$filename from @st/p/)');
    await q('alter pipe pp refresh');
    await engine.pipes.start({ reconcileMs: 0 });
    await engine.pipes.drain();
    await engine.pipes.stop();
    expect((await q('select id, v, f from pt')).rows).toEqual([[5, 'five', 'p/1.csv']]);
  });
});
