/** The real Clock: wall time and unref'd timers (a pending schedule never keeps the process alive). */
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
      handle.unref();
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
