/**
 * Task run history in the warehouse (`_floe.task_history`): one row per run, SCHEDULED → EXECUTING →
 * SUCCEEDED | FAILED | FAILED_AND_AUTO_SUSPENDED | CANCELLED | SKIPPED (reference §2.8). Kept in the warehouse
 * so it survives restarts; a run still EXECUTING when the process died is marked FAILED on the next start.
 */
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import type { FloeValue } from '../../core/result.js';
import { METADATA_SCHEMA } from '../metadata-store.js';

export type RunState = 'SCHEDULED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'FAILED_AND_AUTO_SUSPENDED' | 'CANCELLED' | 'SKIPPED';
export type ScheduledFrom = 'SCHEDULE' | 'EXECUTE_TASK' | 'MANUAL RETRY' | 'AUTOMATIC RETRY' | 'TRIGGER';

export interface RunRecord {
  runKey: string;
  taskId: string;
  queryId: string | null;
  name: string;
  database: string;
  schema: string;
  queryText: string;
  conditionText: string | null;
  state: RunState;
  errorCode: string | null;
  errorMessage: string | null;
  scheduledTime: number;
  queryStartTime: number | null;
  nextScheduledTime: number | null;
  completedTime: number | null;
  rootTaskId: string;
  graphVersion: number;
  runId: number;
  returnValue: string | null;
  scheduledFrom: ScheduledFrom;
  attemptNumber: number;
  config: string | null;
  graphRunGroupId: string;
}

/** Column name → SQL type, in TASK_HISTORY order (plus floe's run key and task id). */
const COLUMNS: [keyof RunRecord, string, string][] = [
  ['runKey', 'run_key', 'VARCHAR'],
  ['taskId', 'task_id', 'VARCHAR'],
  ['queryId', 'query_id', 'VARCHAR'],
  ['name', 'name', 'VARCHAR'],
  ['database', 'database_name', 'VARCHAR'],
  ['schema', 'schema_name', 'VARCHAR'],
  ['queryText', 'query_text', 'VARCHAR'],
  ['conditionText', 'condition_text', 'VARCHAR'],
  ['state', 'state', 'VARCHAR'],
  ['errorCode', 'error_code', 'VARCHAR'],
  ['errorMessage', 'error_message', 'VARCHAR'],
  ['scheduledTime', 'scheduled_ms', 'BIGINT'],
  ['queryStartTime', 'query_start_ms', 'BIGINT'],
  ['nextScheduledTime', 'next_scheduled_ms', 'BIGINT'],
  ['completedTime', 'completed_ms', 'BIGINT'],
  ['rootTaskId', 'root_task_id', 'VARCHAR'],
  ['graphVersion', 'graph_version', 'BIGINT'],
  ['runId', 'run_id', 'BIGINT'],
  ['returnValue', 'return_value', 'VARCHAR'],
  ['scheduledFrom', 'scheduled_from', 'VARCHAR'],
  ['attemptNumber', 'attempt_number', 'BIGINT'],
  ['config', 'config', 'VARCHAR'],
  ['graphRunGroupId', 'graph_run_group_id', 'VARCHAR'],
];

export const historyTable = (d: WarehouseDialect): string => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('task_history')}`;

export function bootstrapTaskHistorySql(d: WarehouseDialect): string {
  return `CREATE TABLE IF NOT EXISTS ${historyTable(d)} (${COLUMNS.map(([, c, t]) => `${c} ${t}`).join(', ')})`;
}

export async function insertRun(conn: WarehouseConnection, d: WarehouseDialect, r: RunRecord): Promise<void> {
  await conn.query(
    `INSERT INTO ${historyTable(d)} (${COLUMNS.map(([, c]) => c).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    COLUMNS.map(([k]) => r[k] as FloeValue),
  );
}

