/**
 * Shared by the end-to-end tests: the CLI in-process (real engine, captured output), the customer project, the
 * generator writing into its landing folder, and read access to a project's warehouse between runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { CustomerGenerator, type GeneratedFile } from '../../src/generator/customer-generator.js';
import { writeAtomically } from '../../src/generator/write-file.js';
import type { VerifyReport } from '../../src/verify/verify.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'floe.js');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(argv: string[], cwd = ROOT): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: { NO_COLOR: '1' }, cwd, homedir: cwd, openEngine };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** The floe binary in a child process (what a user runs); resolves with its exit code and output. */
export function floeChild(argv: string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? -1, out, err }));
  });
}

export interface GenerateOptions {
  files: number;
  rowsPerFile: number;
  customers: number;
  seed: number;
  updateRatio?: number;
  deleteRatio?: number;
  lateRatio?: number;
}

/** A seeded generator writing whole files into the project's landing folder (as `floe generate` does). */
export class LandingWriter {
  private readonly gen: CustomerGenerator;
  readonly written: GeneratedFile[] = [];

  constructor(
    private readonly project: string,
    o: Omit<GenerateOptions, 'files'>,
  ) {
    this.gen = new CustomerGenerator({
      profile: 'cdc',
      customers: o.customers,
      rowsPerFile: o.rowsPerFile,
      updateRatio: o.updateRatio ?? 0.6,
      deleteRatio: o.deleteRatio ?? 0.1,
      lateRatio: o.lateRatio ?? 0.2,
      seed: o.seed,
      startTime: Date.UTC(2026, 0, 1),
    });
  }

  async next(): Promise<GeneratedFile> {
    const f = this.gen.nextFile();
    await writeAtomically(join(this.project, 'data', 'landing'), f.name, f.csv);
    this.written.push(f);
    return f;
  }
}

export async function generate(project: string, o: GenerateOptions): Promise<GeneratedFile[]> {
  const w = new LandingWriter(project, o);
  for (let i = 0; i < o.files; i++) await w.next();
  return w.written;
}

/** Runs SQL on a project's warehouse (only while no floe run holds it); returns the last statement's rows. */
export async function warehouseQuery(project: string, sql: string): Promise<unknown[][]> {
  return (await warehouseQueries(project, [sql]))[0]!;
}

/** Several scripts in one opening of the warehouse; the last statement's rows of each. */
export async function warehouseQueries(project: string, scripts: string[]): Promise<unknown[][][]> {
  const engine = await openEngine({ database: join(project, '.floe', 'warehouse.duckdb'), projectDir: project, tasks: { scheduler: false } });
  try {
    const s = await engine.session();
    const out: unknown[][][] = [];
    for (const sql of scripts) out.push((await s.query(sql)).at(-1)!.rows);
    await s.close();
    return out;
  } finally {
    await engine.close();
  }
}

/** `floe verify --json` in-process: exit code and report (nothing on stderr). */
export async function verifyJson(project: string): Promise<{ code: number; report: VerifyReport; err: string }> {
  const r = await cli(['verify', '--project', project, '--json']);
  return { code: r.code, report: JSON.parse(r.out) as VerifyReport, err: r.err };
}

/** `floe run` in a child process, resolved once it serves its API; `stop()` sends SIGTERM and waits for the exit. */
export function startFloeRun(project: string): Promise<{ child: ChildProcess; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', '--project', project], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (stderr.includes('floe running')) {
        resolve({
          child,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`floe run exited (${code}) before serving: ${stderr}`)));
  });
}
