/**
 * Pacing of a rebuild (reclusterer.ts). A rebuild copies the whole table; run flat out it takes both cores for
 * seconds and then nothing for minutes, so a pipeline's CPU and latency jump whenever one runs, and by more as the
 * table grows (a 12-minute `floe demo`: no copy in most minutes, 8 s of copying in others; without reclustering the
 * same demo's CPU stayed within 125–133 % of a core). Paced, a rebuild copies at a multiple of the rate the table
 * grows, so it is spread over the time until the next is due and costs about the same every minute.
 */

/** Each table's growth since it was first counted (or since its last rebuild), in rows a millisecond. */
export class GrowthRates {
  private readonly since = new Map<string, { rows: number; at: number }>();

  /** Note `rows` counted at `at`; the growth since the first count, once there are two. */
  note(key: string, rows: number, at: number): number | undefined {
    const first = this.since.get(key);
    if (!first || rows < first.rows) {
      this.since.set(key, { rows, at });
      return undefined;
    }
    return at > first.at ? (rows - first.rows) / (at - first.at) : undefined;
  }

  /** Measure afresh from the next count (after a rebuild: the rate may have changed). */
  reset(key: string): void {
    this.since.delete(key);
  }
}

/**
 * How long to rest after copying `rows` rows in `busyMs` so that the copy averages `rowsPerMs` (no rest without a
 * rate), at most `maxMs` (a table that stopped growing must not stretch a rebuild indefinitely).
 */
export function restAfterCopy(rows: number, busyMs: number, rowsPerMs: number | undefined, maxMs: number): number {
  if (rowsPerMs === undefined || !(rowsPerMs > 0)) return 0;
  return Math.min(maxMs, Math.max(0, rows / rowsPerMs - busyMs));
}
