import { describe, expect, it } from 'vitest';
import { FloeError } from '../core/errors.js';
import { waitForStopSignal } from './wait-for-signal.js';

describe('waitForStopSignal', () => {
  it('returns the warehouse failure that ends a long-running command, and stops listening', async () => {
    let fail: ((e: FloeError) => void) | undefined;
    let unsubscribed = 0;
    const engine = {
      onWarehouseFailure: (l: (e: FloeError) => void) => {
        fail = l;
        return () => void unsubscribed++;
      },
    };
    const before = process.listenerCount('SIGINT');
    const waiting = waitForStopSignal(engine);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    const failure = new FloeError('WAREHOUSE_FAILED', 'the warehouse failed');
    fail!(failure);
    await expect(waiting).resolves.toBe(failure);
    expect(unsubscribed).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('returns nothing on a stop signal', async () => {
    const waiting = waitForStopSignal();
    process.emit('SIGTERM');
    await expect(waiting).resolves.toBeUndefined();
  });
});
