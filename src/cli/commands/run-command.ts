/**
 * `floe run [--project DIR] [--host H] [--port N]`: the project's long-running process — applies the project's
 * SQL (a plan: new statements run, applied ones are skipped, re-creating existing objects is blocked unless
 * --replace-existing), then runs the flows, pipe auto-ingest and the task scheduler, and serves the HTTP API
 * (address and token in .floe/server.json) until SIGINT/SIGTERM.
 * `--once` applies, drains what is queued (flows, pipes, task runs) and exits (scripts, CI); it serves no API.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runProject } from '../../runtime/run-project.js';
import type { SqlStep } from '../../runtime/project-sql.js';
import type { CliIo } from '../io.js';
import { waitForStopSignal } from '../wait-for-signal.js';
import { DEFAULT_HOST, isLoopback, startApiServer } from '../../server/api-server.js';
import { connectServer } from '../../server/client/api-client.js';
import { FloeError } from '../../core/errors.js';
import { resolve } from 'node:path';

export function printPlan(steps: SqlStep[], io: CliIo): void {
  const count = (a: SqlStep['action']): number => steps.filter((s) => s.action === a).length;
  io.stderr.write(`project SQL: ${count('run')} run, ${count('applied')} already applied, ${count('exists')} existing, ${count('blocked')} blocked\n`);
  for (const s of steps.filter((x) => x.action === 'blocked')) {
    io.stderr.write(`  blocked: ${s.file}:${s.line} ${s.object ?? ''} exists; CREATE OR REPLACE would reset it (offsets, load history, rows). Re-run with --replace-existing to apply.\n`);
  }
  for (const s of steps.filter((x) => x.action === 'failed')) io.stderr.write(`  failed: ${s.file}:${s.line}: ${s.error ?? ''}\n`);
}

export function runCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('run')
    .description('run the project: apply its SQL, then flows, pipes and tasks until Ctrl-C')
    .option('--project <dir>', 'project folder (default: current folder)', '.')
    .option('--replace-existing', 'apply CREATE OR REPLACE statements for objects that already exist (resets their state)')
    .option('--once', 'apply, wait for in-flight loads and task runs, then exit')
    .option('--host <host>', `interface for the HTTP API (default: floe.yaml server.host, else ${DEFAULT_HOST})`)
    .option('--port <n>', 'port for the HTTP API (default: floe.yaml server.port, else 0 = a free port)', parsePort)
    .action(async (opts: { project: string; replaceExisting?: boolean; once?: boolean; host?: string; port?: number }) => {
      const live = await connectServer(resolve(io.cwd, opts.project));
      if (live) throw new FloeError('CONFIG', `floe run is already running for this project (pid ${live.info.pid}, API ${live.info.url})`);
      const running = await runProject({ projectDir: opts.project, replaceExisting: opts.replaceExisting ?? false, openEngine: io.openEngine, startFlows: !opts.once, pipes: !opts.once });
      printPlan(running.steps, io);
      // NiFi loads an invalid processor but never schedules it: say so up front, with what is wrong.
      for (const f of running.flows) {
        for (const node of f.nodes.values()) {
          for (const problem of node.invalid) io.stderr.write(`flow ${f.def.name}: processor ${node.id} is invalid: ${problem.message}\n`);
        }
      }
      if (running.steps.some((s) => s.action === 'failed')) {
        await running.stop();
        setExitCode(1);
        return;
      }
      if (!opts.once) {
        const host = opts.host ?? running.project.config.server?.host ?? DEFAULT_HOST;
        let api;
        try {
          api = await startApiServer({
            projectDir: running.project.dir,
            engine: running.engine,
            flows: running.flows,
            host,
            port: opts.port ?? running.project.config.server?.port ?? 0,
            onInternalError: (e) => io.stderr.write(`floe: API internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`),
          });
        } catch (error) {
          await running.stop();
          throw error;
        }
        if (!isLoopback(host)) {
          io.stderr.write(`warning: the API listens on ${host}, reachable from other machines; anyone with the token in .floe/server.json can run SQL\n`);
        }
        io.stderr.write(`floe running ${running.project.dir}: API ${api.url} (token in .floe/server.json) (Ctrl-C to stop)\n`);
        const failure = await waitForStopSignal(running.engine);
        io.stderr.write('stopping…\n');
        await api.close();
        if (failure) {
          await running.stop().catch(() => undefined);
          throw failure;
        }
      } else {
        // One pass: each source processor lists once, then every queue is worked off.
        for (const f of running.flows) {
          for (const node of f.nodes.values()) if (node.runStatus === 'Running' && node.inputs.length === 0) await f.runOnce(node.id);
          await f.drain();
        }
        // Pipes start after the flows ran: their start-up catch-up listing queues everything that landed.
        await running.engine.pipes.start();
        await running.engine.pipes.drain();
        await running.engine.idle();
      }
      await running.stop();
      setExitCode(running.steps.some((s) => s.action === 'blocked') ? 1 : 0);
    });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port number 0-65535 (0 = a free port)');
  return n;
}
