/**
 * `floe flow run [FLOW...]`: runs the project's flows in this process until SIGINT/SIGTERM (or, with
 * --once, triggers each running source processor once and processes everything queued, then exits).
 * A live counter line goes to stderr every few seconds when it is a terminal.
 */
import { Command } from 'commander';
import { FlowEngine } from '../../flow/flow-engine.js';
import type { CliIo } from '../io.js';
import { waitForStopSignal } from '../wait-for-signal.js';
import { loadFlowProject, selectFlows } from '../flow/flow-project.js';
import { flowServices } from '../../runtime/flow-services.js';
import { summaryLine } from '../flow/flow-format.js';

export function flowRunCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('run')
    .description('run flows until interrupted (Ctrl-C); --once: one listing pass, then drain the queues and exit')
    .argument('[flow...]', 'flows to run (default: all flows in floe.yaml)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--once', 'trigger each running source processor once, process everything queued, then exit')
    .option('--json', 'print the final status as JSON')
    .action(async (names: string[], opts: { project?: string; once?: boolean; json?: boolean }) => {
      const project = await loadFlowProject(io, opts.project);
      const flows = selectFlows(project, names);
      const handle = flowServices(project.loaded.config.storage, project.dir, io.env);
      const engines: FlowEngine[] = [];
      try {
        for (const def of flows) engines.push(await FlowEngine.open(def, { projectDir: project.dir, env: io.env, services: handle.services }));
        if (opts.once) {
          for (const engine of engines) {
            for (const node of engine.nodes.values()) {
              if (node.runStatus === 'Running' && node.inputs.length === 0) await engine.runOnce(node.id);
            }
            await engine.drain();
          }
        } else {
          await runUntilSignal(engines, io);
        }
        const statuses = engines.map((e) => e.status());
        if (opts.json) io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        else for (const s of statuses) io.stdout.write(`${summaryLine(s)}\n`);
        const failed = statuses.some((s) => s.bulletins.some((b) => b.level === 'ERROR'));
        setExitCode(failed ? 1 : 0);
      } finally {
        for (const engine of engines) await engine.close();
        await handle.close();
      }
    });
}

async function runUntilSignal(engines: FlowEngine[], io: CliIo): Promise<void> {
  for (const engine of engines) engine.start();
  io.stderr.write(`running ${engines.map((e) => e.def.name).join(', ')} (Ctrl-C to stop)\n`);
  const live = io.stderr.isTTY
    ? setInterval(() => {
        for (const e of engines) io.stderr.write(`${summaryLine(e.status())}\n`);
      }, 5000)
    : undefined;
  await waitForStopSignal();
  if (live) clearInterval(live);
  io.stderr.write('stopping…\n');
  for (const engine of engines) await engine.stop();
}
