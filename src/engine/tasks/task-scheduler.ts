/**
 * The task scheduler (reference §2): interval and cron schedules from the Clock, triggered tasks woken by
 * commit events (no polling), one instance per standalone/root task at a time (OVERLAP_POLICY for graphs),
 * graph runs (children after all resumed predecessors succeed, suspended children skipped, finalizer after
 * completion or failure), auto-suspend after consecutive failures, automatic retries, EXECUTE TASK.
 */
import { randomUUID } from 'node:crypto';
import type { TaskDef } from '../../core/catalog/catalog-model.js';
import type { Clock, ClockTimer } from '../../core/ports/clock.js';
import type { WarehouseConnection } from '../../core/ports/warehouse.js';
import { nextRunAfter, parseSchedule } from '../../core/task/schedule.js';
import { applyCatalogChange, type EngineCore } from '../exec-context.js';
import { nameInString } from '../handlers/stream-name.js';
import type { SessionImpl } from '../session.js';
import { finalizerOf, findTask, graphTasks, isRoot, streamsInCondition, taskKey } from './task-graph.js';
import { deleteRun, insertRun, pruneHistory, recoverHistory, updateRun, type RunState, type ScheduledFrom } from './task-history.js';
import { numberParam } from './task-params.js';
import { runTask, type RunnerDeps } from './task-runner.js';

const PRUNE_INTERVAL_MS = 60_000;

export interface SchedulerOptions {
  clock: Clock;
  openSession: () => Promise<SessionImpl>;
  /** Environment override of USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS (floe.yaml; 0 for embedded demos). */
  minTriggerIntervalSeconds?: number;
}

export interface StartRun {
  scheduledFrom: ScheduledFrom;
  scheduledTime?: number;
  config?: Record<string, unknown>;
  attempt?: number;
  groupId?: string;
  /** Retry: run only these tasks (and what follows them). */
  only?: Set<string>;
}

export class TaskScheduler {
  private readonly timers = new Map<string, ClockTimer>();
  private readonly scheduledRows = new Map<string, string>();
  /** Graph instances in flight per root, and roots whose own task is executing (OVERLAP_POLICY). */
  private readonly instances = new Map<string, number>();
  private readonly rootBusy = new Set<string>();
  private readonly queued = new Map<string, StartRun>();
  private readonly pendingTrigger = new Set<string>();
  private readonly lastTriggerRun = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  /** Last graph run per root (for RETRY LAST): failed task keys and the run's identity. */
  private readonly lastRun = new Map<string, { failed: Set<string>; groupId: string; attempt: number; runId: number; ok: boolean }>();
  private readonly active = new Set<Promise<unknown>>();
  private conn: WarehouseConnection | undefined;
  private lastPruneMs = -Infinity;
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  readonly deps: RunnerDeps;

  constructor(
    private readonly engine: EngineCore,
    private readonly options: SchedulerOptions,
  ) {
    this.deps = {
      clock: options.clock,
      dialect: engine.driver.dialect,
      history: () => this.historyConn(),
      openSession: options.openSession,
      running: new Map(),
    };
  }

  private async historyConn(): Promise<WarehouseConnection> {
    this.conn ??= await this.engine.driver.connect();
    return this.conn;
  }

  /** Retention is 7 days: pruning once a minute is as good as after every run (a statement less per run). */
  private async pruneIfDue(): Promise<void> {
    const now = this.options.clock.now();
    if (now - this.lastPruneMs < PRUNE_INTERVAL_MS) return;
    this.lastPruneMs = now;
    await pruneHistory(await this.historyConn(), this.engine.driver.dialect, now);
  }

  async start(): Promise<void> {
    await recoverHistory(await this.historyConn(), this.engine.driver.dialect, this.options.clock.now());
    await this.pruneIfDue();
    for (const t of this.engine.catalog.tasks()) if (t.state === 'started' && isRoot(t)) await this.plan(t);
    this.unsubscribe = this.engine.events.onCommit((c) => this.onCommit(c.tables.map((t) => t.id)));
  }

