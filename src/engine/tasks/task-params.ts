/**
 * Task parameters (reference §2.2): which keys a task accepts, their limits and Snowflake's defaults. Keys that
 * are not task parameters must be session parameters (validated like ALTER SESSION); AUTOCOMMIT = FALSE and
 * SEARCH_PATH are rejected as in Snowflake.
 */
import { compilationError } from '../../core/errors.js';
import type { TaskDef } from '../../core/catalog/catalog-model.js';
import { parseSchedule } from '../../core/task/schedule.js';
import { SessionParameters } from '../session-parameters.js';

const int = (min: number, max: number) => (key: string, v: string): void => {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw compilationError(`Invalid value [${v}] for parameter '${key}'`);
};
const oneOf = (...values: string[]) => (key: string, v: string): void => {
  if (!values.includes(v.toUpperCase())) throw compilationError(`Invalid value [${v}] for parameter '${key}'`);
};
const any = (): void => undefined;

/** Task-level parameters with their validators (session parameters are checked separately). */
const TASK_PARAMS: Record<string, (key: string, v: string) => void> = {
  WAREHOUSE: any,
  USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE: oneOf('XSMALL', 'X-SMALL', 'SMALL', 'MEDIUM', 'LARGE', 'XLARGE', 'X-LARGE', 'XXLARGE', 'X2LARGE', '2X-LARGE'),
  SCHEDULE: (_k, v) => void parseSchedule(v),
  CONFIG: (k, v) => {
    try {
      JSON.parse(v);
    } catch {
      throw compilationError(`Invalid value for parameter '${k}': not valid JSON.`);
    }
  },
  OVERLAP_POLICY: oneOf('NO_OVERLAP', 'ALLOW_CHILD_OVERLAP', 'ALLOW_ALL_OVERLAP'),
  ALLOW_OVERLAPPING_EXECUTION: oneOf('TRUE', 'FALSE'),
  USER_TASK_TIMEOUT_MS: int(0, 604_800_000),
  SUSPEND_TASK_AFTER_NUM_FAILURES: int(0, Number.MAX_SAFE_INTEGER),
  TASK_AUTO_RETRY_ATTEMPTS: int(0, 30),
  USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS: int(10, 604_800),
  TARGET_COMPLETION_INTERVAL: any,
  SERVERLESS_TASK_MIN_STATEMENT_SIZE: any,
  SERVERLESS_TASK_MAX_STATEMENT_SIZE: any,
  ERROR_INTEGRATION: any,
  SUCCESS_INTEGRATION: any,
  LOG_LEVEL: any,
  COMMENT: any,
};

export const DEFAULTS = {
  USER_TASK_TIMEOUT_MS: 3_600_000,
  SUSPEND_TASK_AFTER_NUM_FAILURES: 10,
  TASK_AUTO_RETRY_ATTEMPTS: 0,
  USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS: 30,
};

export const isTaskParam = (key: string): boolean => key in TASK_PARAMS;

export function validateTaskParam(key: string, value: string): void {
  const check = TASK_PARAMS[key];
  if (check) return check(key, value);
  if (key === 'AUTOCOMMIT' && /^FALSE$/i.test(value)) throw compilationError('AUTOCOMMIT = FALSE is not allowed for tasks.');
  if (key === 'SEARCH_PATH') throw compilationError('SEARCH_PATH cannot be set on a task.');
  // Anything else must be a session parameter the task's session will run with.
  new SessionParameters().set(key, value);
}

export function numberParam(task: TaskDef, key: keyof typeof DEFAULTS): number {
  const v = task.params[key];
  return v === undefined ? DEFAULTS[key] : Number(v);
}

/** Session parameters of a task (everything that is not a task parameter). */
export function sessionParamsOf(task: TaskDef): [string, string][] {
  return Object.entries(task.params).filter(([k]) => !isTaskParam(k));
}
