/**
 * Shared pieces of the end-to-end pipeline benchmarks (issue #7 "Performance"): options, percentiles, process
 * memory/CPU from /proc, machine load, and generated customer files (the same generator as `floe generate`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CustomerGenerator } from '../../src/generator/customer-generator.js';

/** `--quick` on the command line or FLOE_BENCH_QUICK=1 picks the short variant of a scenario. */
export const isQuick = (argv: string[] = process.argv): boolean => argv.includes('--quick') || process.env.FLOE_BENCH_QUICK === '1';

/** A positive number from the environment, else the default (scripts stay parameterised for reruns). */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return n;
}

export const pct = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** `p50 12 ms, p99 40 ms, max 51 ms` */
export const summary = (xs: readonly number[], unit = 'ms'): string =>
  `p50 ${pct(xs, 50).toFixed(0)} ${unit}, p99 ${pct(xs, 99).toFixed(0)} ${unit}, max ${Math.max(...xs).toFixed(0)} ${unit}`;

/** The machine's load next to every figure: the bench machine is shared, figures are noisy. */
export const loadNote = (): string =>
  `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, DuckDB memory_limit ` +
  (baselineMemoryLimit() === benchMemoryLimit() ? `${benchMemoryLimit()} on both sides` : `${benchMemoryLimit()} for floe, ${baselineMemoryLimit()} for the baseline`);

/** VmRSS / VmHWM of a process in MB (Linux /proc). */
export function memoryMb(pid: number | 'self' = 'self'): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** User + system CPU time of a process in seconds (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s). */
export function cpuSeconds(pid: number | 'self' = 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  return fitLine(xs, ys).slope;
}

/**
 * Least-squares line of y over x with the slope's standard error and the residuals' standard deviation (the
 * noise around the line): a slope within about two standard errors of 0 is not told apart from no growth.
 */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; slopeError: number; noise: number } {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const b = den === 0 ? 0 : num / den;
  let rss = 0;
  for (let i = 0; i < xs.length; i++) rss += (ys[i]! - (my + b * (xs[i]! - mx))) ** 2;
  const dof = xs.length - 2;
  const noise = dof > 0 ? Math.sqrt(rss / dof) : NaN;
  return { slope: b, slopeError: dof > 0 && den > 0 ? noise / Math.sqrt(den) : NaN, noise };
}

export interface GeneratedSet {
  names: string[];
  rows: number;
}

/**
 * `files` cdc files of `rowsPerFile` events into `dir` (names sort in generation order), with the defaults of
 * `floe generate` for the event mix (50 % updates, 5 % deletes, 2 % of updates late).
 */
export function generateFiles(dir: string, o: { files: number; rowsPerFile: number; customers: number; seed?: number }): GeneratedSet {
  const gen = new CustomerGenerator({
    profile: 'cdc',
    customers: o.customers,
    rowsPerFile: o.rowsPerFile,
    updateRatio: 0.5,
    deleteRatio: 0.05,
    lateRatio: 0.02,
    seed: o.seed ?? 42,
    startTime: Date.UTC(2026, 0, 1),
  });
  const names: string[] = [];
  for (let i = 0; i < o.files; i++) {
    const f = gen.nextFile();
    writeFileSync(join(dir, f.name), f.csv);
    names.push(f.name);
  }
  return { names, rows: o.files * o.rowsPerFile };
}

/** FLOE_BENCH_MEMORY_LIMIT: floe.yaml `warehouse.memoryLimit` for floe. Default 512MB, what `floe init` writes. */
export const benchMemoryLimit = (): string => process.env.FLOE_BENCH_MEMORY_LIMIT || '512MB';

/**
 * FLOE_BENCH_BASELINE_MEMORY_LIMIT: `SET memory_limit` for the hand-written baseline. Default 1GB: at 512MB its
 * SCD statements run out of memory on the 10M-event backfill (floe's do not), so the baseline gets more, not less.
 */
export const baselineMemoryLimit = (): string => process.env.FLOE_BENCH_BASELINE_MEMORY_LIMIT || '1GB';

/** Sets `warehouse.memoryLimit` in a project's floe.yaml written by `floe init` (which sets 512MB). */
export function limitProjectMemory(projectDir: string, limit: string): void {
  const file = join(projectDir, 'floe.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (!/^ {2}memoryLimit: .*$/m.test(yaml)) throw new Error(`${file}: no warehouse.memoryLimit line to replace`);
  writeFileSync(file, yaml.replace(/^ {2}memoryLimit: .*$/m, `  memoryLimit: '${limit}'`));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