  /** Wait until no run is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    await this.idle();
    await this.conn?.close();
    this.conn = undefined;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.active.add(p);
    void p.finally(() => this.active.delete(p)).catch(() => undefined);
    return p;
  }

  /** A task was created, altered, resumed, suspended or dropped: re-plan its root. */
  async taskChanged(key: string): Promise<void> {
    this.cancelTimer(key);
    const row = this.scheduledRows.get(key);
    if (row) {
      this.scheduledRows.delete(key);
      await deleteRun(await this.historyConn(), this.engine.driver.dialect, row);
    }
    const [db, schema, ...rest] = key.split('.');
    const t = this.engine.catalog.task(db, schema, rest.join('.'));
    if (t && t.state === 'started' && isRoot(t)) await this.plan(t);
  }

  private cancelTimer(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private async plan(task: TaskDef): Promise<void> {
    if (this.closed) return;
    const key = taskKey(task);
    this.cancelTimer(key);
    const now = this.options.clock.now();
    if (task.schedule !== undefined) {
      const at = nextRunAfter(parseSchedule(task.schedule), now, task.scheduleBase ?? now);
      const runKey = randomUUID();
      await insertRun(await this.historyConn(), this.engine.driver.dialect, {
        runKey, taskId: task.id, queryId: null, name: task.name, database: task.database, schema: task.schema,
        queryText: task.definition, conditionText: task.condition ?? null, state: 'SCHEDULED', errorCode: null,
        errorMessage: null, scheduledTime: at, queryStartTime: null, nextScheduledTime: null, completedTime: null,
        rootTaskId: task.id, graphVersion: task.graphVersion, runId: at, returnValue: null, scheduledFrom: 'SCHEDULE',
        attemptNumber: 1, config: task.config ?? null, graphRunGroupId: '',
      });
      this.scheduledRows.set(key, runKey);
      this.timers.set(key, this.options.clock.setTimer(at, () => void this.track(this.fireScheduled(key, at, runKey))));
    } else if (streamsInCondition(task.condition).length > 0) {
      this.trigger(key);
    }
  }

  private async fireScheduled(key: string, at: number, runKey: string): Promise<void> {
    this.timers.delete(key);
    this.scheduledRows.delete(key);
    await deleteRun(await this.historyConn(), this.engine.driver.dialect, runKey);
    const task = this.lookup(key);
    if (!task || task.state !== 'started') return;
    // A due time that finds a run it may not overlap is skipped; the next one is planned either way.
    if (this.mayStart(task)) {
      this.startGraph(task, { scheduledFrom: 'SCHEDULE', scheduledTime: at });
      if (this.busy(key)) await this.plan(task);
    } else await this.plan(task);
  }

  private busy(key: string): boolean {
    return (this.instances.get(key) ?? 0) > 0;
  }

  /**
   * OVERLAP_POLICY (reference §2.2): standalone tasks and NO_OVERLAP graphs run one instance at a time;
   * ALLOW_CHILD_OVERLAP starts a new graph run unless the root itself is still running; ALLOW_ALL_OVERLAP always.
   */
  private mayStart(task: TaskDef): boolean {
    const key = taskKey(task);
    if (!this.busy(key)) return true;
    const standalone = graphTasks(this.engine.catalog, task).length === 1;
    if (standalone || task.overlapPolicy === 'NO_OVERLAP') return false;
    return task.overlapPolicy === 'ALLOW_ALL_OVERLAP' || !this.rootBusy.has(key);
  }

  private lookup(key: string): TaskDef | undefined {
    const [db, schema, ...rest] = key.split('.');
    return this.engine.catalog.task(db, schema, rest.join('.'));
  }

  /** Commit events: wake the triggered tasks whose streams' tables changed. */
  private onCommit(tableIds: string[]): void {
    if (this.closed) return;
    for (const t of this.engine.catalog.tasks()) {
      if (t.state !== 'started' || !isRoot(t) || t.schedule !== undefined) continue;
      const tables = streamsInCondition(t.condition).flatMap((name) => this.streamTableIds(t, name));
      if (tables.some((id) => tableIds.includes(id))) this.trigger(taskKey(t));
    }
  }

  /** Names in the condition resolve like SYSTEM$STREAM_HAS_DATA's argument, relative to the task's schema. */
  private streamTableIds(task: TaskDef, text: string): string[] {
    let n;
    try {
      n = nameInString(text);
    } catch {
      return [];
    }
    const stream = this.engine.catalog.stream(n.database ?? task.database, n.schema ?? task.schema, n.name);
    return stream ? (stream.baseTableIds ?? [stream.tableId]) : [];
  }

  private minTriggerMs(task: TaskDef): number {
    const env = this.options.minTriggerIntervalSeconds;
    return (env !== undefined ? env : numberParam(task, 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS')) * 1000;
  }

  private trigger(key: string): void {
    const task = this.lookup(key);
    if (!task || this.closed) return;
    if (this.busy(key)) {
      this.pendingTrigger.add(key);
      return;
    }
    if (this.timers.has(key)) return;
    const now = this.options.clock.now();
    const due = Math.max(now, (this.lastTriggerRun.get(key) ?? -Infinity) + this.minTriggerMs(task));
    let fired: () => void = () => undefined;
    // A run due now is work in flight already: idle() waits for it (a later one, inside the interval, is not).
    if (due <= now) void this.track(new Promise<void>((resolve) => (fired = resolve)));
    this.timers.set(key, this.options.clock.setTimer(due, () => {
      this.timers.delete(key);
      const t = this.lookup(key);
      if (t && t.state === 'started' && !this.busy(key)) this.startGraph(t, { scheduledFrom: 'TRIGGER', scheduledTime: due });
      fired();
    }));
  }

  /** EXECUTE TASK: now, or queued after the run in flight. */
  execute(root: TaskDef, run: StartRun): void {
    const key = taskKey(root);
    if (this.busy(key)) this.queued.set(key, run);
    else this.startGraph(root, run);
  }

  retryLast(root: TaskDef): boolean {
    const last = this.lastRun.get(taskKey(root));
    if (!last || last.ok) return false;
    this.execute(root, { scheduledFrom: 'MANUAL RETRY', attempt: last.attempt + 1, groupId: last.groupId, only: last.failed, scheduledTime: last.runId });
    return true;
  }

  /** SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS: interrupt every running task of the root's graph. */
  cancelOngoing(root: TaskDef): number {
    let n = 0;
    for (const r of this.deps.running.values()) {
      if (r.rootKey === taskKey(root)) {
        r.cancel();
        n++;
      }
    }
    return n;
  }

  private startGraph(root: TaskDef, run: StartRun): void {
    const key = taskKey(root);
    // The follow-up (next schedule, queued run, pending trigger) is part of the tracked work, so idle() waits for it.
    this.instances.set(key, (this.instances.get(key) ?? 0) + 1);
    void this.track(
      this.runGraph(root, run).finally(async () => {
        this.instances.set(key, (this.instances.get(key) ?? 1) - 1);
        if (this.busy(key)) return;
        const queued = this.queued.get(key);
        this.queued.delete(key);
        const fresh = this.lookup(key);
        if (queued && fresh) this.startGraph(fresh, queued);
        else if (fresh && fresh.state === 'started') {
          if (fresh.schedule !== undefined && !this.timers.has(key)) await this.plan(fresh);
          else if (this.pendingTrigger.delete(key)) this.trigger(key);
        }
      }),
    );
  }

  private async runGraph(root: TaskDef, run: StartRun): Promise<void> {
    const { catalog } = this.engine;
    const scheduledTime = run.scheduledTime ?? this.options.clock.now();
    const groupId = run.groupId ?? randomUUID();
    const attempt = run.attempt ?? 1;
    const config = { ...parseConfig(root.config), ...(run.config ?? {}) };
    const base = {
      root, runId: scheduledTime, scheduledTime, scheduledFrom: run.scheduledFrom, attempt, groupId,
      config: Object.keys(config).length > 0 ? config : undefined, timeoutMs: numberParam(root, 'USER_TASK_TIMEOUT_MS'),
    };
    const states = new Map<string, RunState | 'SUSPENDED'>();
    const values = new Map<string, string>();
    const rows = new Map<string, string>();
    const tasks = graphTasks(catalog, root);
    const shouldRun = (t: TaskDef): boolean => !run.only || run.only.has(taskKey(t)) || [...run.only].some((k) => states.has(k));
    const runOne = async (t: TaskDef): Promise<void> => {
      const preds = new Map<string, string>();
      for (const p of t.predecessors) {
        const v = values.get(taskKey(p));
        if (v !== undefined) preds.set(p.name.toUpperCase(), v);
      }
      const quietSkip = t === root && run.scheduledFrom === 'TRIGGER';
      const r = await runTask(this.deps, { ...base, task: t, predecessorValues: preds, quietSkip }, taskKey(root));
      this.engine.events.emitTaskRun({
        task: taskKey(t), state: r.state, scheduledFrom: run.scheduledFrom, startedMs: r.startedMs, completedMs: r.completedMs,
        ...(r.errorMessage !== undefined ? { errorMessage: r.errorMessage } : {}),
      });
      states.set(taskKey(t), r.state);
      rows.set(taskKey(t), r.runKey);
      if (r.returnValue !== undefined) values.set(taskKey(t), r.returnValue);
    };
    // A retry keeps the earlier successes: only failed tasks and what follows them run again.
    const started = this.options.clock.now();
    this.rootBusy.add(taskKey(root));
    try {
      if (shouldRun(root)) await runOne(root);
      else states.set(taskKey(root), 'SUCCEEDED');
    } finally {
      this.rootBusy.delete(taskKey(root));
    }
    if (states.get(taskKey(root)) === 'SKIPPED') return;
    // Only real runs count toward the minimum trigger interval (a check that found no data is not a run).
    if (run.scheduledFrom === 'TRIGGER') this.lastTriggerRun.set(taskKey(root), started);
    const done = (k: string): boolean => states.has(k);
    const ok = (k: string): boolean => states.get(k) === 'SUCCEEDED' || states.get(k) === 'SUSPENDED';
    for (;;) {
      const ready = tasks.filter((t) => !done(taskKey(t)) && t.predecessors.every((p) => done(taskKey(p)) || !findTask(catalog, p)));
      if (ready.length === 0) break;
      await Promise.all(
        ready.map(async (t) => {
          const preds = t.predecessors.filter((p) => findTask(catalog, p));
          // A suspended predecessor counts as succeeded (the graph continues past it, reference §2.6).
          const blocked = preds.some((p) => !ok(taskKey(p)));
          if (blocked) states.set(taskKey(t), 'CANCELLED');
          else if (t.state !== 'started') states.set(taskKey(t), 'SUSPENDED');
          else if (!shouldRun(t)) states.set(taskKey(t), 'SUCCEEDED');
          else await runOne(t);
        }),
      );
    }
    const failed = new Set([...states].filter(([, s]) => s === 'FAILED').map(([k]) => k));
    const fin = finalizerOf(catalog, root);
    if (fin && fin.state === 'started') await runOne(fin);
    this.lastRun.set(taskKey(root), { failed, groupId, attempt, runId: scheduledTime, ok: failed.size === 0 });
    await this.pruneIfDue();
    if (failed.size === 0) {
      this.failures.set(taskKey(root), 0);
      return;
    }
    if (attempt <= numberParam(root, 'TASK_AUTO_RETRY_ATTEMPTS')) {
      this.queued.set(taskKey(root), { scheduledFrom: 'AUTOMATIC RETRY', attempt: attempt + 1, groupId, only: failed, scheduledTime });
      return;
    }
    const count = (this.failures.get(taskKey(root)) ?? 0) + 1;
    this.failures.set(taskKey(root), count);
    const limit = numberParam(root, 'SUSPEND_TASK_AFTER_NUM_FAILURES');
    if (limit > 0 && count >= limit && run.scheduledFrom !== 'EXECUTE_TASK') {
      const fresh = findTask(catalog, root);
      if (fresh && fresh.state === 'started') {
        const row = rows.get([...failed][0]);
        if (row) await updateRun(await this.historyConn(), this.engine.driver.dialect, row, { state: 'FAILED_AND_AUTO_SUSPENDED' });
        await this.suspendForErrors(fresh);
      }
    }
  }

  private async suspendForErrors(task: TaskDef): Promise<void> {
    const conn = await this.historyConn();
    const def: TaskDef = { ...task, state: 'suspended', lastSuspendedOn: new Date(this.options.clock.now()).toISOString(), lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' };
    const change = { remove: [], put: [{ kind: 'TASK' as const, def }] };
    await this.engine.serialize(() => applyCatalogChange(this.engine, conn, [], change));
    this.failures.set(taskKey(task), 0);
    this.cancelTimer(taskKey(task));
  }
}

function parseConfig(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
