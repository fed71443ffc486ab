/**
 * Crash safety (issue #3): a child process consuming a stream with MERGE is killed with SIGKILL at random
 * moments and restarted; afterwards every row of the source is either in the sink exactly once or still
 * in the stream — the offset and the consuming MERGE committed together or not at all.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'floe-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the child until it has committed `rounds` rounds, then wait a random moment and SIGKILL it. */
function runAndKill(database: string, rounds: number, jitterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'consume-loop.ts'), database], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let armed = false;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      // One chunk may carry several lines: count them all, arm the kill once.
      seen += String(d).split('\n').filter((l) => l.startsWith('round')).length;
      if (seen >= rounds && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), jitterMs);
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('kill -9 during a consuming MERGE', () => {
  it('never loses or duplicates a change', { timeout: 120_000 }, async () => {
    const database = join(dir, 'crash.duckdb');
    for (const [rounds, jitter] of [[3, 7], [2, 23], [4, 1], [2, 41]]) await runAndKill(database, rounds, jitter);
    const e = await openEngine({ database });
    try {
      const s = await e.session();
      const [check] = await s.query(`
        WITH seen AS (SELECT id FROM sink UNION ALL SELECT id FROM s WHERE METADATA$ACTION = 'INSERT')
        SELECT (SELECT COUNT(*) FROM t) AS source_rows,
               (SELECT COUNT(*) FROM seen) AS seen_rows,
               (SELECT COUNT(*) FROM (SELECT id FROM seen GROUP BY id HAVING COUNT(*) > 1)) AS duplicated,
               (SELECT COUNT(*) FROM t WHERE id NOT IN (SELECT id FROM seen)) AS lost`);
      const [sourceRows, seenRows, duplicated, lost] = check.rows[0].map(Number);
      expect(sourceRows).toBeGreaterThanOrEqual(2000);
      expect({ seenRows, duplicated, lost }).toEqual({ seenRows: sourceRows, duplicated: 0, lost: 0 });
    } finally {
      await e.close();
    }
  });
});
