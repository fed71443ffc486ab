/**
 * floe verify end to end on the customer project: generated files with updates, deletes and late events go
 * landing → flow → bucket → pipe → stream → task → SCD tables; verify recomputes the reference fold from the
 * files in the bucket and finds the tables equal. Then each kind of damage is made on a copy of the project and
 * verify must exit 1 and name it: SCD rows deleted or changed, a row lost between file and table, a file never
 * loaded, a loaded file gone from the bucket.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initProject } from '../../src/project/init-project.js';
import { cli, floeChild, generate, startFloeRun, verifyJson, warehouseQuery } from './e2e-harness.js';
import { openEngine } from '../../src/engine/open-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-verify-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = join(dir, 'base');
const stream = (p: string): string => join(p, 'data', 'bucket', 'floe-demo', 'stream');
let events = 0;

/** A copy of the verified project to damage (run --once is the slow part; do it once). */
function copy(name: string): string {
  const p = join(dir, name);
  cpSync(base, p, { recursive: true });
  return p;
}


beforeAll(async () => {
  initProject(base);
  const files = await generate(base, { files: 4, rowsPerFile: 150, customers: 120, seed: 11, updateRatio: 0.6, deleteRatio: 0.12, lateRatio: 0.25 });
  events = files.length * 150;
  expect(files.reduce((a, f) => a + f.counts.D, 0)).toBeGreaterThan(0);
  expect(files.reduce((a, f) => a + f.counts.late, 0)).toBeGreaterThan(0);
  // A file the pipe must skip (a short line: ON_ERROR = SKIP_FILE): listed by verify, no difference.
  writeFileSync(join(base, 'data', 'landing', 'customer_bad.csv'), 'customer_id,first_name,last_name,email,street,city,state,country,op,updated_at\n1,a,b,c@d,st,ci,ST,US,U,not a time\n');
  const run = await cli(['run', '--project', base, '--once']);
  expect(run.code, run.err).toBe(0);
}, 180_000);

