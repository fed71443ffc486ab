/**
 * The catalog's objects as Snowflake describes them. The engine persists these in the warehouse's internal
 * schema so they survive restarts; the backend only holds the physical tables.
 */
import type { SfType } from '../types/snowflake-type.js';

export interface ColumnDef {
  name: string;
  type: SfType;
  nullable: boolean;
  /** Default expression as written in Snowflake SQL (shown by DESCRIBE / SHOW COLUMNS). */
  default?: string;
  primaryKey?: boolean;
  unique?: boolean;
  comment?: string;
}

export interface ConstraintDef {
  kind: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY';
  name?: string;
  columns: string[];
  references?: { table: string; columns: string[] };
}

interface Owned {
  createdOn: string; // ISO instant
  owner: string;
  comment?: string;
}

export interface DatabaseDef extends Owned {
  name: string;
  retentionTime: number;
}

export interface SchemaDef extends Owned {
  database: string;
  name: string;
  retentionTime: number;
}

export interface TableDef extends Owned {
  kind: 'TABLE' | 'VIEW';
  database: string;
  schema: string;
  name: string;
  columns: ColumnDef[];
  constraints: ConstraintDef[];
  /** VIEW: the Snowflake text of the CREATE VIEW statement (SHOW VIEWS `text`). */
  text?: string;
  /** VIEW: reads a stream (directly or through another view), so it is expanded per statement, never static. */
  readsStreams?: boolean;
  transient?: boolean;
  /** A session's temporary table: never in the shared catalog, only in its session's overlay (engine/temp-tables). */
  temporary?: boolean;
  changeTracking: boolean;
  retentionTime: number;
  /** MAX_DATA_EXTENSION_TIME_IN_DAYS when set on the table (stream staleness). */
  maxDataExtension?: number;
  /** CLUSTER BY: the clustering key, in order (engine/handlers/clustering-key.ts). */
  clusterBy?: ClusterKey[];
  /** ALTER TABLE … SUSPEND RECLUSTER: no background reclustering (engine/clustering/reclusterer.ts) until RESUME. */
  reclusterSuspended?: boolean;
  /**
   * Stable identity: survives renames, differs after DROP + CREATE or CREATE OR REPLACE (streams follow the
   * id, so a replaced table leaves its streams stale). Tables created before ids existed get one lazily.
   */
  id?: string;
  /**
   * Set while change tracking data exists: rows live in a base table with hidden row-id/version columns
   * and the table's own physical name is a view over it (see engine/changes).
   */
  tracked?: TrackedStorage;
}

/** One item of a clustering key: a column, or an expression kept as written. */
export type ClusterKey = { column: string } | { expression: string };

export interface TrackedStorage {
  /** Warehouse change version at which tracking started (rows present then have version 0). */
  since: number;
}

export type StreamMode = 'DEFAULT' | 'APPEND_ONLY';

export interface StreamDef extends Owned {
  database: string;
  schema: string;
  name: string;
  id: string;
  /** Source table: id (authoritative) and the name it had when the stream was created. */
  tableId: string;
  tableName: { database: string; schema: string; name: string };
  sourceType: 'Table' | 'View';
  /** Streams on views over several tables (joins, UNION ALL): every base table's id (tableId is the first). */
  baseTableIds?: string[];
  /** Streams on views: the view (its id tells a replaced view apart). */
  view?: { database: string; schema: string; name: string; id: string };
  mode: StreamMode;
  showInitialRows: boolean;
}

export type OverlapPolicy = 'NO_OVERLAP' | 'ALLOW_CHILD_OVERLAP' | 'ALLOW_ALL_OVERLAP';

export interface QualifiedName {
  database: string;
  schema: string;
  name: string;
}

export interface TaskDef extends Owned {
  database: string;
  schema: string;
  name: string;
  /** Changes on CREATE OR REPLACE (SHOW TASKS `id`). */
  id: string;
  warehouse?: string;
  /** SCHEDULE as written ('5 MINUTES', 'USING CRON …'). */
  schedule?: string;
  /** CONFIG JSON text (root tasks). */
  config?: string;
  overlapPolicy: OverlapPolicy;
  /** Task parameters (USER_TASK_TIMEOUT_MS, SUSPEND_TASK_AFTER_NUM_FAILURES, …) and session parameters, as given. */
  params: Record<string, string>;
  predecessors: QualifiedName[];
  /** FINALIZE = <root>: this task is the root's finalizer. */
  finalize?: QualifiedName;
  /** WHEN condition, Snowflake text. */
  condition?: string;
  /** The body after AS, Snowflake text. */
  definition: string;
  state: 'started' | 'suspended';
  /** Epoch ms of the last RESUME / SET SCHEDULE: the base time of interval schedules. */
  scheduleBase?: number;
  lastCommittedOn?: string;
  lastSuspendedOn?: string;
  lastSuspendedReason?: string;
  /** Increments on every RESUME / EXECUTE after a modification; restarts at 1 when re-created. */
  graphVersion: number;
  modified: boolean;
}

/** Account-level objects floe records (and SHOW shows) but does not enforce in embedded mode. */
export interface AccountObjectDef extends Owned {
  kind: 'ROLE' | 'WAREHOUSE' | 'USER';
  name: string;
  properties: Record<string, string>;
}

export interface GrantDef {
  createdOn: string;
  privilege: string;
  grantedOn: string;
  name: string;
  grantedTo: 'ROLE' | 'USER';
  granteeName: string;
  grantOption: boolean;
  grantedBy: string;
}

/** Schema-level objects of the loading layer (stages, file formats, pipes): see load-objects.ts. */
export type { SchemaObjectDef } from './load-objects.js';
import type { SchemaObjectDef } from './load-objects.js';

export type CatalogEntry =
  | { kind: 'DATABASE'; def: DatabaseDef }
  | { kind: 'SCHEMA'; def: SchemaDef }
  | { kind: 'TABLE'; def: TableDef }
  | { kind: 'STREAM'; def: StreamDef }
  | { kind: 'TASK'; def: TaskDef }
  | { kind: 'ACCOUNT_OBJECT'; def: AccountObjectDef }
  | { kind: 'GRANT'; def: GrantDef }
  | { kind: 'SCHEMA_OBJECT'; def: SchemaObjectDef };
