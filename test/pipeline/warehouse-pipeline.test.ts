/**
 * The warehouse half of the seed pipeline, event-driven end to end: a CSV file lands in the bucket → the pipe
 * loads it into the staging table → the commit wakes the triggered task → the task's block consumes the stream
 * into an SCD1 table and an SCD2 history table in one transaction. No polling anywhere; the test waits for the
 * task run to be recorded.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-wh-pipeline-'));
const bucket = join(dir, 'bucket');
mkdirSync(join(bucket, 'stream'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROJECT_SQL = `
CREATE DATABASE scd_demo; CREATE SCHEMA scd_demo.scd2; USE SCHEMA scd_demo.scd2;
CREATE FILE FORMAT csv_format TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"';
CREATE STAGE customer_ext_stage URL = 's3://floe-demo/stream/' FILE_FORMAT = (FORMAT_NAME = 'csv_format');
CREATE TABLE customer_raw (customer_id NUMBER, name STRING, op STRING, updated_at TIMESTAMP_NTZ);
CREATE PIPE customer_s3_pipe AUTO_INGEST = TRUE AS COPY INTO customer_raw FROM @customer_ext_stage;
CREATE STREAM customer_changes ON TABLE customer_raw APPEND_ONLY = TRUE;
CREATE TABLE customer (customer_id NUMBER, name STRING, updated_at TIMESTAMP_NTZ);
CREATE TABLE customer_history (customer_id NUMBER, name STRING, start_time TIMESTAMP_NTZ, end_time TIMESTAMP_NTZ, is_current BOOLEAN);
CREATE TASK apply_changes WHEN SYSTEM$STREAM_HAS_DATA('CUSTOMER_CHANGES') AS
BEGIN
  BEGIN TRANSACTION;
  -- Latest event per key in this batch (both statements read the same stream rows: repeatable read).
  MERGE INTO customer c
    USING (SELECT * FROM customer_changes QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1) s
    ON c.customer_id = s.customer_id
    WHEN MATCHED AND s.op = 'D' THEN DELETE
    WHEN MATCHED THEN UPDATE SET name = s.name, updated_at = s.updated_at
    WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT (customer_id, name, updated_at) VALUES (s.customer_id, s.name, s.updated_at);
  UPDATE customer_history h SET end_time = s.updated_at, is_current = FALSE
    FROM (SELECT customer_id, MIN(updated_at) AS updated_at FROM customer_changes GROUP BY customer_id) s
    WHERE h.customer_id = s.customer_id AND h.is_current;
  INSERT INTO customer_history
    SELECT customer_id, name, updated_at,
           COALESCE(LEAD(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at), '9999-12-31 00:00:00'::TIMESTAMP_NTZ),
           LEAD(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) IS NULL
    FROM customer_changes WHERE op <> 'D';
  COMMIT;
END;
ALTER TASK apply_changes RESUME;`;

function land(name: string, rows: string[]): void {
  // Written under a temporary name and renamed, as the generator and the flow do.
  const tmp = join(bucket, 'stream', `.${name}.tmp`);
  writeFileSync(tmp, ['customer_id,name,op,updated_at', ...rows].join('\n') + '\n');
  renameSync(tmp, join(bucket, 'stream', name));
}

async function waitForRuns(e: Engine, s: Session, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await e.idle();
    const [r] = await s.query("SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY()) WHERE state = 'SUCCEEDED'");
    if (Number(r.rows[0][0]) >= n) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  const [h] = await s.query('SELECT state, error_message FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY())');
  throw new Error(`task did not run ${n} time(s): ${JSON.stringify(h.rows)}`);
}

describe('file → pipe → stream → triggered task → SCD1 + SCD2', () => {
  it('keeps both targets current as files arrive, event-driven', { timeout: 60_000 }, async () => {
    const e = await openEngine({ database: join(dir, 'wh.duckdb'), projectDir: dir, storage: { buckets: { 'floe-demo': { type: 'local', path: bucket } } }, tasks: { minTriggerIntervalSeconds: 0 } });
    try {
      const s = await e.session();
      await s.query(PROJECT_SQL);
      await e.pipes.start({ reconcileMs: 0 });
      land('customer_1.csv', ['1,Ada,I,2026-01-01 10:00:00', '2,Bob,I,2026-01-01 10:00:00']);
      await waitForRuns(e, s, 1);
      land('customer_2.csv', ['1,Ada Lovelace,U,2026-01-02 10:00:00', '2,Bob,D,2026-01-02 11:00:00', '3,Cy,I,2026-01-02 12:00:00']);
      await waitForRuns(e, s, 2);
      const [scd1] = await s.query('SELECT customer_id, name FROM customer ORDER BY 1');
      expect(scd1.rows).toEqual([[1, 'Ada Lovelace'], [3, 'Cy']]);
      const [scd2] = await s.query("SELECT customer_id, name, start_time::VARCHAR, end_time::VARCHAR, is_current FROM customer_history ORDER BY 1, 3");
      expect(scd2.rows).toEqual([
        [1, 'Ada', '2026-01-01 10:00:00.000', '2026-01-02 10:00:00.000', false],
        [1, 'Ada Lovelace', '2026-01-02 10:00:00.000', '9999-12-31 00:00:00.000', true],
        [2, 'Bob', '2026-01-01 10:00:00.000', '2026-01-02 11:00:00.000', false],
        [3, 'Cy', '2026-01-02 12:00:00.000', '9999-12-31 00:00:00.000', true],
      ]);
      const [left] = await s.query('SELECT COUNT(*) FROM customer_changes');
      expect(left.rows).toEqual([[0]]);
    } finally {
      await e.close();
    }
  });
});
