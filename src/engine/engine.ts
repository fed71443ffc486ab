/**
 * The engine: one warehouse backend, the catalog loaded from its metadata, and sessions over it.
 */
import { Catalog } from '../core/catalog/catalog.js';
import type { FloeError } from '../core/errors.js';
import type { WarehouseDriver, WarehouseMemory } from '../core/ports/warehouse.js';
import type { Engine, Session, TableCommit, TaskRunEvent } from './engine-api.js';
import type { EngineCore, EngineStorage } from './exec-context.js';
import { MetadataStore } from './metadata-store.js';
import { ChangeClock } from './changes/change-clock.js';
import { ChangeEvents } from './changes/change-events.js';
import { LogCompactor } from './changes/log-compactor.js';
import { Reclusterer } from './clustering/reclusterer.js';
import { bootstrapChangeTablesSql, changeTables } from './changes/change-store.js';
import { SessionImpl } from './session.js';
import { appliedSqlStore, type AppliedSql } from './project-sql-store.js';
import { PipeService } from './pipe/pipe-service.js';
import { ensurePipeQueue } from './pipe/pipe-queue.js';
import { ensureLoadHistory } from './load/load-history.js';
import { ensureLoadErrors } from './load/load-errors.js';
import type { Clock } from '../core/ports/clock.js';
import type { TaskEnvironment } from './engine-api.js';
import { TaskScheduler } from './tasks/task-scheduler.js';
import { bootstrapTaskHistorySql } from './tasks/task-history.js';
import './tasks/task-history-function.js';

/** A fresh warehouse gets this database (with schema PUBLIC) so `floe sql` works with zero setup. */
export const DEFAULT_DATABASE = 'FLOE';

export class EngineImpl implements Engine {
  /** Internal: for benchmarks and tools that need the engine parts (not part of the API). */
  readonly core: EngineCore;
  readonly pipes: PipeService;
  readonly appliedSql: AppliedSql;
  private readonly sessions = new Set<SessionImpl>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(driver: WarehouseDriver, committedVersion: number, timeSource: Clock, storage: EngineStorage, tasks: TaskEnvironment) {
    this.core = {
      storage,
      clock: new ChangeClock(committedVersion),
      events: new ChangeEvents(),
      compactor: undefined as unknown as LogCompactor,
      reclusterer: undefined as unknown as Reclusterer,
      pipes: undefined as unknown as PipeService,
      tasks: undefined as unknown as TaskScheduler,
      now: () => timeSource.now(),
      timeSource,
      driver,
      catalog: new Catalog(),
      metadata: new MetadataStore(driver.dialect),
      serialize: <T>(work: () => Promise<T>): Promise<T> => {
        const run = this.queue.then(work, work);
        this.queue = run.catch(() => undefined);
        return run;
      },
    };
    this.core.compactor = new LogCompactor(this.core);
    this.core.reclusterer = new Reclusterer(this.core, async () => (await this.session()) as SessionImpl);
    this.pipes = this.core.pipes = new PipeService(this.core);
    this.appliedSql = appliedSqlStore(driver);
    this.core.tasks = new TaskScheduler(this.core, {
      clock: timeSource,
      openSession: async () => (await this.session()) as SessionImpl,
      ...(tasks.minTriggerIntervalSeconds !== undefined ? { minTriggerIntervalSeconds: tasks.minTriggerIntervalSeconds } : {}),
    });
  }

  static async start(driver: WarehouseDriver, options: { clock: Clock; storage: EngineStorage; tasks?: TaskEnvironment }): Promise<EngineImpl> {
    const conn = await driver.connect();
    let engine: EngineImpl;
    try {
      const metadata = new MetadataStore(driver.dialect);
      await metadata.bootstrap(conn);
      for (const sql of bootstrapChangeTablesSql(driver.dialect)) await conn.execute(sql);
      await ensureLoadHistory(conn, driver.dialect);
      await ensurePipeQueue(conn, driver.dialect);
      await ensureLoadErrors(conn, driver.dialect);
      await conn.execute(bootstrapTaskHistorySql(driver.dialect));
      const v = await conn.query(`SELECT coalesce(max(version), 0) FROM ${changeTables(driver.dialect).commits}`);
      engine = new EngineImpl(driver, Number(v.rows[0]?.[0] ?? 0), options.clock, options.storage, options.tasks ?? {});
      engine.core.catalog.load(await metadata.load(conn));
    } finally {
      await conn.close();
    }
    if (engine.core.catalog.databases().length === 0) {
      const s = await engine.session();
      await s.query(`CREATE DATABASE IF NOT EXISTS ${DEFAULT_DATABASE}`);
      await s.close();
    }
    if (options.tasks?.scheduler !== false) {
      await engine.core.tasks.start();
      // Like the scheduler, background maintenance belongs to a long-running engine (floe run, floe demo).
      engine.core.reclusterer.start();
    }
    return engine;
  }

  idle(): Promise<void> {
    return this.core.tasks.idle();
  }

  async warehouseMemory(): Promise<WarehouseMemory | undefined> {
    return this.core.driver.memory?.();
  }

  onCommit(listener: (commit: TableCommit) => void): () => void {
    return this.core.events.onCommit(listener);
  }

  onTaskRun(listener: (run: TaskRunEvent) => void): () => void {
    return this.core.events.onTaskRun(listener);
  }

  onWarehouseFailure(listener: (error: FloeError) => void): () => void {
    return this.core.driver.onFailure(listener);
  }

  async session(): Promise<Session> {
    const conn = await this.core.driver.connect();
    const db = this.core.catalog.database(DEFAULT_DATABASE) ? DEFAULT_DATABASE : this.core.catalog.databases()[0]?.name;
    const schema = db !== undefined && this.core.catalog.schema(db, 'PUBLIC') ? 'PUBLIC' : undefined;
    const s = new SessionImpl(this.core, conn, { database: db, schema });
    await s.init();
    this.sessions.add(s);
    const close = s.close.bind(s);
    s.close = async () => {
      this.sessions.delete(s);
      await close();
    };
    return s;
  }

  async close(): Promise<void> {
    await this.core.reclusterer.close();
    await this.pipes.stop();
    // In-flight task runs finish first (they use sessions of this engine).
    await this.core.tasks.close();
    for (const s of [...this.sessions]) await s.close();
    await this.core.compactor.close();
    await this.core.storage.resolver.close();
    await this.core.driver.close();
  }
}
