/**
 * The auto-ingest runtime (reference §3.2, §3.3): subscribes to the object-store events of the buckets its
 * pipes read, queues matching files durably (`_floe.pipe_files`, committed before an SQS message is
 * acknowledged), and loads queued files in batches with `runCopy`, whose transaction also marks the queue
 * rows done — so every file is loaded exactly once across kill -9 and restarts. Files that arrived while
 * floe was not running are found by a catch-up listing on start (and by a periodic reconcile listing).
 *
 * All warehouse work of the service runs one step at a time on its own session.
 */
import type { PipeDef } from '../../core/catalog/load-objects.js';
import type { ObjectCreatedEvent, ObjectInfo, ObjectStore, Subscription } from '../../core/ports/object-store.js';
import { DAY_MS, PIPE_HISTORY_DAYS, type PipeStatusFacts } from '../../core/pipe/pipe-rules.js';
import type { WarehouseConnection } from '../../core/ports/warehouse.js';
import type { EngineCore } from '../exec-context.js';
import { runCopy, type CopyPlan } from '../handlers/copy-into.js';
import { relativeKey } from '../load/stage-location.js';
import { SessionImpl } from '../session.js';
import { completeFiles, enqueue, knownPaths, pendingFiles, pruneHistory, queueStats, type QueuedFile } from './pipe-queue.js';
import { pipeContext, pipeCovers, planPipe } from './pipe-plan.js';
import type { PipeRuntime } from './pipe-runtime.js';

export interface PipeLoad {
  /** `DB.SCHEMA.PIPE` */
  pipe: string;
  table: string;
  files: { path: string; status: string; rowsLoaded: number }[];
}

export interface PipeServiceOptions {
  /** Most files one load transaction takes (default 200). */
  batchFiles?: number;
  /** Period of the reconcile listing that catches missed events, in ms (default 30 s; 0 = only on start). */
  reconcileMs?: number;
}

/** The pipe service as the application sees it (`engine.pipes`); `floe run` starts it. */
export interface Pipes {
  start(options?: PipeServiceOptions): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the queued files of every running pipe have been handled (for tests and tools). */
  drain(): Promise<void>;
  /** In-process notification after each committed pipe load; returns the unsubscribe function. */
  onLoad(listener: (load: PipeLoad) => void): () => void;
}

interface RuntimeFacts {
  lastReceived?: Date;
  lastForwarded?: { path: string; at: Date };
  error?: { message: string; at: Date };
  retryAt?: number;
}

const LOCAL_SETTLE_MS = 500;

const qualified = (p: { database: string; schema: string; name: string }) => `${p.database}.${p.schema}.${p.name}`;

export class PipeService implements PipeRuntime, Pipes {
  private session: SessionImpl | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private kickQueued = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private readonly subscriptions = new Map<ObjectStore, Subscription>();
  private readonly facts = new Map<string, RuntimeFacts>();
  private readonly listeners = new Set<(load: PipeLoad) => void>();
  private readonly caughtUp = new Set<string>();
  private options: Required<PipeServiceOptions> = { batchFiles: 200, reconcileMs: 30_000 };

  constructor(private readonly core: EngineCore) {}

