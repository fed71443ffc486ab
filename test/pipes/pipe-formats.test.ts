/**
 * Pipes with JSON and Parquet file formats load on object events like CSV pipes: documents and rows go into
 * the table (and its stream), bad documents follow the pipe's SKIP_FILE default, VALIDATE_PIPE_LOAD shows them.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, PipeLoad, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { writeParquet } from '../support/parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-pipe-fmt-'));
const bucket = join(dir, 'bucket');
let e: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;

const nextLoad = (file: string) =>
  new Promise<PipeLoad>((resolve) => {
    const off = e.pipes.onLoad((l) => {
      if (l.files.some((f) => f.path === file)) {
        off();
        resolve(l);
      }
    });
  });

beforeAll(async () => {
  for (const p of ['j', 'p']) mkdirSync(join(bucket, p), { recursive: true });
  e = await openEngine({ database: ':memory:', storage: { buckets: { demo: { type: 'local', path: bucket } } } });
  s = await e.session();
  await s.query(`create stage st url = 's3://demo/';
    create table events (doc variant);
    create stream events_s on table events;
    create pipe pj auto_ingest = true as copy into events from @st/j/ file_format = (type = json strip_outer_array = true);
    create table orders (id int, amount number(10,2), src string);
    create pipe pp auto_ingest = true as copy into orders from @st/p/ file_format = (type = parquet)
      match_by_column_name = case_insensitive include_metadata = (src = metadata$filename)`);
  await e.pipes.start({ reconcileMs: 0 });
});
afterAll(async () => {
  await e.pipes.stop();
  await e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pipes with JSON and Parquet formats', () => {
  it('loads JSON documents on events; a bad document skips the file (SKIP_FILE)', async () => {
    const ok = nextLoad('j/a.json');
    writeFileSync(join(bucket, 'j', 'a.json'), '[{"id":1},{"id":2}]\n{"id":3}\n');
    expect((await ok).files).toEqual([{ path: 'j/a.json', status: 'LOADED', rowsLoaded: 3 }]);
    expect((await q('select doc:id::int, metadata$action from events_s order by 1')).rows).toEqual([
      [1, 'INSERT'],
      [2, 'INSERT'],
      [3, 'INSERT'],
    ]);
    const bad = nextLoad('j/bad.json');
    writeFileSync(join(bucket, 'j', 'bad.json'), '{"id":4}\n{"id":\n');
    expect((await bad).files).toEqual([{ path: 'j/bad.json', status: 'LOAD_FAILED', rowsLoaded: 0 }]);
    const errors = await q("select error, file, line from table(information_schema.validate_pipe_load(pipe_name => 'PJ', start_time => dateadd(hours, -1, current_timestamp())))");
    expect(errors.rows).toEqual([['Error parsing JSON: incomplete object value, pos 7', 's3://demo/j/bad.json', 2]]);
  });

  it('loads Parquet files on events by column name with metadata', async () => {
    const tmp = join(dir, 'o.parquet');
    await writeParquet(tmp, `SELECT * FROM (VALUES (1, 9.50::DECIMAL(10,2)), (2, 3.25::DECIMAL(10,2))) t("ID", "Amount")`);
    const loaded = nextLoad('p/o.parquet');
    renameSync(tmp, join(bucket, 'p', 'o.parquet'));
    expect((await loaded).files).toEqual([{ path: 'p/o.parquet', status: 'LOADED', rowsLoaded: 2 }]);
    expect((await q('select id, amount, src from orders order by id')).rows).toEqual([
      [1, '9.50', 'p/o.parquet'],
      [2, '3.25', 'p/o.parquet'],
    ]);
  });
});
