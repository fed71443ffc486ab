/**
 * The warehouse port: what the engine needs from a SQL backend. Each backend (DuckDB now; PostgreSQL and
 * Snowflake later) provides a driver (connections, values) and a dialect (how to spell things), and
 * answers capability questions — the engine never asks which backend it is talking to.
 */
import type { FloeError } from '../errors.js';
import type { FloeValue, ResultColumn } from '../result.js';
import type { SfType } from '../types/snowflake-type.js';

export interface QueryResult {
  columns: ResultColumn[];
  rows: FloeValue[][];
  /** Rows changed by a DML statement, when the backend reports it. */
  rowsChanged?: number;
}

export interface WarehouseConnection {
  /** Run one backend statement and return its rows (converted to floe values). */
  query(sql: string, params?: readonly FloeValue[]): Promise<QueryResult>;
  /** Run backend statements whose results are not needed. */
  execute(sql: string): Promise<void>;
  /**
   * Bulk-append rows to a session-temporary table (all columns VARCHAR or INTEGER), inside the connection's
   * current transaction. Loaders stage parsed file rows this way and convert them with set-based SQL.
   */
  appendRows(tempTable: string, rows: readonly (readonly (string | number | null)[])[]): Promise<void>;
  /** Interrupt the statement running on this connection (task timeouts); a no-op when idle. */
  cancel(): void;
  /** Set the time zone in which LTZ values are computed and rendered. */
  setTimeZone(tz: string): Promise<void>;
  close(): Promise<void>;
}

export interface WarehouseCapabilities {
  /** DDL can run inside a transaction and roll back with it. */
  transactionalDdl: boolean;
  /** SELECT-list aliases are visible to later items and clauses natively (Snowflake's lateral aliases). */
  lateralColumnAliases: boolean;
  /** QUALIFY is supported natively. */
  qualify: boolean;
  /** A physical row identity expression usable in a join (e.g. DuckDB `rowid`), or undefined. */
  rowIdentity: string | undefined;
}

export interface ColumnSpec {
  name: string;
  type: SfType;
  nullable: boolean;
  /** Backend SQL of the default expression, already translated. */
  defaultSql?: string;
}

export interface ExpressionOptions {
  timestampTypeMapping?: 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';
}

/** How a backend spells the things the engine generates itself (catalog-driven DDL, metadata). */
export interface WarehouseDialect {
  /**
   * Rewrite Snowflake expressions (functions, casts, operators, VARIANT access) inside a parsed statement
   * into constructs the backend runs, in place. The AST is the SQL front end's (opaque to the core).
   */
  rewriteExpressions(statementAst: unknown, options: ExpressionOptions): void;
  /** Statements that (re)create the INFORMATION_SCHEMA views of one database over the metadata table. */
  informationSchemaViews(database: string, metadataTable: string): string[];
  quoteIdent(name: string): string;
  quoteString(value: string): string;
  /** Unquoted backend schema and object names of Snowflake object `database.schema.name`. */
  physicalParts(database: string, schema: string, name: string): { schema: string; name: string };
  /** The backend schema that holds Snowflake schema `database.schema` (quoted, ready to use). */
  physicalSchema(database: string, schema: string): string;
  /** Fully qualified, quoted backend name of a table or view. */
  physicalTable(database: string, schema: string, name: string): string;
  /**
   * Unquoted backend catalog, schema and table names of a session's temporary table `database.schema.name`:
   * a backend table that lives only as long as the session's connection and is never persisted.
   */
  temporaryParts(database: string, schema: string, name: string): { catalog: string; schema: string; name: string };
  typeFor(type: SfType): string;
  /** The type as written in a column definition (CREATE TABLE, ADD COLUMN): `typeFor` plus any storage clause
   *  (`readByKey`: as in `createTable`). */
  columnType(type: SfType, options?: { readByKey?: boolean }): string;
  /** Text → date/time value with a Snowflake format (COPY's DATE_FORMAT …): NULL when the text does not match. */
  tryParseDateTime(text: string, type: SfType, snowflakeFormat: string): string;
  createSchema(physicalSchema: string): string;
  dropSchema(physicalSchema: string): string;
  /**
   * `temporary`: a per-connection table (physical name from `temporaryParts`). `readByKey`: the table has a clustering
   * key of plain columns, so its rows are mostly read a few at a time through the key's index (ClusterIndexDialect);
   * a backend may store its columns in an encoding that is cheap to fetch row by row.
   */
  createTable(physicalName: string, columns: readonly ColumnSpec[], replace: boolean, options?: { temporary?: boolean; readByKey?: boolean }): string;
  changeTracking: ChangeTrackingDialect;
  clusterIndex: ClusterIndexDialect;
  /** TIMESTAMP_LTZ value of an epoch-milliseconds expression (history tables keep epoch ms). */
  epochMillisToLtz(expr: string): string;
}

