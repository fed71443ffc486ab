import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FloeError } from '../core/errors.js';
import type { Engine, EngineOptions, RunOptions, Session, StatementOutcome } from '../engine/engine-api.js';
import { splitScript } from '../sql/split-script.js';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

/** Echoes each statement back as a one-row result; statements starting with FAIL fail. */
class FakeEngine implements Engine {
  opened: EngineOptions[] = [];
  runs: { script: string; options?: RunOptions }[] = [];
  closed = false;

  onCommit(): () => void {
    return () => undefined;
  }

  onTaskRun(): () => void {
    return () => undefined;
  }

  onWarehouseFailure(): () => void {
    return () => undefined;
  }

  readonly pipes = { start: async () => undefined, stop: async () => undefined, drain: async () => undefined, onLoad: () => () => undefined };
  readonly appliedSql = { isApplied: async () => false, markApplied: async () => undefined };
  async idle(): Promise<void> {}
  async warehouseMemory(): Promise<undefined> {
    return undefined;
  }

  async session(): Promise<Session> {
    const runs = this.runs;
    return {
      async *run(script: string, options?: RunOptions): AsyncGenerator<StatementOutcome> {
        runs.push({ script, options });
        let n = options?.firstStatement ?? 1;
        for (const stmt of splitScript(script)) {
          const statement = n++;
          if (/^fail/i.test(stmt.sql)) {
            const error = new FloeError('SQL_COMPILATION', 'SQL compilation error:\nfailed on purpose', {
              location: { file: options?.file, line: stmt.line },
            });
            yield { ok: false, statement, sql: stmt.sql, error };
            if (options?.continueOnError !== true) return;
          } else {
            yield { ok: true, result: { statement, sql: stmt.sql, columns: [{ name: 'SQL', type: 'TEXT' }], rows: [[stmt.sql]], queryId: 'q' } };
          }
        }
      },
      query: async () => [],
      close: async () => undefined,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

let dir: string;
let engine: FakeEngine;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-cli-'));
  engine = new FakeEngine();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], stdinText?: string, overrides: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.end(stdinText ?? '');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIo = {
    stdin,
    stdout,
    stderr,
    env: {},
    cwd: dir,
    homedir: dir,
    openEngine: async (options) => {
      engine.opened.push(options);
      return engine;
    },
    ...overrides,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const lines = (out: string): Record<string, unknown>[] =>
  out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('floe sql', () => {
  it('runs -q and -f in command-line order, numbering statements continuously', async () => {
    fs.writeFileSync(path.join(dir, 'a.sql'), 'select 2; select 3;');
    const r = await cli(['sql', '--db', ':memory:', '--format', 'json', '-q', 'select 1', '-f', 'a.sql', '-q', 'select 4']);
    expect(r.code).toBe(0);
    expect(lines(r.out).map((l) => [l.statement, l.sql])).toEqual([
      [1, 'select 1'],
      [2, 'select 2'],
      [3, 'select 3'],
      [4, 'select 4'],
    ]);
    expect(engine.runs.map((x) => x.options)).toEqual([
      { file: undefined, continueOnError: false, firstStatement: 1 },
      { file: 'a.sql', continueOnError: false, firstStatement: 2 },
      { file: undefined, continueOnError: false, firstStatement: 4 },
    ]);
    expect(engine.opened).toEqual([{ database: ':memory:' }]);
    expect(engine.closed).toBe(true);
  });

  it('stops at the first failure with exit code 1', async () => {
    const r = await cli(['sql', '--db', ':memory:', '--format', 'json', '-q', 'select 1; fail 2; select 3', '-q', 'select 4']);
    expect(r.code).toBe(1);
    expect(lines(r.out).map((l) => l.statement)).toEqual([1, 2]);
    expect(lines(r.out)[1].error).toMatchObject({ code: 'SQL_COMPILATION', snowflakeCode: '002000' });
  });

  it('keeps going with --continue-on-error and still exits 1', async () => {
    const r = await cli(['sql', '--db', ':memory:', '--format', 'json', '--continue-on-error', '-q', 'fail 1; select 2', '-q', 'select 3']);
    expect(r.code).toBe(1);
    expect(lines(r.out).map((l) => [l.statement, 'error' in l])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
  });

  it('reads the script from stdin when it is not a terminal, and for -f -', async () => {
    const piped = await cli(['sql', '--db', ':memory:', '--format', 'csv'], 'select 1;\nfail;');
    expect(piped.code).toBe(1);
    expect(piped.out).toBe('SQL\nselect 1\n');
    expect(piped.err).toContain('Statement 2 (<stdin>:2) failed:\n002000 (SQL_COMPILATION)');
    const dash = await cli(['sql', '--db', ':memory:', '--format', 'json', '-q', 'select 0', '-f', '-'], 'select 1');
    expect(lines(dash.out).map((l) => l.sql)).toEqual(['select 0', 'select 1']);
  });

  it('opens the project warehouse, creating .floe/', async () => {
    fs.mkdirSync(path.join(dir, 'proj'));
    const r = await cli(['sql', '--project', 'proj', '-q', 'select 1']);
    expect(r.code).toBe(0);
    expect(engine.opened).toEqual([
      { database: path.join(dir, 'proj', '.floe', 'warehouse.duckdb'), projectDir: path.join(dir, 'proj'), storage: { buckets: {} }, tasks: {} },
    ]);
    expect(fs.statSync(path.join(dir, 'proj', '.floe')).isDirectory()).toBe(true);
    expect(r.out).toContain('1 Row(s) produced.');
  });

  it('exits 2 on usage and configuration errors, before opening the warehouse', async () => {
    expect((await cli(['sql', '--db', 'x', '--project', 'p', '-q', 'select 1'])).code).toBe(2);
    expect((await cli(['sql', '--format', 'xml', '-q', 'select 1'])).code).toBe(2);
    expect((await cli(['sql', '--nope'])).code).toBe(2);
    const missing = await cli(['sql', '--db', ':memory:', '-f', 'missing.sql']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read SQL file missing.sql: no such file');
    expect(engine.opened).toEqual([]);
  });

  it('exits 2 when the warehouse cannot be opened', async () => {
    const r = await cli(['sql', '--db', ':memory:', '-q', 'select 1'], undefined, {
      openEngine: () => Promise.reject(new Error('database is locked')),
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: cannot open warehouse :memory:: database is locked\n');
  });

  it('prints help and version with exit code 0', async () => {
    const help = await cli(['sql', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--continue-on-error');
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
