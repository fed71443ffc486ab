/**
 * End to end: the real `floe` binary (bin/floe.js → tsx → src/cli/main.ts) against the real engine on an
 * in-memory DuckDB, checking the JSON Lines contract (DESIGN.md §3) and exit codes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'floe.js');
const engineReady = fs.existsSync(path.join(root, 'src', 'engine', 'open-engine.ts'));

function floe(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('floe CLI without an engine', () => {
  it('prints help and exits 0', () => {
    const r = floe(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sql [options]');
  });

  it('exits 2 on a usage error', () => {
    const r = floe(['sql', '--db', ':memory:', '--project', '.', '-q', 'select 1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--project and --db cannot be used together');
  });
});

// Skipped only while the lead has not added src/engine/open-engine.ts (the engine entry point the CLI loads).
describe.skipIf(!engineReady)('floe sql end to end (needs src/engine/open-engine.ts)', () => {
  it('prints JSON Lines for a query', () => {
    const r = floe(['sql', '--db', ':memory:', '--format', 'json', '-q', 'select 1 as a']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([{ statement: 1, sql: 'select 1 as a', columns: ['A'], rows: [[1]] }]);
  });

  it('numbers statements across -q and -f inputs and keeps state in one session', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-e2e-'));
    const file = path.join(dir, 'setup.sql');
    fs.writeFileSync(file, "create table t (id number, name varchar);\ninsert into t values (1, 'x'), (2, null);\n");
    const r = floe(['sql', '--db', ':memory:', '--format', 'json', '-f', file, '-q', 'select id, name from t order by id']);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.statement)).toEqual([1, 2, 3]);
    expect(lines[2]).toMatchObject({ columns: ['ID', 'NAME'], rows: [[1, 'x'], [2, null]] });
  });

  it('reports a failing statement with exit code 1 and stops', () => {
    const r = floe(['sql', '--db', ':memory:', '--format', 'json', '-q', 'select * from no_such_table; select 2']);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ statement: 1, error: { code: 'OBJECT_NOT_FOUND' } });
  });

  it('continues after failures with --continue-on-error, still exiting 1', () => {
    const r = floe(['sql', '--db', ':memory:', '--format', 'json', '--continue-on-error', '-q', 'select * from nope; select 2 as b']);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout).map((l) => 'error' in l)).toEqual([true, false]);
  });

  it('reads the script from stdin and prints a table', () => {
    const r = floe(['sql', '--db', ':memory:'], "select 'hello' as greeting;");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| GREETING |');
    expect(r.stdout).toMatch(/1 Row\(s\) produced\. Time Elapsed: \d+\.\d{3}s/);
  });

  it('prints CSV', () => {
    const r = floe(['sql', '--db', ':memory:', '--format', 'csv', '-q', "select 1 as a, 'x,y' as b"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('A,B\n1,"x,y"\n');
  });
});
