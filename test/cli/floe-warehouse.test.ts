/**
 * `floe warehouse upgrade` through the real binary: a warehouse in DuckDB's default storage format is rewritten in
 * floe's, a second run has nothing to do, and a warehouse another process holds or a missing one is a clear error.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { STORAGE_FORMAT } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'floe.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-warehouse-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const floe = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

async function oldProject(name: string): Promise<string> {
  const file = path.join(dir, name, '.floe', 'warehouse.duckdb');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // An empty file in DuckDB's default format, as floe made them before session 18; floe keeps a file's format.
  (await DuckDBInstance.create(file)).closeSync();
  const r = floe(['sql', '--project', name, '-q', 'CREATE DATABASE APP; CREATE TABLE APP.PUBLIC.T (I INT) CLUSTER BY (I); INSERT INTO APP.PUBLIC.T VALUES (1), (2), (3)']);
  expect(r.status, r.stderr).toBe(0);
  return file;
}

describe('floe warehouse upgrade', () => {
  it('rewrites an old warehouse in floe’s format, keeps a backup, and has nothing to do the second time', async () => {
    const file = await oldProject('p');
    const r = floe(['warehouse', 'upgrade', '--project', 'p']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const counts = /\((\d+) tables, ([\d,]+) rows\)/;
    expect(r.stdout).toMatch(new RegExp(`^upgraded ${file} from DuckDB storage format v1\\.0\\.0\\+ to ${STORAGE_FORMAT.replace(/\./g, '\\.')}\\+ \\(\\d+ tables, [\\d,]+ rows\\); the old file is kept as ${file}\\.v1\\.0\\.0\\.bak\n$`));
    // floe's own tables (catalog, histories) are in the file too, and come along.
    const sql = floe(['sql', '--project', 'p', '--format', 'json', '-q', 'SELECT COUNT(*) AS n FROM app.public.t']);
    expect(sql.stdout).toContain('"rows":[[3]]');
    const again = floe(['warehouse', 'upgrade', '--project', 'p']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^${file} is already in DuckDB storage format ${STORAGE_FORMAT.replace(/\./g, '\\.')}\\+ \\(\\d+ tables, [\\d,]+ rows\\): nothing to do\n$`));
    expect(again.stdout.match(counts)?.slice(1)).toEqual(r.stdout.match(counts)?.slice(1));
  });

  it('refuses a warehouse another process holds, and a project without one', async () => {
    const file = await oldProject('q');
    const holder = spawn(
      process.execPath,
      ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');DuckDBInstance.create(${JSON.stringify(file)}).then(()=>{console.log('open');setTimeout(()=>{},60000)})`],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((ok) => holder.stdout.once('data', () => ok()));
      const r = floe(['warehouse', 'upgrade', '--project', 'q']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot open .*warehouse\.duckdb to upgrade it \(stop floe run \/ floe demo first\)/);
    } finally {
      holder.kill('SIGKILL');
    }
    expect(fs.existsSync(`${file}.upgrade`)).toBe(false);
    const none = floe(['warehouse', 'upgrade', '--project', 'nothing-here']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/warehouse\.duckdb does not exist: nothing to upgrade/);
  });
});