  async start(options: PipeServiceOptions = {}): Promise<void> {
    if (this.running) return;
    this.options = { ...this.options, ...options };
    this.running = true;
    await this.serial(async () => pruneHistory((await this.conn()), this.core.driver.dialect, this.core.now()));
    await this.sync();
    if (this.options.reconcileMs > 0) {
      this.reconcileTimer = setInterval(() => {
        this.caughtUp.clear();
        void this.sync().catch(() => undefined);
      }, this.options.reconcileMs);
      this.reconcileTimer.unref();
    }
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.reconcileTimer);
    clearTimeout(this.retryTimer);
    const subs = [...this.subscriptions.values()];
    this.subscriptions.clear();
    await Promise.all(subs.map((s) => s.close().catch(() => undefined)));
    await this.chain.catch(() => undefined);
    this.caughtUp.clear();
    const s = this.session;
    this.session = undefined;
    await s?.close();
  }

  async drain(): Promise<void> {
    // A round may queue the next one while it runs: wait until the chain stops growing.
    for (;;) {
      const c = this.chain;
      await c.catch(() => undefined);
      if (c === this.chain && !this.kickQueued) return;
    }
  }

  onLoad(listener: (load: PipeLoad) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    if (!this.running) return;
    void this.sync().catch(() => undefined);
  }

  async enqueue(pipe: PipeDef, files: readonly QueuedFile[]): Promise<string[]> {
    const queued = await this.serial(async () => enqueue(await this.conn(), this.core.driver.dialect, pipe.pipeId, files, this.core.now()));
    if (queued.length > 0) this.kick();
    return queued;
  }

  /** Runs on the caller's connection: a status query must not wait behind a running load. */
  async status(pipe: PipeDef, conn?: WarehouseConnection): Promise<PipeStatusFacts> {
    const q = await queueStats(conn ?? (await this.conn()), this.core.driver.dialect, pipe.pipeId);
    const f = this.facts.get(pipe.pipeId) ?? {};
    let executionState: PipeStatusFacts['executionState'] = pipe.paused ? 'PAUSED' : 'RUNNING';
    let plan: CopyPlan | undefined;
    let error = f.error;
    try {
      plan = planPipe(pipeContext({ engine: this.core, session: (await this.ensureSession()).state }, pipe));
    } catch (e) {
      const message = (e as Error).message.replace(/^SQL compilation error:\n/, '');
      executionState = /^Stage /.test(message) ? 'STOPPED_STAGE_DROPPED' : /^(Table|Object) /.test(message) ? 'STOPPED_MISSING_TABLE' : 'STALLED_EXECUTION_ERROR';
      error = { message, at: f.error?.at ?? new Date(this.core.now()) };
    }
    if (executionState === 'RUNNING' && f.error) executionState = 'STALLED_EXECUTION_ERROR';
    const channel = pipe.autoIngest && plan?.loc.store.kind === 's3' ? plan.loc.store.notificationChannel : undefined;
    return {
      executionState,
      pendingFileCount: q.pending,
      ...(q.oldestPending ? { oldestPending: q.oldestPending } : {}),
      ...(q.lastIngested ? { lastIngested: q.lastIngested } : {}),
      ...(channel !== undefined ? { notificationChannelName: channel } : {}),
      ...(f.lastReceived && channel !== undefined ? { lastReceivedMessageTimestamp: f.lastReceived } : {}),
      ...(f.lastForwarded ? { lastForwarded: f.lastForwarded } : {}),
      ...(error ? { error } : {}),
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async ensureSession(): Promise<SessionImpl> {
    if (!this.session) {
      const s = new SessionImpl(this.core, await this.core.driver.connect(), {});
      await s.init();
      this.session = s;
    }
    return this.session;
  }

  private async conn(): Promise<WarehouseConnection> {
    return (await this.ensureSession()).state.conn;
  }

  private pipes(): PipeDef[] {
    return this.core.catalog.schemaObjects('PIPE');
  }

  private planOf(pipe: PipeDef, session: SessionImpl): CopyPlan | undefined {
    try {
      return planPipe(pipeContext({ engine: this.core, session: session.state }, pipe));
    } catch (e) {
      this.fail(pipe, e);
      return undefined;
    }
  }

  /** Subscribe to the stores of auto-ingest pipes (and only those); catch up pipes not yet listed. */
  private async sync(): Promise<void> {
    if (!this.running) return;
    const session = await this.ensureSession();
    const wanted = new Map<ObjectStore, true>();
    const pipes = this.pipes().filter((p) => p.autoIngest);
    for (const p of pipes) {
      const plan = this.planOf(p, session);
      if (plan) wanted.set(plan.loc.store, true);
    }
    for (const [store, sub] of this.subscriptions) {
      if (!wanted.has(store)) {
        this.subscriptions.delete(store);
        await sub.close();
      }
    }
    for (const store of wanted.keys()) {
      if (this.subscriptions.has(store)) continue;
      const sub = await store.subscribe((e) => this.onEvent(store, e), { external: true });
      if (!this.running) {
        await sub.close();
        return;
      }
      this.subscriptions.set(store, sub);
    }
    for (const p of pipes) {
      if (this.caughtUp.has(p.pipeId)) continue;
      const plan = this.planOf(p, session);
      if (!plan) continue;
      this.caughtUp.add(p.pipeId);
      await this.catchUp(p, plan);
    }
    this.kick();
  }

  /**
   * Files created since the pipe exists (and within the 14 days notifications are kept) that the pipe does
   * not know: events missed while floe was stopped. Older files need REFRESH, as in Snowflake.
   */
  private async catchUp(pipe: PipeDef, plan: CopyPlan): Promise<void> {
    const since = Math.max(Date.parse(pipe.createdOn), this.core.now() - PIPE_HISTORY_DAYS * DAY_MS);
    const covers = pipeCovers(plan);
    const known = await this.serial(async () => knownPaths(await this.conn(), this.core.driver.dialect, pipe.pipeId, this.core.now()));
    const files: QueuedFile[] = [];
    const fresh: ObjectInfo[] = [];
    const settled = Date.now() - LOCAL_SETTLE_MS;
    const add = (info: ObjectInfo) => files.push({ path: relativeKey(plan.loc, info.key), key: info.key, etag: info.etag, size: info.size, lastModified: info.lastModified });
    for await (const info of plan.loc.store.list(plan.loc.prefix)) {
      if (!covers(info.key) || info.lastModified.getTime() < since || known.has(relativeKey(plan.loc, info.key))) continue;
      // A local file modified this recently may still be written in place: look again once it had time to settle.
      if (plan.loc.store.kind === 'local' && info.lastModified.getTime() > settled) fresh.push(info);
      else add(info);
    }
    if (fresh.length > 0) {
      await new Promise((r) => setTimeout(r, LOCAL_SETTLE_MS));
      for (const before of fresh) {
        const now = await plan.loc.store.head(before.key);
        // Still changing: the folder watcher reports it once it is stable.
        if (now && now.size === before.size && now.lastModified.getTime() === before.lastModified.getTime()) add(now);
      }
    }
    if (files.length > 0) await this.enqueue(pipe, files);
  }

  private async onEvent(store: ObjectStore, e: ObjectCreatedEvent): Promise<void> {
    if (!this.running) throw new Error('pipe service stopped'); // keeps an SQS message for redelivery
    const session = await this.ensureSession();
    const now = new Date(this.core.now());
    for (const pipe of this.pipes()) {
      if (!pipe.autoIngest) continue;
      const plan = this.planOf(pipe, session);
      if (!plan || plan.loc.store !== store) continue;
      const facts = this.factsOf(pipe);
      if (e.source === 'sqs') facts.lastReceived = now;
      if (!pipeCovers(plan)(e.key)) continue;
      const path = relativeKey(plan.loc, e.key);
      facts.lastForwarded = { path, at: now };
      await this.enqueue(pipe, [{ path, key: e.key, etag: e.etag ?? '', size: e.size ?? 0, lastModified: e.eventTime }]);
    }
  }

  private factsOf(pipe: PipeDef): RuntimeFacts {
    let f = this.facts.get(pipe.pipeId);
    if (!f) this.facts.set(pipe.pipeId, (f = {}));
    return f;
  }

  private fail(pipe: PipeDef, e: unknown): void {
    const f = this.factsOf(pipe);
    f.error = { message: (e as Error).message, at: new Date(this.core.now()) };
    f.retryAt = Date.now() + 1000;
  }

  /** Schedule one loading round (one batch per pipe); rounds repeat while they make progress. */
  private kick(): void {
    if (!this.running || this.kickQueued) return;
    this.kickQueued = true;
    void this.serial(async () => {
      this.kickQueued = false;
      if (!this.running) return;
      let progress = false;
      for (const pipe of this.pipes()) {
        if (pipe.paused) continue;
        const f = this.facts.get(pipe.pipeId);
        if (f?.retryAt !== undefined && f.retryAt > Date.now()) {
          this.retryLater(f.retryAt - Date.now());
          continue;
        }
        if ((await this.loadBatch(pipe)) > 0) progress = true;
      }
      if (progress) this.kick();
    });
  }

  private retryLater(ms: number): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, ms);
    this.retryTimer.unref();
  }

  private async loadBatch(pipe: PipeDef): Promise<number> {
    const session = await this.ensureSession();
    const ctx = pipeContext({ engine: this.core, session: session.state }, pipe);
    const plan = this.planOf(pipe, session);
    if (!plan) return 0;
    const conn = session.state.conn;
    const d = this.core.driver.dialect;
    const pending = await pendingFiles(conn, d, pipe.pipeId, this.options.batchFiles);
    if (pending.length === 0) return 0;
    const keys: ObjectInfo[] = [];
    const gone: string[] = [];
    for (const f of pending) {
      const info = await plan.loc.store.head(f.key);
      if (info) keys.push(info);
      else gone.push(f.path);
    }
    const files: PipeLoad['files'] = [];
    try {
      if (gone.length > 0) {
        // Deleted before it could be loaded: remembered as failed, like any file the pipe could not load.
        await completeFiles(conn, d, pipe.pipeId, gone.map((path) => ({ path, state: 'LOAD_FAILED' as const })), this.core.now());
        for (const path of gone) files.push({ path, status: 'LOAD_FAILED', rowsLoaded: 0 });
      }
      if (keys.length > 0) {
        const receivedMs = new Map(pending.map((f) => [f.path, f.receivedMs]));
        await runCopy(ctx, plan, {
          onErrorDefault: { mode: 'SKIP_FILE', limit: 1, percent: false },
          pipe: {
            info: { name: qualified(pipe), pipeId: pipe.pipeId, receivedMs },
            keys,
            inTransaction: async (outcomes) => {
              await completeFiles(conn, d, pipe.pipeId, outcomes.map((o) => ({ path: o.path, state: o.status })), this.core.now());
              for (const o of outcomes) files.push({ path: o.path, status: o.status, rowsLoaded: o.rowsLoaded });
            },
          },
        });
      }
    } catch (e) {
      this.fail(pipe, e);
      this.retryLater(1000);
      return 0;
    }
    const f = this.facts.get(pipe.pipeId);
    if (f) {
      delete f.error;
      delete f.retryAt;
    }
    const load: PipeLoad = { pipe: qualified(pipe), table: qualified(plan.table), files };
    for (const l of this.listeners) l(load);
    return pending.length;
  }
}
