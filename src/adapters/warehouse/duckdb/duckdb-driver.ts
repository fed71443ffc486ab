/**
 * The DuckDB warehouse driver: one DuckDB instance (a file, or :memory:) shared by all sessions of the
 * process; one DuckDB connection per floe session, so transactions and the TimeZone setting are per session. A closed
 * session's connection is reset and kept for the next session (duckdb-connection-pool.ts).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QueryResult, WarehouseCapabilities, WarehouseConnection, WarehouseDriver, WarehouseMemory } from '../../../core/ports/warehouse.js';
import type { FloeError } from '../../../core/errors.js';
import type { FloeValue, ResultColumn } from '../../../core/result.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { mapDuckDbError } from './duckdb-errors.js';
import { DuckDbHealth } from './duckdb-failure.js';
import { DuckDbConnectionPool, type ReleaseState } from './duckdb-connection-pool.js';
import { byteSize, parseSize } from '../../../core/byte-size.js';
import { IndexMemoryAllowance, readDuckDbMemory } from './duckdb-index-memory.js';
import { sfResultTypeFromDuckDb } from './duckdb-types.js';
import { toFloeValue } from './duckdb-values.js';

const CAPABILITIES: WarehouseCapabilities = {
  transactionalDdl: true,
  lateralColumnAliases: true,
  qualify: true,
  rowIdentity: 'rowid',
};

class DuckDbConnection implements WarehouseConnection {
  private timeZone = 'UTC';
  private readonly use: ReleaseState = { interrupted: false, inFlight: 0, timeZoneSet: false };
  private released = false;

  constructor(
    private readonly con: DuckDBConnection,
    private readonly health: DuckDbHealth,
    private readonly pool: DuckDbConnectionPool,
  ) {}

  /** Throws once the instance has failed, or once this connection is closed: its DuckDB connection may be another session's then. */
  private checkUsable(): void {
    this.health.check();
    if (this.released) throw mapDuckDbError(new Error('Connection Error: the connection is closed'));
  }

  /** Runs one statement unless the instance has failed; a fatal error fails the whole instance (duckdb-failure.ts). */
  private async run(sql: string, params?: readonly FloeValue[]): Promise<DuckDBMaterializedResult> {
    this.checkUsable();
    this.use.inFlight++;
    try {
      return await this.con.run(sql, params as DuckDBValue[] | undefined);
    } catch (e) {
      throw (await this.health.observe(e, this.con)) ?? mapDuckDbError(e);
    } finally {
      this.use.inFlight--;
    }
  }

  async query(sql: string, params?: readonly FloeValue[]): Promise<QueryResult> {
    const result = await this.run(sql, params);
    const columns: ResultColumn[] = [];
    for (let i = 0; i < result.columnCount; i++) {
      const alias = result.columnLogicalType(i).alias;
      const typeText = alias === 'JSON' ? 'JSON' : result.columnType(i).toString();
      columns.push({ name: result.columnName(i), ...sfResultTypeFromDuckDb(typeText) });
    }
    const rows: FloeValue[][] = [];
    const chunks = await result.fetchAllChunks();
    for (const chunk of chunks) {
      for (const raw of chunk.getRows()) rows.push(raw.map((v) => toFloeValue(v, this.timeZone)));
    }
    return { columns, rows, rowsChanged: result.rowsChanged };
  }

  cancel(): void {
    if (this.released) return;
    this.use.interrupted = true;
    this.con.interrupt();
  }

  async execute(sql: string): Promise<void> {
    await this.run(sql);
  }

  async appendRows(tempTable: string, rows: readonly (readonly (string | number | null)[])[]): Promise<void> {
    this.checkUsable();
    let appender;
    try {
      appender = await this.con.createAppender(tempTable, 'main', 'temp');
    } catch (e) {
      throw mapDuckDbError(e);
    }
    try {
      for (const row of rows) {
        for (const v of row) {
          if (v === null) appender.appendNull();
          else if (typeof v === 'number') appender.appendInteger(v);
          else appender.appendVarchar(v);
        }
        appender.endRow();
      }
      appender.flushSync();
    } catch (e) {
      throw mapDuckDbError(e);
    } finally {
      appender.closeSync();
    }
  }

  async setTimeZone(tz: string): Promise<void> {
    this.use.timeZoneSet = true;
    await this.execute(`SET TimeZone = ${duckDbDialect.quoteString(tz)}`);
    this.timeZone = tz;
  }

  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.pool.release(this.con, this.use);
  }
}

/**
 * DuckDB checkpoints (merges the write-ahead log into the database file) inside the commit that pushes the log past
 * this size, and that commit — a pipe load, a task run's bookkeeping — waits for the whole checkpoint. DuckDB's
 * 16MB default made every few commits of a streaming pipeline pay for one (bench/README.md). Too large a log has
 * its own costs: until the checkpoint, the changed data lives in memory uncompressed with per-row version info,
 * so a long-running pipeline's scans slow down and spill to `<database>.tmp` once it passes the memory limit, and
 * the eventual checkpoint stalls commits for seconds (1GB: p99 4.1 s after 6 minutes at 5 files/s; 128MB: 2.8 s,
 * and less CPU) — besides replay time when the warehouse opens after a crash.
 */
