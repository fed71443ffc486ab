/**
 * Task vectors TV-1…TV-12 (reference §8.2) and scheduler behaviour, driven by a manual clock (no sleeping).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { ManualClock } from '../support/manual-clock.js';

const T0 = Date.parse('2026-01-05T09:03:00Z');
const dir = mkdtempSync(join(tmpdir(), 'floe-tasks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function setup(options: { minTriggerIntervalSeconds?: number; database?: string; clock?: ManualClock } = {}): Promise<{ e: Engine; s: Session; clock: ManualClock }> {
  const clock = options.clock ?? new ManualClock(T0);
  const tasks = options.minTriggerIntervalSeconds !== undefined ? { minTriggerIntervalSeconds: options.minTriggerIntervalSeconds } : {};
  engine = await openEngine({ database: options.database ?? ':memory:', clock, tasks });
  const s = await engine.session();
  return { e: engine, s, clock };
}

const settle = async (e: Engine): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await e.idle();
  }
};

async function rows(s: Session, sql: string): Promise<unknown[][]> {
  const r = await s.query(sql);
  return r[r.length - 1].rows;
}

const history = (s: Session, where = 'TRUE'): Promise<unknown[][]> =>
  rows(s, `SELECT name, state, scheduled_from FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE ${where} ORDER BY scheduled_time, query_start_time NULLS LAST, name`);

describe('task lifecycle', () => {
  it('TV-1: created suspended, no history', async () => {
    const { s } = await setup();
    await s.query("CREATE TASK k WAREHOUSE = wh SCHEDULE = '5 MINUTES' AS SELECT 1");
    await s.query('SHOW TASKS');
    expect(await rows(s, 'SELECT "name", "state", "last_committed_on", "schedule", "warehouse" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))')).toEqual([['K', 'suspended', null, '5 MINUTES', 'WH']]);
    expect(await history(s)).toEqual([]);
  });

  it('TV-2: interval schedules count from the resume time', async () => {
    const { e, s, clock } = await setup();
    await s.query("CREATE TABLE ticks (at TIMESTAMP_LTZ); CREATE TASK k SCHEDULE = '10 MINUTES' AS INSERT INTO ticks SELECT CURRENT_TIMESTAMP()");
    await s.query('ALTER TASK k RESUME');
    expect(await rows(s, "SELECT state, scheduled_time::VARCHAR FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())")).toEqual([['SCHEDULED', expect.stringMatching(/^2026-01-05 01:13:00/)]]);
    await clock.advance(9 * 60_000, () => settle(e));
    expect(await rows(s, 'SELECT COUNT(*) FROM ticks')).toEqual([[0]]);
    await clock.advance(60_000, () => settle(e));
    await clock.advance(10 * 60_000, () => settle(e));
    await settle(e);
    expect(await history(s, "state <> 'SCHEDULED'")).toEqual([
      ['K', 'SUCCEEDED', 'SCHEDULE'],
      ['K', 'SUCCEEDED', 'SCHEDULE'],
    ]);
    expect(await rows(s, "SELECT scheduled_time::VARCHAR FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE state = 'SCHEDULED'")).toEqual([[expect.stringMatching(/^2026-01-05 01:33:00/)]]);
  });

  it('TV-3: schedule validation', async () => {
    const { s } = await setup();
    await expect(s.query("CREATE TASK k SCHEDULE = '9 SECONDS' AS SELECT 1")).rejects.toThrow(/Invalid value \['9 SECONDS'\] for parameter 'SCHEDULE'/);
    await expect(s.query("CREATE TASK k SCHEDULE = '11521 MINUTES' AS SELECT 1")).rejects.toThrow(/SCHEDULE/);
    await s.query("CREATE TASK k1 SCHEDULE = '1 M' AS SELECT 1; CREATE TASK k2 SCHEDULE = '192 HOURS' AS SELECT 1; CREATE TASK k3 SCHEDULE = 'USING CRON 0/5 * * * * UTC' AS SELECT 1");
  });

  it('TV-4: cron first run is the next occurrence after resume', async () => {
    const { s, clock } = await setup({ clock: new ManualClock(Date.parse('2026-01-05T00:00:05Z')) });
    await s.query("CREATE TASK k SCHEDULE = 'USING CRON 0 0 * * * UTC' AS SELECT 1; ALTER TASK k RESUME");
    expect(clock.nextTimer()).toBe(Date.parse('2026-01-06T00:00:00Z'));
  });
});

describe('WHEN, failures, timeouts', () => {
  it('TV-5: WHEN FALSE is SKIPPED and does not run the body; with data it runs and consumes', async () => {
    const { e, s } = await setup();
    await s.query(`CREATE TABLE t (id INT); CREATE STREAM st ON TABLE t; CREATE TABLE sink (id INT);
      CREATE TASK k SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('ST') AS INSERT INTO sink SELECT id FROM st;
      CREATE TASK child AFTER k AS INSERT INTO sink VALUES (-1); ALTER TASK child RESUME;`);
    await s.query('EXECUTE TASK k');
    await settle(e);
    expect(await history(s)).toEqual([['K', 'SKIPPED', 'EXECUTE_TASK']]);
    await s.query('INSERT INTO t VALUES (1)');
    await s.query('EXECUTE TASK k');
    await settle(e);
    expect(await history(s, "state <> 'SKIPPED'")).toEqual([
      ['CHILD', 'SUCCEEDED', 'EXECUTE_TASK'],
      ['K', 'SUCCEEDED', 'EXECUTE_TASK'],
    ]);
    expect(await rows(s, 'SELECT COUNT(*) FROM st')).toEqual([[0]]);
    expect(await rows(s, 'SELECT id FROM sink ORDER BY id')).toEqual([[-1], [1]]);
  });

  it('TV-6: consecutive failures auto-suspend the task', async () => {
    const { e, s, clock } = await setup();
    await s.query("CREATE TASK k SCHEDULE = '1 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 3 AS SELECT * FROM no_such_table; ALTER TASK k RESUME");
    for (let i = 0; i < 4; i++) await clock.advance(60_000, () => settle(e));
    await settle(e);
    expect(await history(s, "state <> 'SCHEDULED'")).toEqual([
      ['K', 'FAILED', 'SCHEDULE'],
      ['K', 'FAILED', 'SCHEDULE'],
      ['K', 'FAILED_AND_AUTO_SUSPENDED', 'SCHEDULE'],
    ]);
    await s.query('SHOW TASKS');
    expect(await rows(s, 'SELECT "state", "last_suspended_reason" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))')).toEqual([['suspended', 'SUSPENDED_DUE_TO_ERRORS']]);
  });

  it('TV-7: a run longer than USER_TASK_TIMEOUT_MS is cancelled and FAILED', async () => {
    const { e, s, clock } = await setup();
    await s.query('CREATE TABLE big (v INT); INSERT INTO big VALUES (1)');
    for (let i = 0; i < 10; i++) await s.query('INSERT INTO big SELECT v + 1 FROM big');
    // 1024^4 rows: runs until interrupted.
    await s.query('CREATE TASK k USER_TASK_TIMEOUT_MS = 1000 AS SELECT COUNT(*) FROM big a, big b, big c, big d');
    await s.query('EXECUTE TASK k');
    // Wait (real time) until the run has armed its timeout, then let the manual clock reach it; the runner
    // keeps interrupting until the running statement stops.
    while (clock.nextTimer() === undefined) await new Promise((r) => setTimeout(r, 10));
    await clock.advance(1000);
    await settle(e);
    expect(await rows(s, 'SELECT state, error_message FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())')).toEqual([
      ['FAILED', 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.'],
    ]);
  });
});

describe('graphs', () => {
  const GRAPH = `CREATE TABLE log (name STRING);
    CREATE TASK root SCHEDULE = '1 MINUTE' AS INSERT INTO log VALUES ('root');
    CREATE TASK a AFTER root AS INSERT INTO log VALUES ('a');
    CREATE TASK b AFTER root AS INSERT INTO log VALUES ('b');
    CREATE TASK c AFTER a, b AS INSERT INTO log VALUES ('c');
    CREATE TASK f FINALIZE = root AS INSERT INTO log VALUES ('f');`;

  it('TV-8: EXECUTE TASK on a suspended root runs resumed children, skips suspended ones; a child cannot be executed', async () => {
    const { e, s } = await setup();
    await s.query(GRAPH);
    await s.query('ALTER TASK a RESUME');
    await s.query('EXECUTE TASK root');
    await settle(e);
    expect((await rows(s, 'SELECT name FROM log ORDER BY name')).flat()).toEqual(['a', 'c', 'root'].filter((n) => n !== 'c'));
    await s.query('SHOW TASKS LIKE \'ROOT\'');
    expect(await rows(s, 'SELECT "state" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))')).toEqual([['suspended']]);
    await expect(s.query('EXECUTE TASK a')).rejects.toThrow(/standalone or root task/);
  });

  it('TV-9: a started graph cannot be modified', async () => {
    const { s } = await setup();
    await s.query(GRAPH);
    await s.query('ALTER TASK root RESUME');
    await expect(s.query('ALTER TASK root MODIFY AS SELECT 2')).rejects.toThrow(/not suspended/);
    await expect(s.query('ALTER TASK c ADD AFTER root')).rejects.toThrow(/not suspended/);
  });

  it('TV-11/TV-12: a failing child stops its descendants; the finalizer still runs; dependents enable', async () => {
    const { e, s } = await setup();
    await s.query(GRAPH);
    await s.query('ALTER TASK a MODIFY AS SELECT * FROM no_such_table');
    await s.query("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('root')");
    await s.query('SHOW TASKS');
    expect((await rows(s, 'SELECT "name", "state" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) ORDER BY 1'))).toEqual([
      ['A', 'started'], ['B', 'started'], ['C', 'started'], ['F', 'started'], ['ROOT', 'started'],
    ]);
    await s.query('EXECUTE TASK root');
    await settle(e);
    expect((await rows(s, 'SELECT name FROM log ORDER BY name')).flat()).toEqual(['b', 'f', 'root']);
    expect(await history(s, "state NOT IN ('SCHEDULED')")).toEqual(
      expect.arrayContaining([['A', 'FAILED', 'EXECUTE_TASK'], ['F', 'SUCCEEDED', 'EXECUTE_TASK']]),
    );
  });

  it('passes return values and graph config; RETRY LAST reruns only what failed', async () => {
    const { e, s } = await setup();
    await s.query(`CREATE TABLE out (v STRING);
      CREATE TASK r CONFIG = '{"env": "test"}' AS CALL SYSTEM$SET_RETURN_VALUE('from-r');
      CREATE TASK x AFTER r AS INSERT INTO out SELECT SYSTEM$GET_PREDECESSOR_RETURN_VALUE('R') || '/' || SYSTEM$GET_TASK_GRAPH_CONFIG('env');
      ALTER TASK x RESUME;`);
    await s.query('EXECUTE TASK r');
    await settle(e);
    expect(await rows(s, 'SELECT v FROM out')).toEqual([['from-r/test']]);
    await expect(s.query('EXECUTE TASK r RETRY LAST')).rejects.toThrow(/did not fail/);
  });
});

describe('triggered tasks', () => {
  it('TV-10: runs when a commit gives its stream data, schedule NULL, SCHEDULED_FROM = TRIGGER', async () => {
    const { e, s } = await setup({ minTriggerIntervalSeconds: 0 });
    await s.query(`CREATE TABLE t (id INT); CREATE STREAM st ON TABLE t; CREATE TABLE sink (id INT);
      CREATE TASK tt WAREHOUSE = wh WHEN SYSTEM$STREAM_HAS_DATA('ST') AS INSERT INTO sink SELECT id FROM st;
      ALTER TASK tt RESUME;`);
    await settle(e);
    expect(await history(s)).toEqual([]); // no data: nothing ran, nothing recorded
    await s.query('INSERT INTO t VALUES (1)');
    await settle(e);
    await s.query('INSERT INTO t VALUES (2)');
    await settle(e);
    expect(await rows(s, 'SELECT id FROM sink ORDER BY id')).toEqual([[1], [2]]);
    expect(await history(s)).toEqual([
      ['TT', 'SUCCEEDED', 'TRIGGER'],
      ['TT', 'SUCCEEDED', 'TRIGGER'],
    ]);
    await s.query('SHOW TASKS');
    expect(await rows(s, 'SELECT "schedule" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))')).toEqual([[null]]);
  });

  it('reports finished runs and failed ones as task-run events (a commit before a run start is in that run)', async () => {
    const { e, s, clock } = await setup({ minTriggerIntervalSeconds: 0 });
    const events: import('../../src/engine/engine-api.js').TaskRunEvent[] = [];
    const off = e.onTaskRun((r) => events.push(r));
    await s.query(`CREATE TABLE t (id INT); CREATE STREAM st ON TABLE t; CREATE TABLE sink (id INT);
      CREATE TASK tt WHEN SYSTEM$STREAM_HAS_DATA('ST') AS INSERT INTO sink SELECT 10 / (id - 2) FROM st;
      ALTER TASK tt RESUME;`);
    const committed = clock.now();
    await s.query('INSERT INTO t VALUES (1)');
    await settle(e);
    await s.query('INSERT INTO t VALUES (2)');
    await settle(e);
    off();
    // Triggered checks that found the stream empty come as SKIPPED (they prove earlier loads were applied).
    const runs = events.filter((r) => r.state !== 'SKIPPED');
    expect(runs.map((r) => [r.task, r.state, r.scheduledFrom])).toEqual([
      ['FLOE.PUBLIC.TT', 'SUCCEEDED', 'TRIGGER'],
      ['FLOE.PUBLIC.TT', 'FAILED', 'TRIGGER'],
    ]);
    expect(runs[0]!.startedMs).toBeGreaterThanOrEqual(committed);
    expect(runs[0]!.completedMs).toBeGreaterThanOrEqual(runs[0]!.startedMs);
    expect(runs[1]!.errorMessage).toMatch(/Division by zero/);
  });

  it('honours the minimum trigger interval (changes arriving faster are batched)', async () => {
    const { e, s, clock } = await setup();
    await s.query(`CREATE TABLE t (id INT); CREATE STREAM st ON TABLE t; CREATE TABLE sink (id INT);
      CREATE TASK tt USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = 10 WHEN SYSTEM$STREAM_HAS_DATA('ST') AS INSERT INTO sink SELECT id FROM st;
      ALTER TASK tt RESUME;`);
    await s.query('INSERT INTO t VALUES (1)');
    await settle(e);
    await clock.advance(5_000, () => settle(e));
    await s.query('INSERT INTO t VALUES (2)');
    await s.query('INSERT INTO t VALUES (3)');
    await settle(e);
    expect(await rows(s, 'SELECT COUNT(*) FROM sink')).toEqual([[1]]);
    await clock.advance(5_000, () => settle(e));
    await settle(e);
    expect(await rows(s, 'SELECT id FROM sink ORDER BY id')).toEqual([[1], [2], [3]]);
    expect((await history(s)).length).toBe(2);
  });
});

describe('restarts', () => {
  it('keeps task state, re-plans schedules and never records an interrupted run as succeeded', async () => {
    const database = join(dir, 'restart.duckdb');
    const clock = new ManualClock(T0);
    {
      const { s } = await setup({ database, clock });
      await s.query("CREATE TASK k SCHEDULE = '10 MINUTES' AS SELECT 1; ALTER TASK k RESUME");
      await engine?.close();
      engine = undefined;
    }
    const { e, s } = await setup({ database, clock });
    expect(clock.nextTimer()).toBe(T0 + 10 * 60_000);
    await clock.advance(10 * 60_000, () => settle(e));
    await settle(e);
    expect(await history(s, "state <> 'SCHEDULED'")).toEqual([['K', 'SUCCEEDED', 'SCHEDULE']]);
  });
});

describe('overlap, cancellation and retries', () => {
  const SLOW_GRAPH = (policy: string): string => `CREATE TABLE big (v INT); INSERT INTO big VALUES (1);
    CREATE TABLE log (name STRING);
    CREATE TASK r SCHEDULE = '1 MINUTE' OVERLAP_POLICY = ${policy} AS INSERT INTO log VALUES ('r');
    CREATE TASK slow AFTER r AS SELECT COUNT(*) FROM big a, big b, big c, big d;
    ALTER TASK slow RESUME; ALTER TASK r RESUME;`;

  async function untilExecuting(s: Session, n: number): Promise<void> {
    for (;;) {
      const [[c]] = await rows(s, "SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE name = 'SLOW' AND state = 'EXECUTING'");
      if (Number(c) >= n) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  for (const [policy, rootRuns] of [['NO_OVERLAP', 1], ['ALLOW_CHILD_OVERLAP', 2]] as const) {
    it(`${policy}: a due time while the graph still runs ${rootRuns === 1 ? 'is skipped' : 'starts a new graph run'}; cancellation stops the children`, async () => {
      const { e, s, clock } = await setup();
      await s.query(SLOW_GRAPH(policy));
      for (let i = 0; i < 10; i++) await s.query('INSERT INTO big SELECT v + 1 FROM big');
      await clock.advance(60_000);
      await untilExecuting(s, 1);
      await clock.advance(60_000);
      if (rootRuns === 2) await untilExecuting(s, 2);
      expect(await rows(s, 'SELECT COUNT(*) FROM log')).toEqual([[rootRuns]]);
      await s.query('ALTER TASK r SUSPEND');
      expect(await rows(s, "SELECT SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS('r')")).toEqual([[`${rootRuns} task run(s) cancelled.`]]);
      await settle(e);
      expect(await rows(s, "SELECT state, COUNT(*) FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE name = 'SLOW' GROUP BY state")).toEqual([['CANCELLED', rootRuns]]);
    });
  }

  it('RETRY LAST re-runs only the failed part; TASK_AUTO_RETRY_ATTEMPTS retries automatically', async () => {
    const { e, s } = await setup();
    await s.query(`CREATE TABLE log (name STRING);
      CREATE TASK r AS INSERT INTO log VALUES ('r');
      CREATE TASK c AFTER r AS INSERT INTO log SELECT 'c' FROM missing_table;
      ALTER TASK c RESUME;`);
    await s.query('EXECUTE TASK r');
    await settle(e);
    await s.query("CREATE TABLE missing_table (x INT); INSERT INTO missing_table VALUES (1)");
    await s.query('EXECUTE TASK r RETRY LAST');
    await settle(e);
    expect((await rows(s, 'SELECT name FROM log ORDER BY name')).flat()).toEqual(['c', 'r']);
    expect(await rows(s, "SELECT name, state, scheduled_from, attempt_number FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) ORDER BY attempt_number, name DESC")).toEqual([
      ['R', 'SUCCEEDED', 'EXECUTE_TASK', 1],
      ['C', 'FAILED', 'EXECUTE_TASK', 1],
      ['C', 'SUCCEEDED', 'MANUAL RETRY', 2],
    ]);

    await s.query(`DROP TABLE missing_table; ALTER TASK c SUSPEND; ALTER TASK r SET TASK_AUTO_RETRY_ATTEMPTS = 1; ALTER TASK c RESUME`);
    await s.query('EXECUTE TASK r');
    await settle(e);
    expect(await rows(s, "SELECT scheduled_from, attempt_number FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE name = 'C' AND state = 'FAILED' ORDER BY attempt_number")).toEqual([
      ['EXECUTE_TASK', 1],
      ['EXECUTE_TASK', 1],
      ['AUTOMATIC RETRY', 2],
    ]);
  });
});

describe('history retention', () => {
  it('keeps seven days of runs', async () => {
    const { e, s, clock } = await setup();
    await s.query('CREATE TASK k AS SELECT 1');
    await s.query('EXECUTE TASK k');
    await settle(e);
    await clock.advance(8 * 86_400_000);
    await s.query('EXECUTE TASK k');
    await settle(e);
    expect(await rows(s, "SELECT COUNT(*), MIN(scheduled_time)::DATE::VARCHAR FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())")).toEqual([[1, '2026-01-13']]);
  });
});

describe('timeouts stop JavaScript procedures too', () => {
  it('a task calling a looping JS procedure fails at USER_TASK_TIMEOUT_MS', async () => {
    const { e, s, clock } = await setup();
    await s.query(`CREATE PROCEDURE spin() RETURNS STRING LANGUAGE JAVASCRIPT AS $$ for (;;) {} $$;
      CREATE TASK k USER_TASK_TIMEOUT_MS = 1000 AS CALL spin();`);
    await s.query('EXECUTE TASK k');
    while (clock.nextTimer() === undefined) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200)); // the worker is spinning
    await clock.advance(1000);
    await settle(e);
    expect(await rows(s, 'SELECT state FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())')).toEqual([['FAILED']]);
  });
});
