import { describe, expect, it } from 'vitest';
import { BulletinBoard } from './bulletins.js';
import { RollingStats } from './statistics.js';

describe('RollingStats', () => {
  it('sums the last 5 minutes and forgets older seconds', () => {
    const stats = new RollingStats();
    const t0 = 1_000_000_000;
    stats.add(t0, { inCount: 2, tasks: 1 });
    stats.add(t0 + 299_000, { inCount: 3 });
    expect(stats.fiveMinutes(t0 + 299_500).inCount).toBe(5);
    expect(stats.fiveMinutes(t0 + 301_000).inCount).toBe(3);
    expect(stats.history.length).toBeGreaterThan(0);
  });
});

describe('BulletinBoard', () => {
  it('keeps bulletins for 5 minutes', () => {
    const board = new BulletinBoard();
    board.add(0, 'ERROR', 'fetch', 'file gone');
    expect(board.list(299_999)).toHaveLength(1);
    expect(board.list(300_000)).toHaveLength(0);
  });
});