const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';

/** DuckDB storage format of new warehouse files (see open()). */
export const STORAGE_FORMAT = 'v1.2.0';

export class DuckDbDriver implements WarehouseDriver {
  readonly capabilities = CAPABILITIES;
  readonly dialect = duckDbDialect;

  private readonly health = new DuckDbHealth();
  /** With a configured memory limit: DuckDB's limit follows it plus what the indexes hold (duckdb-index-memory.ts). */
  indexMemory: IndexMemoryAllowance | undefined;

  /** For memory(): its own connection, so that a status view never waits behind a session's statement. */
  private statsCon: Promise<DuckDBConnection> | undefined;
  private reading: Promise<WarehouseMemory> | undefined;

  /** Set-up connections from closed sessions, for the next ones (duckdb-connection-pool.ts). */
  private readonly pool: DuckDbConnectionPool;

  private constructor(private readonly instance: DuckDBInstance) {
    this.pool = new DuckDbConnectionPool(instance);
  }

  /** `memoryLimit`: DuckDB's `memory_limit` (e.g. '1GB') for everything but clustered tables' indexes, which DuckDB
   *  holds in memory on top of it (duckdb-index-memory.ts); DuckDB's default is 80 % of RAM, and its buffer cache
   *  grows towards it as the warehouse grows. Larger work spills to `<database>.tmp`. `checkpointThreshold`:
   *  DuckDB's `checkpoint_threshold` (floe's default above). */
  static async open(path: string, options: { memoryLimit?: string; checkpointThreshold?: string } = {}): Promise<DuckDbDriver> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const config: Record<string, string> = {
      checkpoint_threshold: options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD,
      // DuckDB writes a large append to the database file before its transaction commits (an "optimistic write"),
      // compressed, and reads it back from there. floe's bulk transactions insert into work tables that they empty
      // before committing (the SCD applier's batch and versions) and read what they just wrote: with optimistic
      // writes a 1M-event backfill took 1.7× as long (bench/README.md). Without them the rows stay in buffer-managed
      // memory (spilled to <database>.tmp beyond memoryLimit) and a big commit checkpoints instead of logging.
      enable_optimistic_write: 'false',
      // A long-running process gives memory back: DuckDB's allocator otherwise keeps what a big statement freed
      // (a 10M-event backfill peaked at 2.4 GB RSS with a 1GB memory limit, 1.8 GB with these three settings,
      // same time), and bulk inserts buffer up to 1.2 GiB of row groups outside the memory limit by default.
      allocator_background_threads: 'true',
      allocator_flush_threshold: '32MB',
      write_buffer_row_group_memory_limit: '128MB',
      // The storage format of a new warehouse file (a file keeps the one it was created with). DuckDB's default, v1.0,
      // converts every index a checkpoint writes to its old layout, so a checkpoint and a commit cost more the bigger
      // the clustered tables' indexes are; from v1.2.0 an index is written as it lives in memory
      // (bench/clustering/index-growth-bench.ts: from 3.5 to 35 rows a key, checkpoint 307 → 870 ms with v1.0 and
      // 210 → 259 ms with v1.2.0, commit 5.1 → 8.3 vs 5.3 → 5.9 ms). Not later formats: they refuse the dictionary
      // compression floe asks for on clustered tables' text (duckdb-dialect.ts).
      storage_compatibility_version: STORAGE_FORMAT,
    };
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    const baseBytes = options.memoryLimit === undefined ? undefined : parseSize(options.memoryLimit);
    try {
      const driver = new DuckDbDriver(await DuckDBInstance.create(path, config));
      if (baseBytes !== undefined) {
        driver.indexMemory = await IndexMemoryAllowance.start(driver.instance, baseBytes).catch((e: unknown) => {
          driver.instance.closeSync();
          throw e;
        });
      }
      return driver;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg)) {
        throw mapDuckDbError(new Error(`the warehouse ${path} is in use by another floe process (DuckDB allows one writer per file): ${msg}`));
      }
      throw mapDuckDbError(e);
    }
  }

  async connect(): Promise<WarehouseConnection> {
    this.health.check();
    return new DuckDbConnection(await this.pool.acquire(), this.health, this.pool);
  }

  onFailure(listener: (error: FloeError) => void): () => void {
    return this.health.onFailure(listener);
  }

  /** Callers at the same moment share one reading: the statistics connection runs one query at a time. */
  memory(): Promise<WarehouseMemory> {
    this.health.check();
    this.reading ??= this.readMemory().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async readMemory(): Promise<WarehouseMemory> {
    this.statsCon ??= this.instance.connect();
    const { usedBytes, indexBytes, limit } = await readDuckDbMemory(await this.statsCon);
    const limitBytes = byteSize(limit);
    const configuredBytes = this.indexMemory?.baseBytes;
    return { usedBytes, indexBytes, ...(limitBytes !== undefined ? { limitBytes } : {}), ...(configuredBytes !== undefined ? { configuredBytes } : {}) };
  }

  async close(): Promise<void> {
    await this.indexMemory?.stop();
    await this.reading?.catch(() => undefined);
    if (this.statsCon) (await this.statsCon.catch(() => undefined))?.closeSync();
    this.pool.close();
    this.instance.closeSync();
  }
}
