/**
 * Crash safety end to end (issue #7 item 6): `floe run` of the customer project is killed with SIGKILL at
 * seeded-random moments — during start-up or while files keep landing — and restarted. After the last restart the
 * generator stops and `floe run --once` drains. Then every generated file is loaded exactly once (pipe history and
 * CUSTOMER_RAW rows per file), the bucket holds every file, and `floe verify` finds the SCD tables equal to the
 * reference fold of all events.
 *
 * The landing folder may keep a few files: FetchFile deletes its source only after its commit, and a kill in between
 * leaves the file in place, never listed again (NiFi's semantics, nifi-semantics.md scenario 15: "the source file
 * remains. It is not re-listed and not lost"). Each such file must already be in the bucket, byte for byte.
 *
 * CI runs a short version (3 kills). FLOE_SOAK=1 runs 20 kills over a longer stream; FLOE_CRASH_SEED=N picks the
 * kill schedule (the failing seed is in every assertion message).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initProject } from '../../src/project/init-project.js';
import { BIN, cli, floeChild, LandingWriter, warehouseQueries } from './e2e-harness.js';
import { rng } from '../support/seeded-random.js';

const SOAK = process.env.FLOE_SOAK === '1';
const KILLS = SOAK ? 20 : 3;
const SEED = Number(process.env.FLOE_CRASH_SEED ?? 20260101);
const ROWS = 40;
const WRITE_EVERY_MS = SOAK ? 120 : 400;

const dir = mkdtempSync(join(tmpdir(), 'floe-crash-e2e-'));
afterAll(() => {
  if (!process.env.FLOE_KEEP) rmSync(dir, { recursive: true, force: true });
});

/** Starts `floe run`; kills it `delayMs` after it is running (or after spawning, when `early`). */
function runAndKill(project: string, delayMs: number, early: boolean): Promise<{ ready: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', '--project', project], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let ready = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => void child.kill('SIGKILL');
    if (early) timer = setTimeout(kill, delayMs);
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (!ready && stderr.includes('floe running')) {
        ready = true;
        if (!early) timer = setTimeout(kill, delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ ready, stderr });
      else reject(new Error(`floe run exited by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('kill -9 of floe run during a demo, then restart', () => {
  it(`loads every file exactly once and verify passes (${KILLS} kills, seed ${SEED})`, { timeout: SOAK ? 1_800_000 : 240_000 }, async () => {
    const at = `seed ${SEED}`;
    const random = rng(SEED);
    const p = join(dir, 'demo');
    initProject(p);
    const writer = new LandingWriter(p, { rowsPerFile: ROWS, customers: 60, seed: SEED % 100_000, updateRatio: 0.6, deleteRatio: 0.1, lateRatio: 0.2 });
    let writing = Promise.resolve();
    const ticker = setInterval(() => (writing = writing.then(() => writer.next().then(() => undefined))), WRITE_EVERY_MS);
    const schedule: string[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        // About one kill in four lands during start-up (applying SQL, recovering flows and pipes).
        const early = random() < 0.25;
        const delay = Math.round(early ? random() * 2500 : 200 + random() * (SOAK ? 4000 : 2500));
        const r = await runAndKill(p, delay, early);
        schedule.push(`${early ? 'start-up' : 'running'}+${delay}ms${r.ready ? '' : ' (before ready)'}`);
      }
    } finally {
      clearInterval(ticker);
      await writing;
    }
    const files = writer.written;
    expect(files.length, at).toBeGreaterThan(KILLS);

    // Drain what landed while nothing ran: flows once, pipes catch up, the task applies.
    const drain = await floeChild(['run', '--project', p, '--once']);
    expect(drain.code, `${at} (kills: ${schedule.join(', ')}): ${drain.err}`).toBe(0);

    const bucket = join(p, 'data', 'bucket', 'floe-demo', 'stream');
    const names = files.map((f) => f.name).sort();
    expect(readdirSync(bucket).sort(), at).toEqual(names);
    const byName = new Map(files.map((f) => [f.name, f.csv]));
    for (const n of names) expect(readFileSync(join(bucket, n), 'utf8'), `${at}: ${n} in the bucket`).toBe(byName.get(n));
    const leftovers = readdirSync(join(p, 'data', 'landing'));
    for (const n of leftovers) expect(byName.has(n) && readFileSync(join(p, 'data', 'landing', n), 'utf8') === byName.get(n), `${at}: ${n} left in landing is a shipped file`).toBe(true);

    const [history, raw] = await warehouseQueries(p, [
      `SELECT FILE_NAME, COUNT(*), MIN(STATUS), MAX(STATUS), SUM(ROW_COUNT) FROM TABLE(SCD_DEMO.INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'SCD_DEMO.SCD2.CUSTOMER_RAW', START_TIME => DATEADD(HOUR, -1, CURRENT_TIMESTAMP()))) GROUP BY FILE_NAME ORDER BY FILE_NAME`,
      `SELECT FILE_NAME, COUNT(*), COUNT(DISTINCT FILE_ROW_NUMBER) FROM SCD_DEMO.SCD2.CUSTOMER_RAW GROUP BY FILE_NAME ORDER BY FILE_NAME`,
    ]);
    expect(history, `${at}: one Loaded history row of ${ROWS} rows per file`).toEqual(names.map((n) => [n, 1, 'Loaded', 'Loaded', ROWS]));
    expect(raw, `${at}: CUSTOMER_RAW holds each file's rows once`).toEqual(names.map((n) => [n, ROWS, ROWS]));

    const verify = await cli(['verify', '--project', p]);
    expect(verify.out, `${at} (kills: ${schedule.join(', ')})`).toContain('OK: the SCD tables equal the reference fold');
    expect(verify.code).toBe(0);
  });
});
