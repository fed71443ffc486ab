/**
 * `floe verify [--project DIR] [--json]`: the SCD tables against the reference fold of every event in the files
 * the pipes loaded (docs/verify.md). Exit 0 equal, 1 any difference, 2 usage or configuration error.
 */
import { Command, InvalidArgumentError } from 'commander';
import { verifyProject } from '../../verify/verify.js';
import { reportJson, reportText } from '../../verify/verify-report.js';
import type { CliIo } from '../io.js';

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer ≥ 1');
  return n;
};

export function verifyCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('verify')
    .description('recompute the SCD tables from the loaded files (reference fold) and compare; exit 1 on any difference')
    .option('--project <dir>', 'project folder (default: current folder)', '.')
    .option('--scd <file>', 'the floe scd config of the SCD tables, relative to the project', 'scd.yaml')
    .option('--limit <n>', 'differing keys shown per table', positive, 20)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { project: string; scd: string; limit: number; json?: boolean }) => {
      const progress = io.stderr.isTTY && !opts.json ? (m: string) => io.stderr.write(`\rverify: ${m}\x1b[K`) : undefined;
      const report = await verifyProject({ projectDir: opts.project, scdFile: opts.scd, limit: opts.limit, openEngine: io.openEngine, ...(progress ? { progress } : {}) });
      if (progress) io.stderr.write('\r\x1b[K');
      io.stdout.write(opts.json ? reportJson(report) : reportText(report, opts.limit));
      setExitCode(report.ok ? 0 : 1);
    });
}

