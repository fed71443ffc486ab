/**
 * One task run: a fresh session in the task's database and schema with its session parameters, the WHEN
 * condition evaluated first (FALSE → SKIPPED, the body never runs), then the body through the session — so a
 * single statement, a CALL or a BEGIN … END block all run exactly as they would in `floe sql`. A run longer
 * than USER_TASK_TIMEOUT_MS is cancelled and FAILED.
 */
import { randomUUID } from 'node:crypto';
import type { TaskDef } from '../../core/catalog/catalog-model.js';
import type { Clock } from '../../core/ports/clock.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import type { SessionState, TaskRunContext } from '../exec-context.js';
import type { SessionImpl } from '../session.js';
import { insertRun, updateRun, type RunRecord, type RunState, type ScheduledFrom } from './task-history.js';
import { numberParam, sessionParamsOf } from './task-params.js';

export interface RunRequest {
  task: TaskDef;
  root: TaskDef;
  scheduledTime: number;
  runId: number;
  scheduledFrom: ScheduledFrom;
  attempt: number;
  groupId: string;
  config: Record<string, unknown> | undefined;
  predecessorValues: Map<string, string>;
  /** Timeout from the root when the task has none of its own (a root's timeout covers its graph). */
  timeoutMs: number;
  /** Triggered checks: a FALSE condition is not a run at all (nothing recorded). */
  quietSkip?: boolean;
}

export interface RunResult {
  state: RunState;
  runKey: string;
  returnValue?: string;
  /** When the run started (before its WHEN check) and ended, for task-run events. */
  startedMs: number;
  completedMs: number;
  errorMessage?: string;
}

export interface RunnerDeps {
  clock: Clock;
  dialect: WarehouseDialect;
  history: () => Promise<WarehouseConnection>;
  openSession: () => Promise<SessionImpl>;
  /** Running task sessions, so SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS can interrupt them. */
  running: Map<string, { cancel: () => void; rootKey: string }>;
}

export async function runTask(deps: RunnerDeps, req: RunRequest, rootKey: string): Promise<RunResult> {
  const { task } = req;
  const runKey = randomUUID();
  const record: RunRecord = {
    runKey,
    taskId: task.id,
    queryId: null,
    name: task.name,
    database: task.database,
    schema: task.schema,
    queryText: task.definition,
    conditionText: task.condition ?? null,
    state: 'EXECUTING',
    errorCode: null,
    errorMessage: null,
    scheduledTime: req.scheduledTime,
    queryStartTime: deps.clock.now(),
    nextScheduledTime: null,
    completedTime: null,
    rootTaskId: req.root.id,
    graphVersion: req.root.graphVersion,
    runId: req.runId,
    returnValue: null,
    scheduledFrom: req.scheduledFrom,
    attemptNumber: req.attempt,
    config: req.config ? JSON.stringify(req.config) : null,
    graphRunGroupId: req.groupId,
  };
  let recorded = false;
  const record_ = async (): Promise<void> => {
    if (recorded) return;
    recorded = true;
    await insertRun(await deps.history(), deps.dialect, record);
  };
  const startedMs = record.queryStartTime as number;
  const finish = async (state: RunState, extra: Partial<RunRecord> = {}): Promise<RunResult> => {
    await record_();
    const completedMs = deps.clock.now();
    await updateRun(await deps.history(), deps.dialect, runKey, { state, completedTime: completedMs, ...extra });
    return {
      state, runKey, startedMs, completedMs,
      ...(extra.returnValue ? { returnValue: extra.returnValue } : {}),
      ...(extra.errorMessage ? { errorMessage: extra.errorMessage } : {}),
    };
  };

  let session: SessionImpl | undefined;
  let timer: { cancel(): void } | undefined;
  let timedOut = false;
  let cancelled = false;
  // An interrupt only hits a statement that is running: keep interrupting until the body gives up.
  let interrupting: NodeJS.Timeout | undefined;
  const interrupt = (state: SessionState): void => {
    const stop = (): void => {
      state.conn.cancel();
      for (const h of state.cancelHooks ?? []) h();
    };
    stop();
    interrupting ??= setInterval(stop, 50);
    interrupting.unref();
  };
  try {
    session = await deps.openSession();
    const state: SessionState = session.state;
    state.database = task.database;
    state.schema = task.schema;
    state.role = task.owner;
    for (const [k, v] of sessionParamsOf(task)) state.params.set(k, v);
    await state.conn.setTimeZone(state.params.get('TIMEZONE'));
    const ctx: TaskRunContext = { name: task.name, predecessorValues: req.predecessorValues, config: req.config };
    state.task = ctx;
    deps.running.set(runKey, { cancel: () => ((cancelled = true), interrupt(state)), rootKey });
    const timeoutMs = task.params.USER_TASK_TIMEOUT_MS !== undefined ? numberParam(task, 'USER_TASK_TIMEOUT_MS') : req.timeoutMs;
    if (timeoutMs > 0) {
      timer = deps.clock.setTimer(deps.clock.now() + timeoutMs, () => {
        timedOut = true;
        interrupt(state);
      });
    }
    if (task.condition !== undefined) {
      const [cond] = await session.query(`SELECT (${task.condition}) AS floe_when`);
      if (cond.rows[0]?.[0] !== true) {
        if (req.quietSkip) return { state: 'SKIPPED', runKey, startedMs, completedMs: deps.clock.now() };
        return await finish('SKIPPED');
      }
    }
    // The body's query id is known before it starts: one history write, not an insert and an update.
    record.queryId = randomUUID();
    await record_();
    for await (const outcome of session.run(task.definition)) {
      if (!outcome.ok) {
        if (timedOut) return await finish('FAILED', { errorCode: '000630', errorMessage: `Statement reached its statement or warehouse timeout of ${Math.round(timeoutMs / 1000)} second(s) and was canceled.` });
        if (cancelled) return await finish('CANCELLED', { errorMessage: 'Task run was cancelled by SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS.' });
        return await finish('FAILED', { errorCode: outcome.error.code, errorMessage: outcome.error.message });
      }
    }
    return await finish('SUCCEEDED', ctx.returnValue !== undefined ? { returnValue: ctx.returnValue } : {});
  } catch (e) {
    return finish('FAILED', { errorMessage: (e as Error).message });
  } finally {
    timer?.cancel();
    if (interrupting) clearInterval(interrupting);
    deps.running.delete(runKey);
    await session?.close().catch(() => undefined);
  }
}
