/**
 * The `floe` command line: builds the commander program, runs it, and turns every way it can end into an
 * exit code (0 ok, 1 a statement failed, 2 usage or configuration error). Never calls process.exit, so tests
 * run it in-process and the entry point can flush output before exiting.
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { FloeError } from '../core/errors.js';
import { red, useColor } from './format/errors.js';
import type { CliIo } from './io.js';
import { sqlCommand } from './commands/sql-command.js';
import { runCommand } from './commands/run-command.js';
import { generateCommand } from './commands/generate-command.js';
import { flowCommand } from './commands/flow-command.js';
import { scdCommand } from './commands/scd-command.js';
import { statusCommand } from './commands/status-command.js';
import { initCommand } from './commands/init-command.js';
import { verifyCommand } from './commands/verify-command.js';
import { demoCommand } from './commands/demo-command.js';
import { warehouseCommand } from './commands/warehouse-command.js';
import { EXIT_STATEMENT_FAILED, EXIT_USAGE } from './sql/run-sql.js';

/** package.json sits two levels up from both src/cli/ and dist/cli/. */
export function floeVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const color = useColor(io.stderr, io.env);
  const program = new Command('floe')
    .description('Real-time CDC pipelines in Snowflake SQL that run anywhere')
    .version(floeVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(color ? red(text) : text),
    })
    .showHelpAfterError('(run with --help for usage)');
  const setExitCode = (code: number): void => void (exitCode = code);
  for (const command of [initCommand(io, setExitCode), sqlCommand(io, setExitCode), runCommand(io, setExitCode), generateCommand(io, setExitCode), flowCommand(io, setExitCode), scdCommand(io, setExitCode), statusCommand(io), verifyCommand(io, setExitCode), demoCommand(io, setExitCode), warehouseCommand(io, setExitCode)]) {
    // addCommand does not copy exitOverride/output settings the way program.command() does.
    program.addCommand(command.copyInheritedSettings(program));
    for (const sub of command.commands) sub.copyInheritedSettings(command);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof FloeError && (error.code === 'CONFIG' || error.code === 'CONFLICT')) {
      io.stderr.write(`${color ? red(`error: ${message}`) : `error: ${message}`}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof FloeError && (error.code === 'FLOW' || error.code === 'WAREHOUSE_FAILED')) {
      io.stderr.write(`${color ? red(`error: ${message}`) : `error: ${message}`}\n`);
      return EXIT_STATEMENT_FAILED;
    }
    // A bug, not a user error: say so, with the stack for the report.
    const detail = error instanceof Error && error.stack !== undefined ? error.stack : message;
    io.stderr.write(`floe: internal error: ${detail}\n`);
    return EXIT_STATEMENT_FAILED;
  }
}
