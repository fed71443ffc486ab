/**
 * Task bodies that are Snowflake Scripting blocks or CALLs of procedures run through session.run like any
 * other statement (the task runner's contract).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { ManualClock } from '../support/manual-clock.js';

let engine: Engine | undefined;
afterAll(async () => engine?.close());

const settle = async (e: Engine): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await e.idle();
  }
};

describe('task bodies', () => {
  it('runs a BEGIN … END block with LET, IF and BEGIN TRANSACTION … COMMIT, and a CALL of a JavaScript procedure', async () => {
    engine = await openEngine({ database: ':memory:', clock: new ManualClock(Date.parse('2026-01-05T09:00:00Z')) });
    const s = await engine.session();
    await s.query(`CREATE TABLE src (id INT, v VARCHAR); CREATE STREAM src_s ON TABLE src;
      CREATE TABLE sink (id INT, v VARCHAR); CREATE TABLE audit (n INT);
      CREATE PROCEDURE note(n FLOAT) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
        snowflake.execute({sqlText: 'INSERT INTO audit VALUES (?)', binds: [N]});
        return 'noted';
      $$;
      CREATE TASK load_sink SCHEDULE = '1 MINUTE' AS
      DECLARE
        pending INT;
      BEGIN
        SELECT count(*) INTO :pending FROM src_s;
        IF (pending > 0) THEN
          BEGIN TRANSACTION;
          INSERT INTO sink SELECT id, v FROM src_s;
          LET copied := SQLROWCOUNT;
          COMMIT;
          CALL note(:copied);
        END IF;
        RETURN pending;
      END;
      CREATE TASK call_task SCHEDULE = '1 MINUTE' AS CALL note(-1);
      INSERT INTO src VALUES (1, 'a'), (2, 'b');`);
    await s.query('EXECUTE TASK load_sink');
    await s.query('EXECUTE TASK call_task');
    await settle(engine);
    const history = await s.query(`SELECT name, state, error_message FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) ORDER BY name`);
    expect(history[0].rows).toEqual([['CALL_TASK', 'SUCCEEDED', null], ['LOAD_SINK', 'SUCCEEDED', null]]);
    expect((await s.query('SELECT id, v FROM sink ORDER BY id'))[0].rows).toEqual([[1, 'a'], [2, 'b']]);
    expect((await s.query('SELECT n FROM audit ORDER BY n'))[0].rows).toEqual([[-1], [2]]);
    expect((await s.query('SELECT count(*) FROM src_s'))[0].rows).toEqual([[0]]);
  });
});
