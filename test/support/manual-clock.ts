/**
 * A Clock for tests: time moves only when the test says so. Timers due now (or in the past) fire on the next
 * macrotask, like real timers; `advance(ms)` moves time forward, firing every timer due on the way in order.
 */
import type { Clock, ClockTimer } from '../../src/core/ports/clock.js';

interface Pending {
  at: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private readonly pending: Pending[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimer(at: number, fn: () => void): ClockTimer {
    const p: Pending = { at, fn, cancelled: false };
    if (at <= this.t) setImmediate(() => !p.cancelled && fn());
    else this.pending.push(p);
    return { cancel: () => void (p.cancelled = true) };
  }

  /** Move time forward by `ms`, firing due timers in time order (each sees `now()` = its due time). */
  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.pending.filter((p) => !p.cancelled && p.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending.splice(this.pending.indexOf(due), 1);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle();
    }
    this.t = target;
  }

  /** Time of the next pending timer, if any. */
  nextTimer(): number | undefined {
    return this.pending.filter((p) => !p.cancelled).sort((a, b) => a.at - b.at)[0]?.at;
  }
}
