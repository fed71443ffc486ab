/**
 * The Clock port: all scheduling goes through it, so tests drive task schedules without sleeping
 * (issue #5: "all time goes through the Clock port").
 */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Call `fn` once at (or soon after) epoch ms `at`; past times fire as soon as possible. */
  setTimer(at: number, fn: () => void): ClockTimer;
}
