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

describe('ChangeClock stream locks', () => {
  it('lets a consumer and a writer work at once, but never two consumers of one stream', async () => {
    const clock = new ChangeClock(0);
    const task = {};
    const load = {};
    const other = {};
    await clock.acquireStream(task, 's1');
    await clock.acquire(load); // a pipe load into the stream's table does not wait for the consumer
    expect(clock.allocate(load)).toBe(1);
    const order: string[] = [];
    const second = clock.acquireStream(other, 's1').then(() => order.push('other'));
    await clock.acquireStream(other, 's2'); // another stream is free
    await Promise.resolve();
    expect(order).toEqual([]);
    clock.release(load, 1);
    expect(clock.committed).toBe(1);
    clock.release(task);
    await second;
    expect(order).toEqual(['other']);
  });

  it('refuses a wait that would deadlock instead of hanging', async () => {
    const clock = new ChangeClock(0);
    const consumer = {};
    const ddl = {};
    await clock.acquireStream(consumer, 's1');
    await clock.acquire(ddl);
    const ddlWaits = clock.acquireStream(ddl, 's1');
    await expect(clock.acquire(consumer)).rejects.toMatchObject({ code: 'TRANSACTION', message: expect.stringMatching(/deadlock/) });
    clock.release(consumer); // its transaction rolls back
    await ddlWaits;
    expect(clock.holds(ddl)).toBe(true);
  });
});
