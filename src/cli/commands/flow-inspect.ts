/**
 * `floe flow status [FLOW]` and `floe flow provenance FLOW …`: through the HTTP API when `floe run` serves the
 * project; otherwise read-only views of the durable state, so they also work while the flow runs in another
 * process (`floe flow run`: live status comes from the running process's status.json).
 */
import { Command, Option } from 'commander';
import { FloeError } from '../../core/errors.js';
import { flowStateDir } from '../../flow/flow-engine.js';
import { inspectFlow } from '../../flow/flow-inspect.js';
import type { ProvenanceEventType } from '../../flow/provenance.js';
import type { CliIo } from '../io.js';
import { eventLine, formatBytes, statusText } from '../flow/flow-format.js';
import { listQueue } from '../../flow/queue-control.js';
import { loadFlowProject, selectFlow, selectFlows } from '../flow/flow-project.js';
import { connectServer } from '../../server/client/api-client.js';
import { flowFileLineage, PROVENANCE_EVENT_TYPES, searchProvenance } from '../../runtime/flow-provenance.js';
import { remoteFlowStatus, remoteProvenance, type LiveFlowStatus } from '../flow/flow-remote.js';

export function flowStatusCommand(io: CliIo): Command {
  return new Command('status')
    .description('processors (run state, 5-minute stats), queues with back pressure, bulletins, processor state')
    .argument('[flow...]', 'flows (default: all)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--state', 'also print each processor’s saved state (e.g. ListFile’s listing timestamps)')
    .option('--json', 'JSON output')
    .action(async (names: string[], opts: { project?: string; state?: boolean; json?: boolean }) => {
      const project = await loadFlowProject(io, opts.project);
      const client = await connectServer(project.dir);
      const out: unknown[] = [];
      for (const def of selectFlows(project, names)) {
        let status: LiveFlowStatus;
        let state: Record<string, Record<string, string>> | undefined;
        if (client) {
          ({ state, ...status } = await remoteFlowStatus(client, def.name, opts.state === true));
        } else {
          const inspected = await inspectFlow(def, flowStateDir(project.dir, def.name));
          status = inspected.status;
          state = opts.state ? Object.fromEntries(def.processors.map((p) => [p.id, inspected.repo.state.get(p.id) ?? {}])) : undefined;
        }
        if (opts.json) out.push({ ...status, ...(state ? { state } : {}) });
        else {
          io.stdout.write(`${statusText(status)}\n`);
          if (!status.live) io.stdout.write('(flow not running: queues from the durable state; 5-minute statistics need a running flow)\n');
          if (state) io.stdout.write(`\nstate:\n${JSON.stringify(state, null, 2)}\n`);
          io.stdout.write('\n');
        }
      }
      if (opts.json) io.stdout.write(`${JSON.stringify(out.length === 1 ? out[0] : out, null, 2)}\n`);
    });
}

export function flowProvenanceCommand(io: CliIo): Command {
  return new Command('provenance')
    .description('search provenance events (newest first), or show a file’s lineage')
    .argument('[flow]', 'flow (may be omitted when the project has one flow)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--uuid <uuid>', 'events of this flowfile')
    .option('--filename <name>', 'events whose filename attribute is NAME')
    .option('--processor <id>', 'events recorded by this processor')
    .addOption(new Option('--type <type>', 'event type').choices(PROVENANCE_EVENT_TYPES))
    .option('--lineage', 'with --uuid or --filename: the whole lineage in time order (parents and children too)')
    .option('--limit <n>', 'at most N events (default 1000)', (v) => Number.parseInt(v, 10))
    .option('--json', 'JSON Lines output')
    .action(async (name: string | undefined, opts: { project?: string; uuid?: string; filename?: string; processor?: string; type?: string; lineage?: boolean; limit?: number; json?: boolean }) => {
      const project = await loadFlowProject(io, opts.project);
      const def = selectFlow(project, name);
      if (opts.lineage && !opts.uuid && !opts.filename) throw new FloeError('CONFIG', '--lineage needs --uuid or --filename');
      const client = await connectServer(project.dir);
      let events;
      if (client) events = await remoteProvenance(client, def.name, opts);
      else {
        const { provenance } = await inspectFlow(def, flowStateDir(project.dir, def.name));
        events = opts.lineage
          ? await flowFileLineage(provenance, opts)
          : await searchProvenance(provenance, { ...opts, type: opts.type as ProvenanceEventType | undefined });
      }
      for (const e of events) io.stdout.write(`${opts.json ? JSON.stringify(e) : eventLine(e)}\n`);
    });
}

export function flowQueueCommand(io: CliIo): Command {
  return new Command('queue')
    .description('list the flowfiles queued on a connection (durable state; works while the flow runs)')
    .argument('<flow>', 'flow name')
    .argument('<connection>', "connection id, as `floe flow status` shows it (e.g. 'list.success.fetch')")
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--limit <n>', 'at most N flowfiles (default 100)', (v) => Number.parseInt(v, 10))
    .option('--json', 'JSON Lines output (with all attributes)')
    .action(async (name: string, connection: string, opts: { project?: string; limit?: number; json?: boolean }) => {
      const project = await loadFlowProject(io, opts.project);
      const def = selectFlow(project, name);
      if (!def.connections.some((c) => c.id === connection)) {
        throw new FloeError('CONFIG', `flow '${def.name}' has no connection '${connection}' (it has: ${def.connections.map((c) => c.id).join(', ')})`);
      }
      const { repo } = await inspectFlow(def, flowStateDir(project.dir, def.name));
      const items = listQueue(repo.queues.get(connection)?.values() ?? [], Date.now()).slice(0, opts.limit ?? 100);
      for (const q of items) {
        io.stdout.write(
          opts.json
            ? `${JSON.stringify(q)}\n`
            : `${String(q.position).padStart(6)} ${q.uuid} ${(q.filename ?? '').padEnd(30)} ${formatBytes(q.size).padStart(9)} ${new Date(q.entryDate).toISOString()}${q.penalizedUntil ? `  penalized until ${new Date(q.penalizedUntil).toISOString()}` : ''}\n`,
        );
      }
    });
}
