/**
 * A `.floe/server.json` that no live server stands behind (kill -9, a reused pid, another server on the port)
 * is ignored: the CLI opens the warehouse itself. A restarted `floe run` replaces the file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServerFile, serverFilePath, writeServerFile } from '../../src/server/server-file.js';
import { freePort } from '../support/moto.js';
import { floe, startFloeRun, type FloeRun } from './floe-run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-stale-'));
const project = join(dir, 'p');
mkdirSync(project);
writeFileSync(join(project, 'floe.yaml'), 'sql: [setup.sql]\n');
writeFileSync(join(project, 'setup.sql'), 'CREATE TABLE t (id INT);\nINSERT INTO t VALUES (7);\n');
const runs: FloeRun[] = [];
afterAll(async () => {
  for (const r of runs) await r.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const QUERY = ['sql', '--project', 'p', '--format', 'json', '-q', 'SELECT id FROM t'];
const ROW = '{"statement":1,"sql":"SELECT id FROM t","columns":["ID"],"rows":[[7]]}\n';

describe('stale .floe/server.json', () => {
  it('after kill -9 the file stays, the CLI falls back to the warehouse, and a restart takes over', { timeout: 180_000 }, async () => {
    const first = await startFloeRun(project);
    runs.push(first);
    expect(await first.stop('SIGKILL')).toBeNull();
    expect((await readServerFile(project))?.pid).toBe(first.info.pid); // left behind

    const local = await floe(dir, ...QUERY);
    expect(local).toMatchObject({ code: 0, stdout: ROW, stderr: '' });
    const status = await floe(dir, 'status', '--project', 'p', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ source: 'warehouse' });

    const second = await startFloeRun(project);
    runs.push(second);
    expect(second.info.pid).not.toBe(first.info.pid);
    expect(second.info.token).not.toBe(first.info.token);
    const remote = await floe(dir, 'status', '--project', 'p', '--json');
    expect(JSON.parse(remote.stdout)).toMatchObject({ source: 'server', server: { pid: second.info.pid } });
    expect(await floe(dir, ...QUERY)).toMatchObject({ code: 0, stdout: ROW });
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(existsSync(serverFilePath(project))).toBe(false);
  });

  it('a live pid with nothing listening, or a server that rejects the token, is not a floe run', async () => {
    // This test process is alive; the port has no listener.
    await writeServerFile(project, { url: `http://127.0.0.1:${await freePort()}`, pid: process.pid, token: 'x'.repeat(43), startedAt: new Date().toISOString() });
    expect(await floe(dir, ...QUERY)).toMatchObject({ code: 0, stdout: ROW });

    const other = createServer((_req, res) => {
      res.writeHead(401).end();
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as AddressInfo).port;
      await writeServerFile(project, { url: `http://127.0.0.1:${port}`, pid: process.pid, token: 'y'.repeat(43), startedAt: new Date().toISOString() });
      expect(await floe(dir, ...QUERY)).toMatchObject({ code: 0, stdout: ROW });
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});
