/**
 * What a run of the customer project's SCD task costs at a given state of its warehouse, alone (no pipeline, no
 * background work around it):
 *   npx tsx bench/pipeline/task-cost.ts PROJECT_DIR [RUNS=25] [ROWS=1500]
 * Copies the project (warehouse included) to a temporary folder, suspends the task there and applies RUNS batches of
 * ROWS in-order updates of random live customers with the project's apply script (`floe scd --part apply`), then
 * prints the backend statements by wall time (sql-trace.ts). Run it on a young and an old project (a `floe demo`
 * stopped after 3 and after 12 minutes): a statement that costs more on the old one grows with the state. Session 16:
 * only COMMIT did (12 → 17 ms wall a commit; 10.5 vs 10.3 s of user CPU for the 25 runs, the fold 44 vs 46 ms), so
 * what grows in a long demo is mostly around the task (docs/status.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [dir, runsArg, rowsArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npx tsx bench/pipeline/task-cost.ts PROJECT_DIR [RUNS] [ROWS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 25);
const rows = Number(rowsArg ?? 1500);
const floe = join(ROOT, 'bin', 'floe.js');

const work = mkdtempSync(join(tmpdir(), 'floe-task-cost-'));
try {
  const project = join(work, 'project');
  cpSync(resolve(dir), project, { recursive: true });
  const apply = execFileSync('node', [floe, 'scd', '--config', join(project, 'scd.yaml'), '--part', 'apply'], { encoding: 'utf8' });
  const batch = (i: number): string =>
    `INSERT INTO SCD_DEMO.SCD2.CUSTOMER_RAW (CUSTOMER_ID, FIRST_NAME, LAST_NAME, EMAIL, STREET, CITY, STATE, COUNTRY, OP, UPDATED_AT, FILE_NAME, FILE_ROW_NUMBER, LOADED_AT)\n` +
    `SELECT CUSTOMER_ID, FIRST_NAME, LAST_NAME, EMAIL || 'x', STREET, CITY, STATE, COUNTRY, 'U', DATEADD(hour, 1, UPDATED_AT), 'task-cost.csv', ${i}, CURRENT_TIMESTAMP()\n` +
    `FROM SCD_DEMO.SCD2.CUSTOMER_EVENTS_KEYS ORDER BY HASH(CUSTOMER_ID, ${i}) LIMIT ${rows};\n`;
  const script = join(work, 'runs.sql');
  writeFileSync(script, ['ALTER TASK SCD_DEMO.SCD2.APPLY_CUSTOMER_CHANGES SUSPEND;\n', ...Array.from({ length: runs }, (_, i) => batch(i) + apply)].join('\n'));
  const r = spawnSync('node', ['--import', 'tsx', '--import', join(ROOT, 'bench', 'pipeline', 'trace-at-exit.ts'), floe, 'sql', '--project', project, '-f', script], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`floe sql failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  console.log(`${runs} runs of ${rows} in-order updates on a copy of ${resolve(dir)}`);
  console.log(r.stderr);
} finally {
  rmSync(work, { recursive: true, force: true });
}
