/**
 * `floe flow start|stop|enable|disable|run-once|clear-state FLOW PROCESSOR`: NiFi's run-status and
 * state-clear operations. When `floe run` serves the project they go through its HTTP API (the running
 * process owns the flow's state); otherwise they open the flow's state here, which needs the flow not to be
 * running in another process (`floe flow run`).
 */
import { Command } from 'commander';
import { FlowEngine } from '../../flow/flow-engine.js';
import type { CliIo } from '../io.js';
import { loadFlowProject, selectFlow } from '../flow/flow-project.js';
import { flowServices } from '../../runtime/flow-services.js';
import { connectServer } from '../../server/client/api-client.js';
import { remoteEmptyQueue, remoteProcessorAction } from '../flow/flow-remote.js';

type Action = 'start' | 'stop' | 'enable' | 'disable' | 'run-once' | 'clear-state';

const DESCRIPTIONS: Record<Action, string> = {
  start: 'set a processor Running (kept across restarts)',
  stop: 'set a processor Stopped',
  enable: 'enable a disabled processor (it becomes Stopped)',
  disable: 'disable a processor (it cannot be started until enabled)',
  'run-once': 'trigger a processor exactly once, process what it produced, then leave it Stopped',
  'clear-state': 'clear a stopped processor’s state (ListFile lists everything again)',
};

export function flowControlCommands(io: CliIo): Command[] {
  return (Object.keys(DESCRIPTIONS) as Action[]).map((action) =>
    new Command(action)
      .description(DESCRIPTIONS[action])
      .argument('<flow>', 'flow name')
      .argument('<processor>', 'processor name')
      .option('--project <dir>', 'project folder (default: current folder)')
      .action(async (flowName: string, processor: string, opts: { project?: string }) => {
        const project = await loadFlowProject(io, opts.project);
        const def = selectFlow(project, flowName);
        const client = await connectServer(project.dir);
        if (client) {
          const runStatus = await remoteProcessorAction(client, def.name, processor, action);
          io.stdout.write(`${def.name}.${processor}: ${action === 'clear-state' ? 'state cleared' : runStatus}\n`);
          return;
        }
        const handle = flowServices(project.loaded.config.storage, project.dir, io.env);
        const engine = await FlowEngine.open(def, { projectDir: project.dir, env: io.env, services: handle.services });
        try {
          if (action === 'clear-state') await engine.clearState(processor);
          else if (action === 'run-once') {
            await engine.setRunStatus(processor, 'RUN_ONCE');
            await engine.drain();
          } else {
            const state = action === 'start' ? 'RUNNING' : action === 'disable' ? 'DISABLED' : 'STOPPED';
            await engine.setRunStatus(processor, state);
          }
          const p = engine.status().processors.find((x) => x.id === processor)!;
          io.stdout.write(`${def.name}.${processor}: ${action === 'clear-state' ? 'state cleared' : p.runStatus}\n`);
        } finally {
          await engine.close();
          await handle.close();
        }
      }),
  );
}

export function flowEmptyQueueCommand(io: CliIo): Command {
  return new Command('empty-queue')
    .description('drop every flowfile queued on a connection (DROP events; the flow must not be running elsewhere)')
    .argument('<flow>', 'flow name')
    .argument('<connection>', 'connection id, as `floe flow status` shows it')
    .option('--project <dir>', 'project folder (default: current folder)')
    .action(async (flowName: string, connection: string, opts: { project?: string }) => {
      const project = await loadFlowProject(io, opts.project);
      const def = selectFlow(project, flowName);
      const client = await connectServer(project.dir);
      if (client) {
        io.stdout.write(`${def.name}.${connection}: ${await remoteEmptyQueue(client, def.name, connection)} flowfile(s) dropped\n`);
        return;
      }
      const engine = await FlowEngine.open(def, { projectDir: project.dir, env: io.env });
      try {
        const n = await engine.emptyQueue(connection);
        io.stdout.write(`${def.name}.${connection}: ${n} flowfile(s) dropped\n`);
      } finally {
        await engine.close();
      }
    });
}
