/**
 * The real Clock: wall time and timers. A timer for later is unref'd (a pending schedule never keeps the
 * process alive); one due now is work about to start, so it holds the process until it fires — otherwise a
 * caller awaiting that work (engine.idle()) could see Node exit under it.
 */
import type { Clock, ClockTimer } from '../core/ports/clock.js';

const MAX_DELAY = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at: number, fn: () => void): ClockTimer {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const delay = at - Date.now();
      handle = setTimeout(() => {
        if (cancelled) return;
        if (at - Date.now() > 0) arm();
        else fn();
      }, Math.max(0, Math.min(delay, MAX_DELAY)));
      if (delay > 0) handle.unref();
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  },
};
