/**
 * `floe demo` through the real binary (stdout is a pipe, so the plain progress lines are printed): a --files
 * demo inits the project, runs it, stops by itself once everything it generated is in the SCD tables, and
 * prints the summary; Ctrl-C (SIGINT) stops cleanly with exit 0; a restarted demo continues without reusing a
 * file name, a customer id or an event time, and nothing is loaded twice.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'floe.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-demo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const project = path.join(dir, 'd1');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `floe …`; `until` (optional) is called with the stdout so far and may signal the process. */
function floe(args: string[], until?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    until?.(stdout, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const demo = (args: string[], until?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Run> => floe(['demo', ...args], until);

async function warehouse<T>(work: (one: (sql: string) => Promise<unknown[]>, all: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const e = await openEngine({ database: path.join(project, '.floe', 'warehouse.duckdb'), tasks: { scheduler: false } });
  try {
    const s = await e.session();
    await s.query('USE SCHEMA scd_demo.scd2');
    const all = async (sql: string) => (await s.query(sql))[0]!.rows;
    return await work(async (sql) => (await all(sql))[0]!, all);
  } finally {
    await e.close();
  }
}

const genState = () => JSON.parse(fs.readFileSync(path.join(project, '.floe', 'generator.json'), 'utf8')) as { files: number; fileSeq: number; nextId: number };

describe('floe demo', () => {
  it('inits, runs, stops by itself once the generated files are in both SCD tables, and prints the summary', { timeout: 180_000 }, async () => {
    const r = await demo(['d1', '--files', '5', '--interval', '200', '--seed', '1', '--rows-per-file', '50', '--customers', '100']);
    expect(r.stderr).toContain('floe demo: created the customer project in d1');
    expect(r.stderr).toContain('project SQL: 25 run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[\d+s\] running · files \d\/5 generated/m);
    expect(r.stdout).toMatch(/^\[\d+s\] stopped · files 5\/5 generated, 0 landing, 0 in flow, 0 queued, 5 loaded, 0 failed · rows raw 250, stream 0/m);
    expect(r.stdout).toContain('floe demo finished after');
    expect(r.stdout).toMatch(/latency {3}p50 .* over 5 files/);
    const id = /customer_id = (\d+) order by start_time/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(r.stdout).toContain('npx floe verify --project d1');

    await warehouse(async (one) => {
      expect(await one('SELECT COUNT(*), COUNT(DISTINCT file_name) FROM customer_raw')).toEqual([250, 5]);
      expect(await one('SELECT COUNT(*) FROM customer_raw_stream')).toEqual([0]);
      const [live] = await one("SELECT COUNT(*) FROM (SELECT customer_id, op FROM customer_raw QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1) WHERE op <> 'D'");
      expect(await one('SELECT COUNT(*) FROM customer')).toEqual([live]);
      expect(await one('SELECT COUNT(*) FROM customer_history WHERE is_current')).toEqual([live]);
      // The hint names a customer that really has several versions.
      expect(Number((await one(`SELECT COUNT(*) FROM customer_history WHERE customer_id = ${id}`))[0])).toBeGreaterThan(1);
    });
    expect(genState()).toMatchObject({ files: 5, fileSeq: 5 });
  });

  it('stops cleanly on Ctrl-C, and a restarted demo continues without reusing names, ids or times', { timeout: 180_000 }, async () => {
    // A file the pipe cannot load (a customer id that is not a number): reported, never retried.
    fs.writeFileSync(path.join(project, 'data', 'landing', 'bad.csv'), 'customer_id,first_name,last_name,email,street,city,state,country,op,updated_at\nabc,A,B,a@b,s,c,st,co,I,2026-01-01 00:00:00.000000\n');
    let signalled = false;
    let child: ReturnType<typeof spawn> | undefined;
    let ready: () => void = () => undefined;
    const loaded = new Promise<void>((r) => (ready = r));
    const running = demo(['d1', '--interval', '200', '--rows-per-file', '50', '--customers', '100'], (out, c) => {
      child = c;
      // Go on once the resumed demo has loaded a file of its own and reported the bad one.
      if (!signalled && out.includes('error: pipe: bad.csv could not be loaded') && /^\[\d+s\] running · files [1-9]\d* generated, .* [1-9]\d* loaded/m.test(out)) {
        signalled = true;
        ready();
      }
    });
    await loaded;
    // While the demo runs, `floe sql --project` reaches its warehouse through the demo's HTTP API.
    expect(fs.existsSync(path.join(project, '.floe', 'server.json'))).toBe(true);
    const sql = await floe(['sql', '--project', 'd1', '--format', 'json', '-q', 'select count(*) as n from scd_demo.scd2.customer_history']);
    expect(sql.stderr).toBe('');
    expect(sql.code).toBe(0);
    expect((JSON.parse(sql.stdout) as { rows: number[][] }).rows[0]![0]).toBeGreaterThan(0);
    const second = await demo(['d1', '--files', '1']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/error: floe is already running for d1 \(pid \d+, API http/);
    child!.kill('SIGINT');
    const interrupted = await running;
    expect(interrupted.stderr).toMatch(/floe demo: API http:\/\/127\.0\.0\.1:\d+ — `npx floe sql --project d1` works from another terminal/);
    expect(fs.existsSync(path.join(project, '.floe', 'server.json'))).toBe(false);
    expect(signalled).toBe(true);
    expect(interrupted.code).toBe(0);
    expect(interrupted.stdout).toContain('floe demo stopped after');
    expect(interrupted.stdout).toMatch(/^ {2}files {5}\d+ generated · \d+ loaded · 1 failed/m);
    expect(interrupted.stdout).toContain('  error     pipe: bad.csv could not be loaded');
    expect(interrupted.stdout).toContain('npx floe demo d1');
    const afterStop = genState();
    expect(afterStop.fileSeq).toBeGreaterThan(5);

    // A larger population target: the resumed run inserts new customers too.
    const resumed = await demo(['d1', '--files', '2', '--interval', '200', '--rows-per-file', '50', '--customers', '400', '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { reason: string; generated: { files: number }; files: { failed: number; outstanding: number } };
    expect(summary).toMatchObject({ reason: 'done', generated: { files: 2 }, files: { failed: 0, outstanding: 0 } });
    expect(resumed.stderr).toContain('project SQL: 3 run, 22 already applied'); // only the USE statements run again
    const total = genState();
    expect(total.fileSeq).toBe(afterStop.fileSeq + 2);

    await warehouse(async (one, all) => {
      // Every file loaded exactly once, with all its rows; its sequence number says which run wrote it.
      const files = await all('SELECT file_name, COUNT(*) FROM customer_raw GROUP BY file_name ORDER BY file_name');
      expect(files.every((f) => f[1] === 50)).toBe(true);
      const seq = (name: unknown) => Number(/_(\d{6})\.csv$/.exec(String(name))?.[1]);
      expect(new Set(files.map((f) => seq(f[0]))).size).toBe(files.length);
      expect(files.map((f) => seq(f[0]))).toContain(total.fileSeq);
      // The last two files came from the resumed run: later event times (late ones too: they stay after the
      // resume point), new ids for its inserts, and no customer has two events at one time.
      const rows = await all('SELECT file_name, updated_at, customer_id, op FROM customer_raw');
      const before = rows.filter((r) => seq(r[0]) <= afterStop.fileSeq);
      const after = rows.filter((r) => seq(r[0]) > afterStop.fileSeq);
      expect(after).toHaveLength(100);
      const maxTimeBefore = before.map((r) => String(r[1])).sort().at(-1)!;
      const maxIdBefore = Math.max(...before.map((r) => Number(r[2])));
      const inserts = after.filter((r) => r[3] === 'I');
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.every((r) => Number(r[2]) > maxIdBefore)).toBe(true);
      expect(after.every((r) => String(r[1]) > maxTimeBefore)).toBe(true);
      expect(new Set(rows.map((r) => `${r[2]}@${r[1]}`)).size).toBe(rows.length);
      // Updates and deletes of the resumed run touch customers that existed before it.
      expect(after.some((r) => r[3] !== 'I' && Number(r[2]) <= maxIdBefore)).toBe(true);
      expect(await one('SELECT COUNT(*) FROM customer_raw_stream')).toEqual([0]);
    });
  });
});
