/**
 * Stream staleness (reference §1.7): a stream must be consumed within
 * max(DATA_RETENTION_TIME_IN_DAYS, MAX_DATA_EXTENSION_TIME_IN_DAYS) days of its last consumption; SHOW
 * STREAMS reports that moment as `stale_after`. floe makes it exact: after `stale_after` the stream is stale.
 */
export const DEFAULT_MAX_DATA_EXTENSION_DAYS = 14;
const DAY_MS = 86_400_000;

export interface RetentionSettings {
  retentionDays: number;
  maxExtensionDays: number | undefined;
}

export function staleAfterMs(lastReadMs: number, r: RetentionSettings): number {
  const days = Math.max(r.retentionDays, r.maxExtensionDays ?? DEFAULT_MAX_DATA_EXTENSION_DAYS);
  return lastReadMs + days * DAY_MS;
}
