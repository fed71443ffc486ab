/**
 * INFORMATION_SCHEMA.TASK_HISTORY(…) (reference §2.8): arguments SCHEDULED_TIME_RANGE_START/END, RESULT_LIMIT
 * (1–10000, default 100), TASK_NAME (case-insensitive), ERROR_ONLY, ROOT_TASK_ID; rows of the function's
 * database, newest scheduled time first, filters applied before the limit.
 */
import { compilationError } from '../../core/errors.js';
import type { ExecContext } from '../exec-context.js';
import { registerTableFunction, type TableFunctionArgs } from '../table-functions.js';
import { taskHistoryQuery } from './task-history.js';

const KNOWN = new Set(['SCHEDULED_TIME_RANGE_START', 'SCHEDULED_TIME_RANGE_END', 'RESULT_LIMIT', 'TASK_NAME', 'ERROR_ONLY', 'ROOT_TASK_ID']);

export function taskHistorySql(ctx: ExecContext, args: TableFunctionArgs, database: string | undefined): string {
  const d = ctx.engine.driver.dialect;
  for (const k of args.keys()) if (!KNOWN.has(k)) throw compilationError(`invalid argument '${k}' for function TASK_HISTORY`);
  const ts = (c: string): string => d.epochMillisToLtz(c);
  const where: string[] = [];
  const db = database ?? ctx.session.database;
  if (db !== undefined) where.push(`database_name = ${d.quoteString(db)}`);
  const start = args.get('SCHEDULED_TIME_RANGE_START');
  if (start) where.push(`${ts('scheduled_ms')} >= ${start.sql}`);
  const end = args.get('SCHEDULED_TIME_RANGE_END');
  if (end) where.push(`${ts('scheduled_ms')} < ${end.sql}`);
  const name = args.get('TASK_NAME');
  if (name) where.push(`upper(name) = upper(${name.sql})`);
  const root = args.get('ROOT_TASK_ID');
  if (root) where.push(`root_task_id = ${root.sql}`);
  if (args.get('ERROR_ONLY')?.value === true) where.push(`state IN ('FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED')`);
  const limitArg = args.get('RESULT_LIMIT')?.value;
  const limit = limitArg === undefined || limitArg === null ? 100 : Number(limitArg);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw compilationError('RESULT_LIMIT must be between 1 and 10000.');
  return taskHistoryQuery(d, { where, limit }, ts);
}

registerTableFunction('TASK_HISTORY', taskHistorySql);
