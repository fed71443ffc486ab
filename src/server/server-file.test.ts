import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive, readServerFile, removeServerFile, serverFilePath, writeServerFile, type ServerInfo } from './server-file.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-server-file-'));
mkdirSync(join(dir, '.floe'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const info: ServerInfo = { url: 'http://127.0.0.1:4321', pid: process.pid, token: 'x'.repeat(43), startedAt: new Date(0).toISOString() };

describe('.floe/server.json', () => {
  it('is written atomically with mode 0600 and read back', async () => {
    await writeServerFile(dir, info);
    expect(statSync(serverFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, '.floe'))).toEqual(['server.json']); // no temp file left behind
    expect(await readServerFile(dir)).toEqual(info);
  });

  it('treats a torn or foreign file as absent', async () => {
    writeFileSync(serverFilePath(dir), '{"url": "http://127.0.0.1:1", "pid"');
    expect(await readServerFile(dir)).toBeUndefined();
    writeFileSync(serverFilePath(dir), JSON.stringify({ ...info, token: 'short' }));
    expect(await readServerFile(dir)).toBeUndefined();
  });

  it('is removed only by the process that wrote it', async () => {
    await writeServerFile(dir, { ...info, pid: process.pid + 1_000_000 });
    await removeServerFile(dir);
    expect(await readServerFile(dir)).toBeDefined(); // a newer floe run's file stays
    await writeServerFile(dir, info);
    await removeServerFile(dir);
    expect(await readServerFile(dir)).toBeUndefined();
  });

  it('tells live pids from dead ones', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});
