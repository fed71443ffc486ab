/**
 * NiFi's rolling 5-minute statistics: per component a ring of 301 one-second bins (In, Read, Written, Out,
 * Tasks, task time), summed on demand; plus a status snapshot every minute kept for 24 hours.
 */
export interface StatCounters {
  inCount: number;
  inBytes: number;
  readBytes: number;
  writtenBytes: number;
  outCount: number;
  outBytes: number;
  tasks: number;
  taskMillis: number;
}

const BINS = 301;
const zero = (): StatCounters => ({ inCount: 0, inBytes: 0, readBytes: 0, writtenBytes: 0, outCount: 0, outBytes: 0, tasks: 0, taskMillis: 0 });

export class RollingStats {
  private readonly bins: Array<{ second: number; c: StatCounters }> = Array.from({ length: BINS }, () => ({ second: -1, c: zero() }));
  readonly history: Array<{ time: number; stats: StatCounters }> = [];
  private lastSnapshotMinute = -1;

  add(now: number, delta: Partial<StatCounters>): void {
    const second = Math.floor(now / 1000);
    const bin = this.bins[second % BINS]!;
    if (bin.second !== second) {
      bin.second = second;
      bin.c = zero();
    }
    for (const [k, v] of Object.entries(delta) as Array<[keyof StatCounters, number]>) bin.c[k] += v;
    this.snapshotIfDue(now);
  }

  /** Sums of the last 5 minutes. */
  fiveMinutes(now: number): StatCounters {
    const second = Math.floor(now / 1000);
    const sum = zero();
    for (const bin of this.bins) {
      if (bin.second > second - BINS && bin.second <= second) {
        for (const k of Object.keys(sum) as Array<keyof StatCounters>) sum[k] += bin.c[k];
      }
    }
    return sum;
  }

  private snapshotIfDue(now: number): void {
    const minute = Math.floor(now / 60_000);
    if (minute === this.lastSnapshotMinute) return;
    this.lastSnapshotMinute = minute;
    this.history.push({ time: minute * 60_000, stats: this.fiveMinutes(now) });
    if (this.history.length > 1440) this.history.shift();
  }
}
