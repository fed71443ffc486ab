/**
 * The engine summary `floe status` and `GET /v1/status` show: pipes (SYSTEM$PIPE_STATUS), tasks (state and
 * last run from TASK_HISTORY) and flows (FlowEngine status). Pipes and tasks are read with SQL through a
 * session, so the live server and a CLI that opened the warehouse file report them the same way.
 */
import type { FloeValue, StatementResult } from '../core/result.js';
import type { Session } from '../engine/engine-api.js';
import type { FlowStatus } from '../flow/flow-status.js';
import type { ProcessMemory } from './process-memory.js';

export interface PipeSummary {
  /** `DB.SCHEMA.PIPE` */
  name: string;
  definition: string;
  notificationChannel: string | null;
  /** SYSTEM$PIPE_STATUS's JSON (executionState, pendingFileCount, lastIngestedTimestamp, …). */
  status: Record<string, unknown>;
}

export interface TaskRun {
  state: string;
  scheduledTime: string | null;
  queryStartTime: string | null;
  completedTime: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface TaskSummary {
  /** `DB.SCHEMA.TASK` */
  name: string;
  /** `started` or `suspended` (SHOW TASKS). */
  state: string;
  schedule: string | null;
  predecessors: string[];
  condition: string | null;
  /** The newest run that is not merely scheduled (SUCCEEDED, FAILED, EXECUTING, SKIPPED, CANCELLED …). */
  lastRun: TaskRun | null;
  nextScheduledTime: string | null;
}

export interface WarehouseStatus {
  pipes: PipeSummary[];
  tasks: TaskSummary[];
}

export interface ProjectStatus extends WarehouseStatus {
  project: string;
  /** `server`: the live `floe run`; `warehouse`: read from the files while nothing runs. */
  source: 'server' | 'warehouse';
  server?: { pid: number; url?: string; startedAt: string; uptimeSeconds: number };
  /** The serving process's memory (only from a live `floe run`). */
  memory?: ProcessMemory;
  flows: Array<FlowStatus & { live?: boolean; runningPid?: number }>;
}

/** Rows of a result as objects keyed by column name. */
function records(result: StatementResult | undefined): Array<Record<string, FloeValue>> {
  if (!result) return [];
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i] ?? null])));
}

const text = (v: FloeValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
/** A quoted identifier, so names with any characters survive the round trip through SQL. */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export async function warehouseStatus(session: Session): Promise<WarehouseStatus> {
  const [pipeRows] = await session.query('SHOW PIPES IN ACCOUNT');
  const pipes: PipeSummary[] = [];
  for (const p of records(pipeRows)) {
    const name = [p.database_name, p.schema_name, p.name].map((x) => ident(String(x))).join('.');
    const [status] = await session.query(`SELECT SYSTEM$PIPE_STATUS(${literal(name)})`);
    const json = text(status?.rows[0]?.[0]);
    pipes.push({
      name: `${String(p.database_name)}.${String(p.schema_name)}.${String(p.name)}`,
      definition: String(p.definition ?? ''),
      notificationChannel: text(p.notification_channel),
      status: json === null ? {} : (JSON.parse(json) as Record<string, unknown>),
    });
  }

  const [taskRows] = await session.query('SHOW TASKS IN ACCOUNT');
  const tasks = records(taskRows);
  const runs = new Map<string, { last?: TaskRun; next?: string | null }>();
  for (const db of new Set(tasks.map((t) => String(t.database_name)))) {
    // The newest run per task that is past SCHEDULED, and the pending SCHEDULED row (the next run).
    const [history] = await session.query(
      `SELECT SCHEMA_NAME, NAME, STATE, SCHEDULED_TIME, QUERY_START_TIME, COMPLETED_TIME, ERROR_CODE, ERROR_MESSAGE
         FROM TABLE(${ident(db)}.INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000))
         QUALIFY ROW_NUMBER() OVER (PARTITION BY SCHEMA_NAME, NAME, STATE = 'SCHEDULED' ORDER BY SCHEDULED_TIME DESC) = 1`,
    );
    for (const h of records(history)) {
      const key = `${db}.${String(h.SCHEMA_NAME)}.${String(h.NAME)}`;
      const entry = runs.get(key) ?? {};
      if (h.STATE === 'SCHEDULED') entry.next = text(h.SCHEDULED_TIME);
      else {
        entry.last = {
          state: String(h.STATE),
          scheduledTime: text(h.SCHEDULED_TIME),
          queryStartTime: text(h.QUERY_START_TIME),
          completedTime: text(h.COMPLETED_TIME),
          errorCode: text(h.ERROR_CODE),
          errorMessage: text(h.ERROR_MESSAGE),
        };
      }
      runs.set(key, entry);
    }
  }
  return {
    pipes,
    tasks: tasks.map((t) => {
      const name = `${String(t.database_name)}.${String(t.schema_name)}.${String(t.name)}`;
      const run = runs.get(name);
      return {
        name,
        state: String(t.state),
        schedule: text(t.schedule),
        predecessors: parseList(t.predecessors),
        condition: text(t.condition),
        lastRun: run?.last ?? null,
        nextScheduledTime: run?.next ?? null,
      };
    }),
  };
}

function parseList(v: FloeValue): string[] {
  if (typeof v !== 'string') return [];
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
