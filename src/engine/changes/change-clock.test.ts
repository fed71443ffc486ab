import { describe, expect, it } from 'vitest';
import { ChangeClock } from './change-clock.js';

describe('ChangeClock', () => {
  it('hands the lock over in arrival order and publishes committed versions', async () => {
    const clock = new ChangeClock(4);
    const a = {};
    const b = {};
    await clock.acquire(a);
    expect(clock.allocate(a)).toBe(5);
    const order: string[] = [];
    const waitB = clock.acquire(b).then(() => order.push('b'));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(clock.committed).toBe(4);
    clock.release(a, 5);
    await waitB;
    expect(order).toEqual(['b']);
    expect(clock.committed).toBe(5);
    expect(clock.allocate(b)).toBe(6);
    clock.release(b); // rolled back: the committed version stays
    expect(clock.committed).toBe(5);
  });

  it('refuses to allocate without the lock', () => {
    const clock = new ChangeClock(0);
    expect(() => clock.allocate({})).toThrow(/without holding/);
  });

  it('is re-entrant for its owner', async () => {
    const clock = new ChangeClock(0);
    const a = {};
    await clock.acquire(a);
    await clock.acquire(a);
    expect(clock.holds(a)).toBe(true);
  });
});
