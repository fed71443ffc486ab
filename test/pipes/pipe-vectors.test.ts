/** Snowpipe vectors PV-* (reference §8.3) against the real engine (DuckDB), a local bucket and the pipe service. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let dir: string;
let engine: Engine;
let s: Session;
let offset = 0;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const file = (name: string, body: string) => {
  const p = join(dir, 'bucket', name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, body);
};
/** Waits until the service has queued and loaded what the folder watcher reported. */
async function settle(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    await engine.pipes.drain();
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const count = async (t: string) => Number((await q(`select count(*) from ${t}`)).rows[0]![0]);
const status = async (p: string) => JSON.parse(String((await q(`select system$pipe_status('${p}')`)).rows[0]![0]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-pipes-'));
  mkdirSync(join(dir, 'bucket'), { recursive: true });
  engine = await openEngine({ database: ':memory:', now: () => Date.now() + offset, storage: { buckets: { b: { type: 'local', path: join(dir, 'bucket') } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
  await engine.pipes.start({ reconcileMs: 0 });
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pipes', () => {
  it('PV-7: a pipe COPY rejects FILES, ABORT_STATEMENT, PURGE, FORCE, SIZE_LIMIT, VALIDATION_MODE, RETURN_FAILED_ONLY', async () => {
    await q('create table r7 (a int, b string)');
    for (const opt of ["files=('x.csv')", 'on_error=abort_statement', 'purge=true', 'force=true', 'size_limit=10', "validation_mode='RETURN_ERRORS'", 'return_failed_only=true']) {
      await expect(q(`create pipe p7 as copy into r7 from @st/in7/ ${opt}`)).rejects.toThrow(/not supported in a pipe definition/);
    }
    await expect(q('create pipe p7 as copy into missing_t from @st/in7/')).rejects.toThrow(/does not exist/);
    expect((await q('show pipes like \'P7\'')).rows).toEqual([]);
  });

  it('PV-6: a fresh running pipe reports the minimal status; SHOW / DESCRIBE PIPE', async () => {
    await q('create table r6 (a int)');
    await q("create pipe p6 auto_ingest = true comment = 'six' as copy into r6 from @st/in6/");
    expect(String((await q("select system$pipe_status('p6')")).rows[0]![0])).toBe('{"executionState":"RUNNING","pendingFileCount":0}');
    const show = await q("show pipes like 'P6'");
    const cols = show.columns.map((c) => c.name);
    expect(cols.slice(0, 8)).toEqual(['created_on', 'name', 'database_name', 'schema_name', 'definition', 'owner', 'notification_channel', 'comment']);
    const row = show.rows[0]!;
    expect(row[cols.indexOf('definition')]).toBe('copy into r6 from @st/in6/');
    expect(row[cols.indexOf('comment')]).toBe('six');
    expect((await q('describe pipe p6')).rows[0]![1]).toBe('P6');
  });

  it('PV-1: once per name; modified files ignored, even by REFRESH; CREATE OR REPLACE resets the history', async () => {
    await q('create table r1 (a int, b string)');
    await q('create pipe p1 auto_ingest = true as copy into r1 from @st/in1/');
    file('in1/a.csv', '1,x\n2,y\n');
    await settle(async () => (await count('r1')) === 2);
    const st = await status('p1');
    expect(st.lastIngestedFilePath).toBe('in1/a.csv');
    const hist = await q("select file_name, status, pipe_name, row_count, pipe_received_time is not null from table(information_schema.copy_history(table_name => 'R1', start_time => dateadd(hours, -1, current_timestamp())))");
    expect(hist.rows).toEqual([['in1/a.csv', 'Loaded', 'P1', 2, true]]);
    file('in1/a.csv', '3,x\n4,y\n5,z\n');
    await new Promise((r) => setTimeout(r, 300));
    await engine.pipes.drain();
    expect(await count('r1')).toBe(2);
    expect((await q('alter pipe p1 refresh')).rows).toEqual([]);
    await engine.pipes.drain();
    expect(await count('r1')).toBe(2);
    await q('create or replace pipe p1 auto_ingest = true as copy into r1 from @st/in1/');
    const refreshed = await q('alter pipe p1 refresh');
    expect(refreshed.columns.map((c) => c.name)).toEqual(['File', 'Status']);
    expect(refreshed.rows).toEqual([['in1/a.csv', 'SENT']]);
    await settle(async () => (await count('r1')) === 5);
    // The replaced pipe's history is gone from COPY_HISTORY; the new pipe's load is there.
    const h2 = await q("select status, row_count from table(information_schema.copy_history(table_name => 'R1', start_time => dateadd(hours, -1, current_timestamp())))");
    expect(h2.rows).toEqual([['Loaded', 3]]);
  });

  it('PV-2: a failed file is remembered (SKIP_FILE default); a manual COPY loads it', async () => {
    await q('create table r2 (a int, b string)');
    await q('create pipe p2 auto_ingest = true as copy into r2 from @st/in2/');
    file('in2/bad.csv', '1,x\nnope,y\n');
    await settle(async () => (await q("select count(*) from table(information_schema.copy_history(table_name => 'R2', start_time => dateadd(hours, -1, current_timestamp()))) where status = 'Load failed'")).rows[0]![0] === 1);
    expect(await count('r2')).toBe(0);
    const h = await q("select status, error_count, first_error_message from table(information_schema.copy_history(table_name => 'R2', start_time => dateadd(hours, -1, current_timestamp())))");
    expect(h.rows).toEqual([['Load failed', 1, "Numeric value 'nope' is not recognized"]]);
    const v = await q("select error, file, line, column_name, rejected_record from table(information_schema.validate_pipe_load(pipe_name => 'P2', start_time => dateadd(hours, -1, current_timestamp())))");
    expect(v.rows).toEqual([["Numeric value 'nope' is not recognized", 's3://b/in2/bad.csv', 2, '"R2"["A":1]', 'nope,y']]);
    file('in2/bad.csv', '1,x\n2,y\n');
    await new Promise((r) => setTimeout(r, 300));
    expect((await q('alter pipe p2 refresh')).rows).toEqual([]);
    await engine.pipes.drain();
    expect(await count('r2')).toBe(0);
    await q("copy into r2 from @st/in2/ files=('bad.csv')");
    expect(await count('r2')).toBe(2);
  });

  it('PV-3: REFRESH only queues files modified within 7 days (MODIFIED_AFTER is clamped)', async () => {
    await q('create table r3 (a int)');
    await q('create pipe p3 as copy into r3 from @st/in3/');
    file('in3/old.csv', '1\n');
    file('in3/new.csv', '2\n');
    const eightDays = (Date.now() - 8 * 86_400_000) / 1000;
    utimesSync(join(dir, 'bucket', 'in3/old.csv'), eightDays, eightDays);
    const r = await q("alter pipe p3 refresh modified_after = '2000-01-01T00:00:00Z'");
    expect(r.rows).toEqual([['in3/new.csv', 'SENT']]);
    await settle(async () => (await count('r3')) === 1);
    expect((await q('select a from r3')).rows).toEqual([[2]]);
  });

  it('PV-4: bulk COPY and pipe histories are separate (duplicates)', async () => {
    await q('create table r4 (a int)');
    await q('create pipe p4 auto_ingest = true as copy into r4 from @st/in4/');
    file('in4/f.csv', '1\n2\n');
    await settle(async () => (await count('r4')) === 2);
    await q('copy into r4 from @st/in4/');
    expect(await count('r4')).toBe(4);
  });

  it('PV-5: paused pipes queue but do not load; resume loads; 14 days paused needs FORCE_RESUME', async () => {
    await q('create table r5 (a int)');
    await q('create pipe p5 auto_ingest = true as copy into r5 from @st/in5/');
    await q('alter pipe p5 set pipe_execution_paused = true');
    file('in5/a.csv', '1\n');
    await settle(async () => (await status('p5')).pendingFileCount === 1);
    const st = await status('p5');
    expect(st.executionState).toBe('PAUSED');
    expect(st.oldestPendingFilePath).toBe('in5/a.csv');
    expect(await count('r5')).toBe(0);
    await q('alter pipe p5 set pipe_execution_paused = false');
    await settle(async () => (await count('r5')) === 1);
    expect((await status('p5')).executionState).toBe('RUNNING');
    await q('alter pipe p5 set pipe_execution_paused = true');
    offset += 15 * 86_400_000;
    try {
      await expect(q('alter pipe p5 set pipe_execution_paused = false')).rejects.toThrow(/stale/);
      await expect(q("select system$pipe_force_resume('p5')")).rejects.toThrow(/staleness_check_override/);
      expect((await q("select system$pipe_force_resume('p5', 'staleness_check_override')")).rows).toEqual([['Pipe successfully resumed']]);
      expect((await status('p5')).executionState).toBe('RUNNING');
    } finally {
      offset -= 15 * 86_400_000;
    }
  });

  it('PV-8: overlapping pipes both load a file', async () => {
    await q('create table r8a (a int)');
    await q('create table r8b (a int)');
    await q('create pipe p8a auto_ingest = true as copy into r8a from @st/p1/');
    await q('create pipe p8b auto_ingest = true as copy into r8b from @st/p1/p2/');
    file('p1/p2/x.csv', '7\n');
    await settle(async () => (await count('r8a')) === 1 && (await count('r8b')) === 1);
  });

  it('PIPE_USAGE_HISTORY totals the pipes\' loads; DROP PIPE removes its history', async () => {
    const u = await q("select sum(files_inserted), sum(bytes_inserted) > 0, max(pipe_name) from table(information_schema.pipe_usage_history(date_range_start => dateadd(minutes, -30, current_timestamp()), pipe_name => 'P4'))");
    expect(u.rows).toEqual([[1, true, `${'FLOE'}.PUBLIC.P4`]]);
    await q('drop pipe p4');
    const h = await q("select count(*) from table(information_schema.copy_history(table_name => 'R4', start_time => dateadd(hours, -1, current_timestamp()))) where pipe_name is not null");
    expect(h.rows).toEqual([[0]]);
    await expect(q("select system$pipe_status('p4')")).rejects.toThrow(/does not exist/);
  });
});
