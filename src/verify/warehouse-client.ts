/**
 * What floe verify needs from the pipeline's warehouse: run Snowflake SQL, get the last statement's rows. Verify
 * only reads (catalog, load history, the SCD tables), so the same code runs on the live `floe run` (its HTTP API,
 * one server-side session) or, when none runs, on the project's DuckDB file opened here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { FloeValue } from '../core/result.js';
import type { StorageConfig } from '../config/storage-config.js';
import type { Engine, EngineOptions, Session } from '../engine/engine-api.js';
import { connectServer } from '../server/client/api-client.js';
import { RemoteSession } from '../server/client/remote-session.js';
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

interface OpenOptions {
  projectDir: string;
  storage: StorageConfig;
  /** floe.yaml `warehouse` (the DuckDB memory limit). */
  warehouse?: EngineOptions['warehouse'];
  openEngine: (o: EngineOptions) => Promise<Engine>;
}

/** The live `floe run` of the project when there is one (.floe/server.json), else the warehouse file. */
export async function openProjectWarehouse(options: OpenOptions): Promise<WarehouseClient> {
  const server = await connectServer(options.projectDir);
  if (!server) return openLocalWarehouse(options);
  const session = await RemoteSession.open(server);
  try {
    await session.query(CANONICAL_SESSION);
  } catch (e) {
    await session.close().catch(() => undefined);
    throw e;
  }
  return new SessionClient(`floe run at ${server.info.url}, pid ${server.info.pid}`, session, async () => undefined);
}

/**
 * Opens the project's warehouse file in this process. It never creates one, runs no tasks and starts no pipes;
 * a warehouse held by another process is a clear error (DuckDB allows one writer per file).
 */
export async function openLocalWarehouse(options: OpenOptions): Promise<WarehouseClient> {
  const database = join(options.projectDir, WAREHOUSE_FILE);
  if (!existsSync(database)) {
    throw new FloeError('CONFIG', `floe verify: ${database} does not exist: the project has not run yet (floe run --project ${options.projectDir} --once)`);
  }
  let engine: Engine;
  try {
    engine = await options.openEngine({ database, projectDir: options.projectDir, storage: options.storage, tasks: { scheduler: false }, ...(options.warehouse ? { warehouse: options.warehouse } : {}) });
  } catch (e) {
    const message = (e as Error).message;
    if (/in use by another|Could not set lock/i.test(message)) {
      throw new FloeError(
        'CONFIG',
        `floe verify: the warehouse ${database} is in use by another process that serves no API (floe run --once, a floe sql shell, …). Wait until it exits (or stop it), then run floe verify again.`,
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