describe('floe verify', () => {
  it('passes after generate → run --once (updates, deletes, late events; a failed file is listed, not a difference)', { timeout: 120_000 }, async () => {
    const { code, report, err } = await verifyJson(base);
    expect(err).toBe('');
    expect(report.differences).toBe(0);
    expect(code).toBe(0);
    expect(report.files.files).toBe(4);
    expect(report.events.total).toBe(events);
    expect(report.files.failed.map((f) => f.file)).toEqual(['customer_bad.csv']);
    expect(report.tables.map((t) => [t.kind, t.table, t.expected === t.found, t.expected > 0])).toEqual([
      ['scd1', 'SCD_DEMO.SCD2.CUSTOMER', true, true],
      ['scd2', 'SCD_DEMO.SCD2.CUSTOMER_HISTORY', true, true],
    ]);
    // Late events and deletes make history longer than the current state.
    expect(report.tables[1]!.expected).toBeGreaterThan(report.tables[0]!.expected);
    const text = await cli(['verify', '--project', base]);
    expect(text.out).toContain('OK: the SCD tables equal the reference fold');
    expect(text.out).toContain('customer_bad.csv');
  });

  it('names SCD rows that were deleted or changed (exit 1)', { timeout: 120_000 }, async () => {
    const p = copy('tampered-tables');
    const [[closed]] = (await warehouseQuery(p, `SELECT MIN(CUSTOMER_ID) FROM SCD_DEMO.SCD2.CUSTOMER_HISTORY WHERE NOT IS_CURRENT`)) as number[][];
    const [[live]] = (await warehouseQuery(p, `SELECT MAX(CUSTOMER_ID) FROM SCD_DEMO.SCD2.CUSTOMER`)) as number[][];
    await warehouseQuery(
      p,
      `DELETE FROM SCD_DEMO.SCD2.CUSTOMER_EVENTS_CLOSED WHERE CUSTOMER_ID = ${closed}; UPDATE SCD_DEMO.SCD2.CUSTOMER SET CITY = 'Atlantis' WHERE CUSTOMER_ID = ${live}`,
    );
    const r = await cli(['verify', '--project', p]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`SCD2 SCD_DEMO.SCD2.CUSTOMER_HISTORY: .* [1-9]\\d* missing, 0 unexpected\\n  CUSTOMER_ID=${closed}\\n    - expected, missing:`));
    expect(r.out).toMatch(new RegExp(`SCD1 SCD_DEMO.SCD2.CUSTOMER: .* 1 missing, 1 unexpected\\n  CUSTOMER_ID=${live}\\n`));
    expect(r.out).toContain('CITY=Atlantis');
    expect(r.out).toContain('DIFFERENT:');
  });

  it('catches what a comparison with CUSTOMER_RAW cannot: a file whose rows differ from what was loaded, files never loaded or gone', { timeout: 120_000 }, async () => {
    const p = copy('tampered-bucket');
    const names = readdirSync(stream(p)).filter((n) => n.startsWith('customer_2')).sort();
    // A row the table never got (lost between file and table), for a customer no one else has.
    appendFileSync(join(stream(p), names[0]!), '777777,Lost,Row,lost@example.com,1 Main St,Springfield,Ohio,Chile,I,2026-01-01 00:00:01.000000\n');
    unlinkSync(join(stream(p), names[1]!));
    writeFileSync(join(stream(p), 'customer_never.csv'), 'customer_id,first_name,last_name,email,street,city,state,country,op,updated_at\n');
    const { code, report } = await verifyJson(p);
    expect(code).toBe(1);
    expect(report.files.issues.map((i) => [i.kind, i.file]).sort()).toEqual(
      [
        ['missing-from-bucket', names[1]],
        ['never-loaded', 'customer_never.csv'],
        ['rows-differ', names[0]],
      ].sort(),
    );
    const scd1 = report.tables.find((t) => t.kind === 'scd1')!;
    expect(scd1.samples.some((s) => s.key[0] === '777777' && s.missing.length === 1)).toBe(true);
  });

  it('names an event the applier rejects (a row that loads with a NULL sequence stalls the task)', { timeout: 120_000 }, async () => {
    const p = copy('poison');
    // Too few fields: a transforming COPY fills the missing $n with NULL, as in Snowflake, so the row loads.
    writeFileSync(join(stream(p), 'customer_short.csv'), 'customer_id,first_name,last_name,email,street,city,state,country,op,updated_at\n424242,only,three\n');
    const run = await cli(['run', '--project', p, '--once']);
    expect(run.code, run.err).toBe(0);
    const r = await cli(['verify', '--project', p]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('rejected: 0 with a NULL key, 1 with a NULL sequence');
    expect(r.out).toContain('424242, NULL');
    expect(r.out).toMatch(/note: stream SCD_DEMO\.SCD2\.CUSTOMER_RAW_STREAM has rows the task has not applied yet/);
  });

  it('reads the live pipeline through floe run’s API while it runs', { timeout: 120_000 }, async () => {
    const p = copy('live');
    const run = await startFloeRun(p);
    try {
      const r = await cli(['verify', '--project', p]);
      expect(r.out).toMatch(/^floe verify .* \(floe run at http:\/\/127\.0\.0\.1:\d+, pid \d+\)$/m);
      expect(r.out).toContain('OK: the SCD tables equal the reference fold');
      expect(r.code).toBe(0);
    } finally {
      expect(await run.stop()).toBe(0);
    }
  });

  it('refuses clearly (exit 2) without scd.yaml, with a bad predicate or table in it, and while another process holds the warehouse', { timeout: 120_000 }, async () => {
    const p = copy('no-scd');
    unlinkSync(join(p, 'scd.yaml'));
    const r = await cli(['verify', '--project', p]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/scd\.yaml not found.*floe scd/);

    // A predicate or a table the warehouse does not have: exit 2, naming the step.
    const scd = readFileSync(join(base, 'scd.yaml'), 'utf8');
    writeFileSync(join(p, 'scd.yaml'), scd.replace(`deleteWhen: "OP = 'D'"`, `deleteWhen: "NO_SUCH_COLUMN = 'D'"`));
    const bad = await cli(['verify', '--project', p]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/scd\.yaml: computing events \(keys, sequenceBy, columns, deleteWhen, source\.where\).*NO_SUCH_COLUMN/s);
    writeFileSync(join(p, 'scd.yaml'), scd.replace('table: SCD_DEMO.SCD2.CUSTOMER\n', 'table: SCD_DEMO.SCD2.NO_SUCH_TABLE\n'));
    const missing = await cli(['verify', '--project', p]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/reading SCD_DEMO\.SCD2\.NO_SUCH_TABLE/);

    const engine = await openEngine({ database: join(base, '.floe', 'warehouse.duckdb'), tasks: { scheduler: false } });
    try {
      const child = await floeChild(['verify', '--project', base]);
      expect(child.code).toBe(2);
      expect(child.err).toMatch(/in use by another process that serves no API .*Wait until it exits/);
    } finally {
      await engine.close();
    }
  });
});
