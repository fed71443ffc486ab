/**
 * What floe verify needs from the pipeline's warehouse: run Snowflake SQL, get the last statement's rows. Verify
 * only reads (catalog, load history, the SCD tables), so the same code runs on a local engine (the project's DuckDB
 * file, while no `floe run` holds it) or on a remote client.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { FloeValue } from '../core/result.js';
import type { StorageConfig } from '../config/storage-config.js';
import type { Engine, EngineOptions, Session } from '../engine/engine-api.js';
import { CANONICAL_SESSION } from './canonical.js';

export interface QueryRows {
  columns: string[];
  rows: FloeValue[][];
}

export interface WarehouseClient {
  /** Where the rows come from, for the report ("local warehouse .floe/warehouse.duckdb"). */
  readonly description: string;
  /** Runs a script; returns the last statement's rows. */
  query(sql: string): Promise<QueryRows>;
  close(): Promise<void>;
}

/** Runs scripts on a floe session (the local warehouse, and the scratch engine verify re-reads files with). */
export class SessionClient implements WarehouseClient {
  constructor(
    readonly description: string,
    private readonly session: Session,
    private readonly onClose: () => Promise<void>,
  ) {}

  async query(sql: string): Promise<QueryRows> {
    const results = await this.session.query(sql);
    const last = results.at(-1);
    return { columns: last?.columns.map((c) => c.name) ?? [], rows: last?.rows ?? [] };
  }

  async close(): Promise<void> {
    await this.session.close().catch(() => undefined);
    await this.onClose();
  }
}

export const WAREHOUSE_FILE = join('.floe', 'warehouse.duckdb');

/**
 * Opens the project's warehouse file in this process. It never creates one, runs no tasks and starts no pipes;
 * a warehouse held by `floe run` is a clear error (DuckDB allows one writer per file).
 */
export async function openLocalWarehouse(options: {
  projectDir: string;
  storage: StorageConfig;
  openEngine: (o: EngineOptions) => Promise<Engine>;
}): Promise<WarehouseClient> {
  const database = join(options.projectDir, WAREHOUSE_FILE);
  if (!existsSync(database)) {
    throw new FloeError('CONFIG', `floe verify: ${database} does not exist: the project has not run yet (floe run --project ${options.projectDir} --once)`);
  }
  let engine: Engine;
  try {
    engine = await options.openEngine({ database, projectDir: options.projectDir, storage: options.storage, tasks: { scheduler: false } });
  } catch (e) {
    const message = (e as Error).message;
    if (/in use by another|Could not set lock/i.test(message)) {
      throw new FloeError(
        'CONFIG',
        `floe verify: the warehouse ${database} is in use by another process (floe run?). Stop floe run (Ctrl-C) or wait until it exits, then run floe verify again.`,
        { cause: e },
      );
    }
    throw new FloeError('CONFIG', `floe verify: cannot open ${database}: ${message}`, { cause: e });
  }
  try {
    const session = await engine.session();
    await session.query(CANONICAL_SESSION);
    return new SessionClient(`local warehouse ${WAREHOUSE_FILE}`, session, () => engine.close());
  } catch (e) {
    await engine.close();
    throw e;
  }
}
