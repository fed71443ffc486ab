/** `floe init [DIR] [--force]`: write the customer SCD example project (DESIGN.md §3). */
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { initProject } from '../../project/init-project.js';
import type { CliIo } from '../io.js';

export function initCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('init')
    .description('write the customer SCD example project (floe.yaml, sql/, scd.yaml, README.md)')
    .argument('[dir]', 'project folder (created if missing)', '.')
    .option('--force', 'overwrite files the project already has')
    .action((dir: string, opts: { force?: boolean }) => {
      const r = initProject(resolve(io.cwd, dir), { force: opts.force === true });
      const rel = relative(io.cwd, r.dir);
      const shown = rel === '' ? '.' : rel.startsWith('..') ? r.dir : rel;
      for (const f of r.written) io.stdout.write(`  ${r.replaced.includes(f) ? 'replaced' : 'created '} ${f}\n`);
      const cd = shown === '.' ? '' : `cd ${shown} && `;
      io.stdout.write(`\nProject written to ${shown}. Next:\n  ${cd}floe run            # flows, pipe and task\n  floe generate --project ${shown} --files 10 --interval 500   # in another terminal\n  floe demo ${shown === '.' ? '' : shown}           # or both at once, with a live view\n`);
      setExitCode(0);
    });
}
