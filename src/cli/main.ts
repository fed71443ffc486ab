/** Entry point of the `floe` binary (bin/floe.js loads this): wires the real process into runCli. */
import os from 'node:os';
import { openEngine } from './engine-loader.js';
import { runCli } from './program.js';

// `floe sql … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  homedir: os.homedir(),
  openEngine,
});
