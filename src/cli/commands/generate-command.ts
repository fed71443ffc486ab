/**
 * `floe generate`: synthetic customer files into the landing folder (DESIGN.md §3). `--files 0` keeps
 * generating until Ctrl-C; `--interval` spaces the files; progress goes to stderr on a terminal, a JSON
 * summary to stdout with --json.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { CustomerGenerator, type Profile } from '../../generator/customer-generator.js';
import { writeAtomically } from '../../generator/write-file.js';
import type { CliIo } from '../io.js';

export const int = (name: string, min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return n;
};
export const ratio = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be between 0 and 1`);
  return n;
};

interface GenerateOptions {
  project: string;
  out?: string;
  profile: Profile;
  customers: number;
  files: number;
  rowsPerFile: number;
  interval: number;
  updateRatio: number;
  deleteRatio: number;
  lateRatio: number;
  seed: number;
  json?: boolean;
}

export function generateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('generate')
    .description('write synthetic customer change files (CSV) into the landing folder')
    .option('--project <dir>', 'project folder (default: current folder)', '.')
    .option('--out <dir>', 'output folder (default: <project>/data/landing)')
    .option('--profile <profile>', "'cdc' (I/U/D events with updated_at) or 'seed' (the seed notebook's format)", (v) => {
      if (v !== 'cdc' && v !== 'seed') throw new InvalidArgumentError("expected 'cdc' or 'seed'");
      return v as Profile;
    }, 'cdc')
    .option('--customers <n>', 'live customers to grow to (seed: ids per file)', int('--customers', 1), 1000)
    .option('--files <n>', 'files to write; 0 = until Ctrl-C', int('--files', 0), 10)
    .option('--rows-per-file <n>', 'events per file (cdc)', int('--rows-per-file', 1), 1000)
    .option('--interval <ms>', 'pause between files', int('--interval', 0), 0)
    .option('--update-ratio <f>', 'share of updates', ratio('--update-ratio'), 0.5)
    .option('--delete-ratio <f>', 'share of deletes', ratio('--delete-ratio'), 0.05)
    .option('--late-ratio <f>', 'share of updates that arrive late', ratio('--late-ratio'), 0.02)
    .option('--seed <n>', 'random seed (same seed → same files)', int('--seed', 0), 42)
    .option('--json', 'print a JSON summary')
    .action(async (opts: GenerateOptions) => {
      if (opts.updateRatio + opts.deleteRatio > 1) throw new InvalidArgumentError('--update-ratio + --delete-ratio must be ≤ 1');
      const out = resolve(io.cwd, opts.out ?? resolve(opts.project, 'data', 'landing'));
      mkdirSync(out, { recursive: true });
      const gen = new CustomerGenerator({ ...opts, startTime: Date.UTC(2026, 0, 1) });
      const totals = { files: 0, I: 0, U: 0, D: 0, late: 0 };
      let stopped = false;
      const stop = (): void => void (stopped = true);
      process.once('SIGINT', stop);
      try {
        while (!stopped && (opts.files === 0 || totals.files < opts.files)) {
          const f = gen.nextFile();
          await writeAtomically(out, f.name, f.csv);
          totals.files++;
          for (const k of ['I', 'U', 'D', 'late'] as const) totals[k] += f.counts[k];
          if (io.stderr.isTTY && !opts.json) io.stderr.write(`\r${totals.files}${opts.files ? `/${opts.files}` : ''} files · ${totals.I} I · ${totals.U} U · ${totals.D} D · ${totals.late} late`);
          if (opts.interval > 0) await new Promise((r) => setTimeout(r, opts.interval));
        }
      } finally {
        process.off('SIGINT', stop);
      }
      if (io.stderr.isTTY && !opts.json) io.stderr.write('\n');
      if (opts.json) io.stdout.write(`${JSON.stringify({ out, ...totals })}\n`);
      else io.stdout.write(`${totals.files} file(s) in ${out}: ${totals.I} inserts, ${totals.U} updates (${totals.late} late), ${totals.D} deletes\n`);
      setExitCode(0);
    });
}