export async function updateRun(conn: WarehouseConnection, d: WarehouseDialect, runKey: string, changes: Partial<RunRecord>): Promise<void> {
  const sets = COLUMNS.filter(([k]) => k in changes);
  if (sets.length === 0) return;
  await conn.query(`UPDATE ${historyTable(d)} SET ${sets.map(([, c]) => `${c} = ?`).join(', ')} WHERE run_key = ?`, [
    ...sets.map(([k]) => changes[k] as FloeValue),
    runKey,
  ]);
}

export async function deleteRun(conn: WarehouseConnection, d: WarehouseDialect, runKey: string): Promise<void> {
  await conn.query(`DELETE FROM ${historyTable(d)} WHERE run_key = ?`, [runKey]);
}

/** TASK_HISTORY covers the last 7 days (reference §2.8): older runs are deleted. */
export const HISTORY_RETENTION_MS = 7 * 86_400_000;

export async function pruneHistory(conn: WarehouseConnection, d: WarehouseDialect, now: number): Promise<void> {
  await conn.query(`DELETE FROM ${historyTable(d)} WHERE state <> 'SCHEDULED' AND scheduled_ms < ?`, [now - HISTORY_RETENTION_MS]);
}

/** After a restart: runs that were executing can never finish; scheduled ones are re-planned. */
export async function recoverHistory(conn: WarehouseConnection, d: WarehouseDialect, now: number): Promise<void> {
  await conn.query(
    `UPDATE ${historyTable(d)} SET state = 'FAILED', error_code = '000604', completed_ms = ?,
       error_message = 'Task run was interrupted: the floe process ended while it was executing.' WHERE state = 'EXECUTING'`,
    [now],
  );
  await conn.execute(`DELETE FROM ${historyTable(d)} WHERE state = 'SCHEDULED'`);
}

/** The SQL behind INFORMATION_SCHEMA.TASK_HISTORY(…): Snowflake's columns, newest scheduled time first. */
export function taskHistoryQuery(d: WarehouseDialect, filter: { where: string[]; limit: number }, ts: (msColumn: string) => string): string {
  const col = (c: string, alias: string): string => `${c} AS ${d.quoteIdent(alias)}`;
  const select = [
    col('query_id', 'QUERY_ID'),
    col('name', 'NAME'),
    col('database_name', 'DATABASE_NAME'),
    col('schema_name', 'SCHEMA_NAME'),
    col('query_text', 'QUERY_TEXT'),
    col('condition_text', 'CONDITION_TEXT'),
    col('state', 'STATE'),
    col('error_code', 'ERROR_CODE'),
    col('error_message', 'ERROR_MESSAGE'),
    col(ts('scheduled_ms'), 'SCHEDULED_TIME'),
    col(ts('query_start_ms'), 'QUERY_START_TIME'),
    col(ts('next_scheduled_ms'), 'NEXT_SCHEDULED_TIME'),
    col(ts('completed_ms'), 'COMPLETED_TIME'),
    col('root_task_id', 'ROOT_TASK_ID'),
    col('graph_version', 'GRAPH_VERSION'),
    col('run_id', 'RUN_ID'),
    col('return_value', 'RETURN_VALUE'),
    col('scheduled_from', 'SCHEDULED_FROM'),
    col('attempt_number', 'ATTEMPT_NUMBER'),
    col('config', 'CONFIG'),
    col('NULL', 'QUERY_HASH'),
    col('NULL', 'QUERY_HASH_VERSION'),
    col('NULL', 'QUERY_PARAMETERIZED_HASH'),
    col('NULL', 'QUERY_PARAMETERIZED_HASH_VERSION'),
    col('graph_run_group_id', 'GRAPH_RUN_GROUP_ID'),
    col('NULL', 'BACKFILL_INFO'),
    col('NULL', 'SPCS_JOB_ID'),
  ];
  const where = filter.where.length > 0 ? ` WHERE ${filter.where.join(' AND ')}` : '';
  return `SELECT ${select.join(', ')} FROM ${historyTable(d)}${where} ORDER BY scheduled_ms DESC, query_start_ms DESC NULLS FIRST LIMIT ${Math.trunc(filter.limit)}`;
}
