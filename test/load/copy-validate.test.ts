/** CV-12 VALIDATION_MODE and VALIDATE(t, JOB_ID) against the real engine (DuckDB) and a local bucket. */
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-validate-'));
  mkdirSync(join(dir, 'bucket'), { recursive: true });
  writeFileSync(join(dir, 'bucket', 'v.csv'), '1,10\n2,7-\n3,30\n4,x\n');
  engine = await openEngine({ database: ':memory:', storage: { buckets: { b: { type: 'local', path: join(dir, 'bucket') } } } });
  s = await engine.session();
  await q("create stage st url='s3://b/'");
  await q('create table t (id int, qty number(10,0))');
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const ERROR_COLUMNS = ['ERROR', 'FILE', 'LINE', 'CHARACTER', 'BYTE_OFFSET', 'CATEGORY', 'CODE', 'SQL_STATE', 'COLUMN_NAME', 'ROW_NUMBER', 'ROW_START_LINE'];

describe('VALIDATION_MODE and VALIDATE', () => {
  it('RETURN_ERRORS lists every error and loads nothing', async () => {
    const r = await q("copy into t from @st files=('v.csv') validation_mode = 'RETURN_ERRORS'");
    expect(r.columns.map((c) => c.name)).toEqual(ERROR_COLUMNS);
    expect(r.rows).toEqual([
      ["Numeric value '7-' is not recognized", 's3://b/v.csv', 2, 3, null, 'conversion', 100038, '22018', '"T"["QTY":2]', 2, 2],
      ["Numeric value 'x' is not recognized", 's3://b/v.csv', 4, 3, null, 'conversion', 100038, '22018', '"T"["QTY":2]', 4, 4],
    ]);
    expect((await q('select count(*) from t')).rows).toEqual([[0]]);
  });

  it('RETURN_n_ROWS returns rows as they would load and fails at the first error', async () => {
    const r = await q("copy into t from @st files=('v.csv') validation_mode = return_1_rows");
    expect(r.columns.map((c) => c.name)).toEqual(['ID', 'QTY']);
    expect(r.rows).toEqual([[1, 10]]);
    await expect(q("copy into t from @st files=('v.csv') validation_mode = return_2_rows")).rejects.toThrow(/^Numeric value '7-' is not recognized\n {2}File 's3:\/\/b\/v.csv', line 2/);
    expect((await q('select count(*) from t')).rows).toEqual([[0]]);
  });

  it("VALIDATE(t, JOB_ID => '_last') returns the errors of the session's last COPY; RETURN_ALL_ERRORS sees loaded files", async () => {
    const copy = await s.query("copy into t from @st files=('v.csv') on_error = continue");
    expect(copy[0]!.rows[0]!.slice(0, 4)).toEqual(['s3://b/v.csv', 'PARTIALLY_LOADED', 4, 2]);
    const v = await q("select error, line, rejected_record from table(validate(t, job_id => '_last'))");
    expect(v.rows).toEqual([
      ["Numeric value '7-' is not recognized", 2, '2,7-'],
      ["Numeric value 'x' is not recognized", 4, '4,x'],
    ]);
    const byId = await q(`select count(*) from table(validate(t, job_id => '${copy[0]!.queryId}'))`);
    expect(byId.rows).toEqual([[2]]);
    expect((await q("copy into t from @st files=('v.csv') validation_mode = 'RETURN_ERRORS'")).rows).toEqual([]);
    expect((await q("copy into t from @st files=('v.csv') validation_mode = 'RETURN_ALL_ERRORS'")).rows).toHaveLength(2);
    await expect(q("select * from table(validate(t, job_id => 'nope'))")).rejects.toThrow(/Invalid job ID/);
  });
});
