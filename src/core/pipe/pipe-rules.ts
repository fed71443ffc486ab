/**
 * Snowpipe rules that need no I/O (reference §3): which COPY options a pipe may not use, which object keys a
 * pipe's stage path covers, the REFRESH window, the 14-day history window and the SYSTEM$PIPE_STATUS document.
 */
import { compilationError } from '../errors.js';

/** Copy options a pipe's COPY must not use (reference §3.1). */
export const PIPE_FORBIDDEN_OPTIONS = ['FILES', 'SIZE_LIMIT', 'PURGE', 'FORCE', 'RETURN_FAILED_ONLY', 'VALIDATION_MODE'] as const;

/** Pipe load history (path only, failed files included) lasts 14 days; notifications are kept as long. */
export const PIPE_HISTORY_DAYS = 14;
/** ALTER PIPE … REFRESH looks at files staged within the last 7 days (default and maximum). */
export const REFRESH_DAYS = 7;
export const DAY_MS = 86_400_000;

/**
 * Throws Snowflake's kind of compilation error for a COPY that cannot be a pipe's. The reference names the
 * forbidden options but not the message texts; floe names the option and the rule.
 */
export function checkPipeCopy(options: Record<string, unknown>, onError: string | undefined, transformHasWhere: boolean): void {
  for (const k of PIPE_FORBIDDEN_OPTIONS) {
    if (options[k] !== undefined) throw compilationError(`Copy option ${k} is not supported in a pipe definition (CREATE PIPE … AS COPY INTO …).`);
  }
  if (onError !== undefined && onError.toUpperCase() === 'ABORT_STATEMENT') {
    throw compilationError('ON_ERROR = ABORT_STATEMENT is not supported in a pipe definition; pipes default to SKIP_FILE.');
  }
  if (transformHasWhere) throw compilationError('A pipe COPY transformation cannot filter rows: WHERE is not supported in a pipe definition.');
}

/**
 * Does an object key belong to a pipe whose location selects `prefix` (stage root + path)? Stage paths are
 * string prefixes, as in Snowflake: `s3://b/path` also covers `path1/…`.
 */
export function coversKey(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && key.length > prefix.length && !key.endsWith('/');
}

/** REFRESH's lower bound on LAST_MODIFIED: MODIFIED_AFTER, clamped to at most 7 days back (floe clamps, see docs). */
export function refreshSince(nowMs: number, modifiedAfterMs: number | undefined): number {
  const floor = nowMs - REFRESH_DAYS * DAY_MS;
  return modifiedAfterMs === undefined ? floor : Math.max(floor, modifiedAfterMs);
}

export type ExecutionState = 'RUNNING' | 'PAUSED' | 'STOPPED_STAGE_DROPPED' | 'STOPPED_MISSING_TABLE' | 'STALLED_EXECUTION_ERROR';

export interface PipeStatusFacts {
  executionState: ExecutionState;
  pendingFileCount: number;
  oldestPending?: { path: string; at: Date };
  lastIngested?: { path: string; at: Date };
  notificationChannelName?: string;
  lastReceivedMessageTimestamp?: Date;
  lastForwarded?: { path: string; at: Date };
  lastPulledFromChannelTimestamp?: Date;
  error?: { message: string; at: Date };
}

/**
 * SYSTEM$PIPE_STATUS's JSON (reference §3.5): fields only when applicable, in Snowflake's order; an idle
 * running pipe is exactly `{"executionState":"RUNNING","pendingFileCount":0}`.
 */
export function pipeStatusJson(f: PipeStatusFacts): string {
  const iso = (d: Date) => d.toISOString();
  const out: Record<string, string | number> = { executionState: f.executionState };
  if (f.pendingFileCount > 0 && f.oldestPending) {
    out.oldestPendingFilePath = f.oldestPending.path;
    out.oldestFileTimestamp = iso(f.oldestPending.at);
  }
  out.pendingFileCount = f.pendingFileCount;
  if (f.error) out.lastPipeErrorTimestamp = iso(f.error.at);
  if (f.lastIngested) {
    out.lastIngestedTimestamp = iso(f.lastIngested.at);
    out.lastIngestedFilePath = f.lastIngested.path;
  }
  if (f.notificationChannelName !== undefined) out.notificationChannelName = f.notificationChannelName;
  if (f.lastReceivedMessageTimestamp) out.lastReceivedMessageTimestamp = iso(f.lastReceivedMessageTimestamp);
  if (f.lastForwarded) out.lastForwardedMessageTimestamp = iso(f.lastForwarded.at);
  if (f.error) out.error = f.error.message;
  if (f.lastPulledFromChannelTimestamp) out.lastPulledFromChannelTimestamp = iso(f.lastPulledFromChannelTimestamp);
  if (f.lastForwarded) out.lastForwardedFilePath = f.lastForwarded.path;
  return JSON.stringify(out);
}

/** PIPE_USAGE_HISTORY bucket size for a date range (5 minutes up to an hour, hourly up to a day, else daily). */
export function usageBucketMs(rangeMs: number): number {
  if (rangeMs <= 3_600_000) return 300_000;
  if (rangeMs <= DAY_MS) return 3_600_000;
  return DAY_MS;
}
