/**
 * Exactly once across kill -9 (issue #4): a child process runs the pipe service while files keep arriving;
 * it is killed with SIGKILL at random moments and restarted. Afterwards every file's rows are in the table
 * exactly once — the queue rows and the load commit together, and restarts catch up on missed files.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'floe-pipe-crash-'));
const bucket = join(dir, 'bucket');
const database = join(dir, 'crash.duckdb');
mkdirSync(join(bucket, 'in'), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let nextFile = 0;
const ROWS = 50;
function writeFile(): void {
  const n = nextFile++;
  const body = Array.from({ length: ROWS }, (_, i) => `${n * ROWS + i},f${n}`).join('\n') + '\n';
  // Producers publish complete files (write + rename), as an S3 PUT is atomic.
  writeFileSync(join(dir, 'tmp.csv'), body);
  renameSync(join(dir, 'tmp.csv'), join(bucket, 'in', `f${String(n).padStart(4, '0')}.csv`));
}

/** Start the child; once it has committed `loads` loads (writing files meanwhile), wait `jitterMs` and SIGKILL it. */
function runAndKill(loads: number, jitterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'pipe-loop.ts'), database, bucket], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    let writer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      for (const line of String(d).split('\n')) {
        if (line === 'ready') writer = setInterval(writeFile, 15);
        if (line.startsWith('loaded') && ++seen === loads) setTimeout(() => child.kill('SIGKILL'), jitterMs);
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(writer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe('kill -9 while a pipe loads', () => {
  it('loads every file exactly once', { timeout: 180_000 }, async () => {
    for (const [loads, jitter] of [[3, 3], [2, 17], [4, 1], [2, 29], [3, 0]]) await runAndKill(loads, jitter);
    for (let i = 0; i < 5; i++) writeFile(); // arrive while nothing runs
    const e = await openEngine({ database, storage: { buckets: { crash: { type: 'local', path: bucket } } } });
    try {
      await e.pipes.start({ reconcileMs: 0 });
      await e.pipes.drain();
      const s = await e.session();
      const [r] = await s.query(`SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT f), MIN(id), MAX(id) FROM t`);
      const [rows, distinct, files, min, max] = r!.rows[0]!.map(Number);
      expect(files).toBeGreaterThan(10);
      expect({ rows, distinct, files, min, max }).toEqual({ rows: nextFile * ROWS, distinct: nextFile * ROWS, files: nextFile, min: 0, max: nextFile * ROWS - 1 });
    } finally {
      await e.close();
    }
  });
});
