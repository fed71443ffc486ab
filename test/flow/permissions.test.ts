/**
 * Scenarios 9 (ListFile skips unreadable files) and 16 (FetchFile routes an unreadable file to permission.denied)
 * as an unprivileged user. Tests run as root here (CI too), and root reads every file, so the flow runs in a
 * child process that drops to `nobody` (uid/gid 65534); as any other user the same child runs as that user.
 */
import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const root = process.getuid?.() === 0;
const NOBODY = 65534;
let dir = '';

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('an unreadable file is not listed, and one made unreadable after listing goes to permission.denied', async () => {
  dir = await mkdtemp(join(tmpdir(), 'floe-perm-'));
  await mkdir(join(dir, 'in'));
  await writeFile(join(dir, 'in', 'open.csv'), 'a\n');
  await writeFile(join(dir, 'in', 'locked.csv'), 'b\n');
  await chmod(join(dir, 'in', 'locked.csv'), 0); // owned by the test's user, unreadable for `nobody`
  await writeFile(join(dir, 'in', 'mine.csv'), 'c\n'); // readable when listed; the child locks it before fetching
  if (root) for (const p of [dir, join(dir, 'in'), join(dir, 'in', 'open.csv'), join(dir, 'in', 'mine.csv')]) await chown(p, NOBODY, NOBODY);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'unprivileged-child.ts'), dir], {
    ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
    // `nobody` cannot write root's tsx cache; a private temp folder for the child.
    env: { ...process.env, TMPDIR: dir, HOME: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { listed: string[]; routes: string[]; fetched: string[] };
  expect(out.listed).toEqual(['mine.csv', 'open.csv']); // scenario 9: locked.csv skipped without an error
  expect(out.fetched).toEqual(['open.csv']);
  expect(out.routes).toEqual(['permission.denied']); // scenario 16
}, 90_000);
