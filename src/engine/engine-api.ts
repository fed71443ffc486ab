/**
 * The application-service surface the front ends (CLI, HTTP, JS procedures, tests) use. Front ends parse
 * their input, call these, and format the outcomes; they never talk to a backend directly.
 */
import type { FloeError } from '../core/errors.js';
import type { StatementResult } from '../core/result.js';
import type { StorageConfig } from '../config/storage-config.js';
import type { TableCommit, TaskRunEvent } from './changes/change-events.js';
import type { PipeLoad, Pipes, PipeServiceOptions } from './pipe/pipe-service.js';
import type { Clock } from '../core/ports/clock.js';
import type { ObjectStoreResolver } from '../core/ports/object-store.js';
import type { WarehouseMemory } from '../core/ports/warehouse.js';
import type { AppliedSql } from './project-sql-store.js';

export type { AppliedSql };

export type { TableCommit, TaskRunEvent, PipeLoad, Pipes, PipeServiceOptions };

export type StatementOutcome =
  | { ok: true; result: StatementResult }
  | { ok: false; statement: number; sql: string; error: FloeError };

export interface RunOptions {
  /** Source file name, for error locations. */
  file?: string;
  /** Keep going after a failed statement (the failure is still yielded). */
  continueOnError?: boolean;
  /** Number of the first statement (default 1), so several -q/-f inputs number statements continuously. */
  firstStatement?: number;
}

export interface Session {
  /** Split the script into statements and run them in order, yielding one outcome per statement. */
  run(script: string, options?: RunOptions): AsyncGenerator<StatementOutcome>;
  /** Convenience for tests and procedures: run one script, throw the first error, return all results. */
  query(script: string): Promise<StatementResult[]>;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** A DuckDB file path, or ':memory:'. */
  database: string;
  /** floe.yaml `storage` section: where the buckets named in stage URLs live. */
  storage?: StorageConfig;
  /**
   * Object stores built by the caller (instead of from `storage`), so other services of the process (flows)
   * write through the same store instances and pipes see those writes at once. The engine closes them.
   */
  objectStores?: ObjectStoreResolver;
  /** Folder that relative bucket paths resolve against (the project folder; default: current directory). */
  projectDir?: string;
  /**
   * Folder for internal stages (default: `stages/` beside the database file; a temporary folder, removed on
   * close, for ':memory:').
   */
  internalStageDir?: string;
  /** Wall clock in ms; tests inject one to age streams without waiting. */
  now?: () => number;
  /** Limits of the JavaScript procedure sandbox: JS time per CALL (SQL excluded) and worker heap. */
  procedures?: { timeLimitMs?: number; memoryLimitMb?: number };
  /** Clock for task schedules (and `now`); tests inject a manual clock to drive schedules without sleeping. */
  clock?: Clock;
  /** floe.yaml `tasks` settings (environment, not SQL). */
  tasks?: TaskEnvironment;
  /** floe.yaml `warehouse` settings: the embedded warehouse's memory limit (DuckDB `memory_limit`). */
  warehouse?: { memoryLimit?: string; checkpointThreshold?: string };
}

export interface TaskEnvironment {
  /**
   * Replaces USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS (Snowflake: ≥ 10 s, default 30 s) for triggered tasks;
   * 0 lets a triggered task run as soon as a commit gives its stream data.
   */
  minTriggerIntervalSeconds?: number;
  /** Run task schedules and triggers in this process (default true). */
  scheduler?: boolean;
}

export interface Engine {
  session(): Promise<Session>;
  /** Subscribe to commits that changed tracked tables (no polling); returns the unsubscribe function. */
  onCommit(listener: (commit: TableCommit) => void): () => void;
  /** Subscribe to finished task runs (and triggered checks that found no data); returns the unsubscribe function. */
  onTaskRun(listener: (run: TaskRunEvent) => void): () => void;
  /**
   * Subscribe to the warehouse failing for good (WAREHOUSE_FAILED: every statement fails from then on, and closing
   * keeps what was committed); long-running commands stop on it. Returns the unsubscribe function.
   */
  onWarehouseFailure(listener: (error: FloeError) => void): () => void;
  /** Auto-ingest pipes: `floe run` starts the service; statements (REFRESH, PIPE_STATUS) work either way. */
  readonly pipes: Pipes;
  /** Which statements of the project's SQL files this warehouse has applied (`floe run`). */
  readonly appliedSql: AppliedSql;
  /** Wait until no task run is in flight (EXECUTE TASK is asynchronous, as in Snowflake). */
  idle(): Promise<void>;
  /** The warehouse's memory (undefined: its backend cannot tell). */
  warehouseMemory(): Promise<WarehouseMemory | undefined>;
  close(): Promise<void>;
}