/**
 * The access path a backend gives a table's clustering key (Snowflake CLUSTER BY): statements creating and dropping
 * an index over the key's columns (creating one that exists is a no-op), or none where the backend has nothing better
 * than a scan. Backends whose index blocks column renames and drops get it dropped before and re-created after such
 * changes.
 */
export interface ClusterIndexDialect {
  create(physicalTable: string, table: { database: string; schema: string; name: string }, columns: readonly string[]): string[];
  drop(table: { database: string; schema: string; name: string }): string[];
  /**
   * Present when the backend keeps rows in insertion order, so an indexed table's rows for one key end up spread over
   * its storage, and it can be rebuilt in key order in the background (engine/clustering/reclusterer.ts). Requires
   * `capabilities.rowIdentity` to number rows in storage order, growing for appended rows and never renumbering an
   * indexed table's rows (DuckDB does not vacuum tables that have an index). `quantiles`: a query giving, one row per
   * fraction and in their order, the value of `expr` below which about that fraction of the rows of `from` lie (the
   * rebuild sorts one key range at a time; the ranges need only be about equal, so an estimate from a sample will do,
   * and should: exact quantiles of a big table hold all its values in memory). `bulkWrites`: statements
   * turning on (and back off) whatever lets the rebuild's large appends reach storage while they run rather than at
   * their commit, where they would hold up other transactions' commits.
   */
  recluster?: { quantiles(expr: string, fractions: readonly number[], from: string): string; bulkWrites?: { on: string; off: string } };
}

/**
 * What change tracking needs from a backend: a row-id sequence, and a per-connection "current change
 * version" that column defaults can read, so every write path (INSERT, COPY, MERGE … INSERT) stamps rows
 * without being rewritten.
 */
export interface ChangeTrackingDialect {
  createSequence(qualifiedName: string): string;
  /** Default expression drawing the next row id from the sequence. */
  nextRowId(qualifiedName: string): string;
  /** Default expression reading the connection's current change version (NULL when unset). */
  currentVersion: string;
  /** Statement setting the connection's current change version. */
  setVersion(version: number): string;
}

/** What the backend holds in memory now (bytes), for status views. */
export interface WarehouseMemory {
  /** Everything the backend's memory manager accounts for (cached table blocks, unwritten rows, indexes, work). */
  usedBytes: number;
  /** Of that, the indexes (DuckDB holds a clustering key's index in memory whole). */
  indexBytes: number;
  /** The backend's limit now: on DuckDB the configured `memoryLimit` plus what the indexes hold. */
  limitBytes?: number;
  /** The configured `memoryLimit`, when there is one. */
  configuredBytes?: number;
}

export interface WarehouseDriver {
  readonly capabilities: WarehouseCapabilities;
  readonly dialect: WarehouseDialect;
  connect(): Promise<WarehouseConnection>;
  /** Optional: the backend's memory, for `floe status` and the demo's view (absent: the backend cannot tell). */
  memory?(): Promise<WarehouseMemory>;
  /**
   * Called once when the backend fails so that its in-memory state can no longer be trusted (e.g. a commit that
   * failed half-way). From then on every statement fails with WAREHOUSE_FAILED and closing does not persist that
   * state: the process should stop, and the next start recovers from what was committed. Returns an unsubscribe.
   */
  onFailure(listener: (error: FloeError) => void): () => void;
  close(): Promise<void>;
}
