/**
 * The auto-ingest runtime end to end on a local bucket: a file dropped into the folder by another process
 * becomes rows in the table and stream inserts (event-driven, no polling); files that arrive while floe is
 * stopped are loaded on start, and nothing is loaded twice across restarts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine, PipeLoad } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-pipe-rt-'));
const bucket = join(dir, 'bucket');
mkdirSync(join(bucket, 'in'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (database: string) => openEngine({ database, storage: { buckets: { demo: { type: 'local', path: bucket } } } });
const nextLoad = (e: Engine, file: string) =>
  new Promise<PipeLoad>((resolve) => {
    const off = e.pipes.onLoad((l) => {
      if (l.files.some((f) => f.path === file)) {
        off();
        resolve(l);
      }
    });
  });

describe('pipe service on a local bucket', () => {
  it('loads a file written by another process into the table and its stream', async () => {
    const e = await open(':memory:');
    try {
      const s = await e.session();
      await s.query(`create table raw (id int, name string);
        create stream raw_s on table raw;
        create stage st url = 's3://demo/';
        create pipe p auto_ingest = true as copy into raw from @st/in/`);
      await e.pipes.start({ reconcileMs: 0 });
      const loaded = nextLoad(e, 'in/one.csv');
      const t0 = Date.now();
      writeFileSync(join(bucket, 'in', 'one.csv'), '1,a\n2,b\n');
      const load = await loaded;
      const latencyMs = Date.now() - t0;
      expect(load).toEqual({ pipe: 'FLOE.PUBLIC.P', table: 'FLOE.PUBLIC.RAW', files: [{ path: 'in/one.csv', status: 'LOADED', rowsLoaded: 2 }] });
      const [r] = await s.query('select id, name, metadata$action from raw_s order by id');
      expect(r!.rows).toEqual([[1, 'a', 'INSERT'], [2, 'b', 'INSERT']]);
      // Not a timing assertion (bench/copy measures latency): a sanity bound that fails only if loading polls.
      expect(latencyMs).toBeLessThan(5000);
    } finally {
      await e.close();
    }
  });

  it('loads files that arrived while stopped on start, none twice', async () => {
    const database = join(dir, 'restart.duckdb');
    mkdirSync(join(bucket, 'rs'), { recursive: true });
    let e = await open(database);
    const s1 = await e.session();
    await s1.query(`create table t (id int);
      create stage st url = 's3://demo/';
      create pipe p auto_ingest = true as copy into t from @st/rs/`);
    await e.pipes.start({ reconcileMs: 0 });
    const first = nextLoad(e, 'rs/a.csv');
    writeFileSync(join(bucket, 'rs', 'a.csv'), '1\n2\n');
    await first;
    await e.close();
    // floe is down: files keep arriving.
    writeFileSync(join(bucket, 'rs', 'b.csv'), '3\n');
    writeFileSync(join(bucket, 'rs', 'c.csv'), '4\n5\n');
    e = await open(database);
    try {
      await e.pipes.start({ reconcileMs: 0 });
      await e.pipes.drain();
      const s = await e.session();
      expect((await s.query('select id from t order by id'))[0]!.rows).toEqual([[1], [2], [3], [4], [5]]);
      const [st] = await s.query("select parse_json(system$pipe_status('p')):pendingFileCount::int");
      expect(st!.rows).toEqual([[0]]);
      // A second restart finds nothing new.
      await e.pipes.stop();
      await e.pipes.start({ reconcileMs: 0 });
      await e.pipes.drain();
      expect((await s.query('select count(*) from t'))[0]!.rows).toEqual([[5]]);
    } finally {
      await e.close();
    }
  });
});
