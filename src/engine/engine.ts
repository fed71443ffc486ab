/**
 * The engine: one warehouse backend, the catalog loaded from its metadata, and sessions over it.
 */
import { Catalog } from '../core/catalog/catalog.js';
import type { WarehouseDriver } from '../core/ports/warehouse.js';
import type { Engine, Session, TableCommit } from './engine-api.js';
import type { EngineCore, EngineStorage } from './exec-context.js';
import { MetadataStore } from './metadata-store.js';
import { ChangeClock } from './changes/change-clock.js';
import { ChangeEvents } from './changes/change-events.js';
import { LogCompactor } from './changes/log-compactor.js';
import { bootstrapChangeTablesSql, changeTables } from './changes/change-store.js';
import { SessionImpl } from './session.js';

/** A fresh warehouse gets this database (with schema PUBLIC) so `floe sql` works with zero setup. */
export const DEFAULT_DATABASE = 'FLOE';

export class EngineImpl implements Engine {
  /** Internal: for benchmarks and tools that need the engine parts (not part of the API). */
  readonly core: EngineCore;
  private readonly sessions = new Set<SessionImpl>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(driver: WarehouseDriver, committedVersion: number, now: () => number, storage: EngineStorage) {
    this.core = {
      storage,
      clock: new ChangeClock(committedVersion),
      events: new ChangeEvents(),
      compactor: undefined as unknown as LogCompactor,
      now,
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
  }

  static async start(driver: WarehouseDriver, options: { now?: () => number; storage: EngineStorage }): Promise<EngineImpl> {
    const conn = await driver.connect();
    let engine: EngineImpl;
    try {
      const metadata = new MetadataStore(driver.dialect);
      await metadata.bootstrap(conn);
      for (const sql of bootstrapChangeTablesSql(driver.dialect)) await conn.execute(sql);
      const v = await conn.query(`SELECT coalesce(max(version), 0) FROM ${changeTables(driver.dialect).commits}`);
      engine = new EngineImpl(driver, Number(v.rows[0]?.[0] ?? 0), options.now ?? Date.now, options.storage);
      engine.core.catalog.load(await metadata.load(conn));
    } finally {
      await conn.close();
    }
    if (engine.core.catalog.databases().length === 0) {
      const s = await engine.session();
      await s.query(`CREATE DATABASE IF NOT EXISTS ${DEFAULT_DATABASE}`);
      await s.close();
    }
    return engine;
  }

  onCommit(listener: (commit: TableCommit) => void): () => void {
    return this.core.events.onCommit(listener);
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
    for (const s of [...this.sessions]) await s.close();
    await this.core.compactor.close();
    await this.core.storage.resolver.close();
    await this.core.driver.close();
  }
}
