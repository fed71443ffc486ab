/**
 * `floe demo [DIR]` (what `npm start` runs): init the customer project if DIR has none, run it, generate
 * customer change files continuously and show the pipeline live until Ctrl-C (docs/cli.md#floe-demo).
 */
import { relative, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { FloeError } from '../../core/errors.js';
import { runDemo } from '../../demo/run-demo.js';
import { useColor } from '../format/errors.js';
import type { CliIo } from '../io.js';
import { DEFAULT_HOST, isLoopback, startApiServer } from '../../server/api-server.js';
import { connectServer } from '../../server/client/api-client.js';
import { int, ratio } from './generate-command.js';
import { printPlan } from './run-command.js';

/** `90`, `90s`, `2m`, `1h` → ms. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 90, 90s, 2m or 1h');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] as number;
  const ms = Math.round(Number(m[1]) * unit);
  if (ms <= 0) throw new InvalidArgumentError('the duration must be positive');
  return ms;
}

interface DemoCliOptions {
  interval: number;
  rowsPerFile: number;
  customers: number;
  seed: number;
  updateRatio: number;
  deleteRatio: number;
  lateRatio: number;
  files?: number;
  duration?: number;
  generate: boolean;
  json?: boolean;
}

export function demoCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('demo')
    .description('the customer CDC pipeline live: init (if needed) + run + generate files, with a live view (npm start)')
    .argument('[dir]', 'project folder (created and initialised if it has no floe.yaml)', 'floe-demo')
    .option('--interval <ms>', 'pause between generated files', int('--interval', 0), 1000)
    .option('--rows-per-file <n>', 'events per file', int('--rows-per-file', 1), 200)
    .option('--customers <n>', 'live customers the generator grows to', int('--customers', 1), 2000)
    .option('--seed <n>', 'random seed (same seed and state → same files)', int('--seed', 0), 42)
    .option('--update-ratio <f>', 'share of updates', ratio('--update-ratio'), 0.5)
    .option('--delete-ratio <f>', 'share of deletes', ratio('--delete-ratio'), 0.05)
    .option('--late-ratio <f>', 'share of updates that arrive late', ratio('--late-ratio'), 0.02)
    .option('--files <n>', 'generate N files, wait until they are in the SCD tables, then exit', int('--files', 1))
    .option('--duration <time>', 'generate for this long (90s, 2m), wait until applied, then exit', parseDuration)
    .option('--no-generate', 'run the pipeline without the generator (drop files into data/landing/ yourself)')
    .option('--json', 'progress on stderr, a JSON summary on stdout at the end')
    .action(async (dir: string, opts: DemoCliOptions) => {
      // FloeError CONFIG: printed as `error: …`, exit 2 (a usage error).
      if (opts.updateRatio + opts.deleteRatio > 1) throw new FloeError('CONFIG', '--update-ratio + --delete-ratio must be ≤ 1');
      if (!opts.generate && (opts.files !== undefined || opts.duration !== undefined)) {
        throw new FloeError('CONFIG', '--files and --duration limit the generator; they cannot be combined with --no-generate');
      }
      const abs = resolve(io.cwd, dir);
      const live = await connectServer(abs);
      if (live) throw new FloeError('CONFIG', `floe is already running for ${dir} (pid ${live.info.pid}, API ${live.info.url}); stop it first`);
      const rel = relative(io.cwd, abs);
      const displayDir = rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
      const code = await runDemo({
        dir: abs,
        displayDir,
        generate: opts.generate,
        intervalMs: opts.interval,
        rowsPerFile: opts.rowsPerFile,
        customers: opts.customers,
        seed: opts.seed,
        updateRatio: opts.updateRatio,
        deleteRatio: opts.deleteRatio,
        lateRatio: opts.lateRatio,
        ...(opts.files !== undefined ? { files: opts.files } : {}),
        ...(opts.duration !== undefined ? { durationMs: opts.duration } : {}),
        json: opts.json === true,
        output: { stdout: io.stdout, stderr: io.stderr, color: useColor(io.stdout, io.env) },
        openEngine: io.openEngine,
        reportStart: (running) => {
          printPlan(running.steps, io);
          for (const f of running.flows) {
            for (const node of f.nodes.values()) {
              for (const problem of node.invalid) io.stderr.write(`flow ${f.def.name}: processor ${node.id} is invalid: ${problem.message}\n`);
            }
          }
          return !running.steps.some((s) => s.action === 'failed');
        },
        // The same API as `floe run`, so `floe sql --project DIR` works from another terminal while the demo runs.
        serve: async (running) => {
          const host = running.project.config.server?.host ?? DEFAULT_HOST;
          if (!isLoopback(host)) io.stderr.write(`warning: the API listens on ${host}, reachable from other machines; anyone with the token in .floe/server.json can run SQL\n`);
          return startApiServer({
            projectDir: running.project.dir,
            engine: running.engine,
            flows: running.flows,
            host,
            port: running.project.config.server?.port ?? 0,
            onInternalError: (e) => io.stderr.write(`floe: API internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
          });
        },
      });
      setExitCode(code);
    });
}
