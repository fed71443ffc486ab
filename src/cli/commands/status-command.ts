/**
 * `floe status [--project DIR] [--json]`: pipes, tasks and flows of a project. From the live `floe run`
 * (GET /v1/status) when one serves the project; otherwise read from the files — pipes and tasks from the
 * warehouse (with the task scheduler off), flows from their durable state (queues, run states; the 5-minute
 * statistics and bulletins exist only in a running process).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { FloeError } from '../../core/errors.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { taskEnvironment } from '../../config/tasks-config.js';
import { toFlowDefinition } from '../../config/flows-config.js';
import { flowStateDir } from '../../flow/flow-engine.js';
import { inspectFlow } from '../../flow/flow-inspect.js';
import { warehouseStatus, type ProjectStatus, type WarehouseStatus } from '../../runtime/project-status.js';
import { memoryText } from '../../runtime/process-memory.js';
import { connectServer } from '../../server/client/api-client.js';
import type { CliIo } from '../io.js';
import { statusText } from '../flow/flow-format.js';

export function statusCommand(io: CliIo): Command {
  return new Command('status')
    .description('pipes (pending files, last load), tasks (state, last run) and flows (queues, processors) of a project')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'JSON output (the shape of GET /v1/status)')
    .action(async (opts: { project?: string; json?: boolean }) => {
      const dir = resolve(io.cwd, opts.project ?? '.');
      const client = await connectServer(dir);
      const status = client ? await client.json<ProjectStatus>('GET', '/v1/status') : await offlineStatus(dir, io);
      io.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : statusReport(status));
    });
}

async function offlineStatus(dir: string, io: CliIo): Promise<ProjectStatus> {
  const project = await loadProjectConfig(dir);
  const database = join(dir, '.floe', 'warehouse.duckdb');
  let warehouse: WarehouseStatus = { pipes: [], tasks: [] };
  if (existsSync(database)) {
    let engine;
    try {
      engine = await io.openEngine({ database, projectDir: dir, storage: project.config.storage, tasks: { ...taskEnvironment(project.config.tasks), scheduler: false } });
    } catch (error) {
      throw new FloeError('CONFIG', `cannot open warehouse ${database}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const session = await engine.session();
      warehouse = await warehouseStatus(session);
      await session.close();
    } finally {
      await engine.close();
    }
  }
  const flows = [];
  for (const [name, flow] of Object.entries(project.config.flows)) {
    flows.push((await inspectFlow(toFlowDefinition(name, flow), flowStateDir(dir, name))).status);
  }
  return { project: dir, source: 'warehouse', ...warehouse, flows };
}

export function statusReport(s: ProjectStatus): string {
  const lines: string[] = [];
  if (s.server) {
    lines.push(`project ${s.project}: running (floe run pid ${s.server.pid}${s.server.url ? ` at ${s.server.url}` : ''}, up ${duration(s.server.uptimeSeconds)})`);
    if (s.memory) lines.push(`memory: ${memoryText(s.memory, { configured: true })}`);
  } else {
    lines.push(`project ${s.project}: not running (read from .floe/; flow statistics need a running flow)`);
  }
  lines.push('', `pipes (${s.pipes.length}):`);
  for (const p of s.pipes) {
    const st = p.status;
    const last = st.lastIngestedTimestamp ? `  last load ${String(st.lastIngestedTimestamp)} ${String(st.lastIngestedFilePath ?? '')}` : '  no load yet';
    lines.push(`  ${p.name.padEnd(32)} ${String(st.executionState ?? '').padEnd(8)} pending ${String(st.pendingFileCount ?? 0)}${last}`);
    if (st.error) lines.push(`    error: ${String(st.error)}`);
  }
  lines.push('', `tasks (${s.tasks.length}):`);
  for (const t of s.tasks) {
    const when = t.schedule ? `schedule ${t.schedule}` : t.predecessors.length > 0 ? `after ${t.predecessors.join(', ')}` : t.condition ? `when ${t.condition}` : '';
    const last = t.lastRun ? `last run ${t.lastRun.state} ${t.lastRun.completedTime ?? t.lastRun.queryStartTime ?? t.lastRun.scheduledTime ?? ''}` : 'never ran';
    lines.push(`  ${t.name.padEnd(32)} ${t.state.padEnd(9)} ${when}  ${last}${t.nextScheduledTime ? `  next ${t.nextScheduledTime}` : ''}`.trimEnd());
    if (t.lastRun?.errorMessage) lines.push(`    error: ${t.lastRun.errorMessage}`);
  }
  lines.push('', `flows (${s.flows.length}):`);
  for (const f of s.flows) lines.push(...statusText(f).split('\n').map((l) => (l === '' ? '' : `  ${l}`)), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}
