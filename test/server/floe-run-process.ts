/**
 * Test harness: a real `floe run` child process on a project (port 0), ready once `.floe/server.json`
 * names it; stopped by PID. Also an in-process `floe` CLI with captured output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { readServerFile, type ServerInfo } from '../../src/server/server-file.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLOE_BIN = join(ROOT, 'bin', 'floe.js');

export interface FloeRun {
  readonly child: ChildProcess;
  readonly info: ServerInfo;
  stderr(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startFloeRun(project: string, args: string[] = [], timeoutMs = 90_000): Promise<FloeRun> {
  const child = spawn(process.execPath, [FLOE_BIN, 'run', '--project', project, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await readServerFile(project);
    if (info && info.pid === child.pid && stderr.includes('floe running')) {
      return {
        child,
        info,
        stderr: () => stderr,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
          return exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
      throw new Error(`floe run did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `floe …` in this process (it finds the server through .floe/server.json like the real CLI). */
export async function floe(cwd: string, ...argv: string[]): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = { stdin, stdout: out, stderr: err, env: { NO_COLOR: '1' }, cwd, homedir: cwd, openEngine };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export async function api(info: ServerInfo, method: string, path: string, body?: unknown, token: string | null = info.token): Promise<Response> {
  return fetch(new URL(path, info.url), {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
