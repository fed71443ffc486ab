/** `floe generate` through the real binary: files land atomically in the landing folder, same seed → same files. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'floe.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-gen-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const floe = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('floe generate', () => {
  it('writes N files into <project>/data/landing with a JSON summary; the same seed writes the same files', () => {
    const r = floe(['generate', '--project', 'p', '--files', '3', '--rows-per-file', '50', '--customers', '40', '--seed', '5', '--json']);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { out: string; files: number; I: number };
    expect(summary).toMatchObject({ out: path.join(dir, 'p', 'data', 'landing'), files: 3 });
    const names = fs.readdirSync(summary.out).sort();
    expect(names).toHaveLength(3);
    expect(names.every((n) => /^customer_.*_\d{6}\.csv$/.test(n))).toBe(true); // no temporary files left
    const again = floe(['generate', '--out', 'other', '--files', '3', '--rows-per-file', '50', '--customers', '40', '--seed', '5', '--json']);
    expect(again.status).toBe(0);
    for (const n of names) expect(fs.readFileSync(path.join(dir, 'other', n), 'utf8')).toBe(fs.readFileSync(path.join(summary.out, n), 'utf8'));
  });

  it('rejects bad options with a usage error', () => {
    const r = floe(['generate', '--update-ratio', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--update-ratio must be between 0 and 1/);
  });
});
