import { describe, expect, it } from 'vitest';
import { GrowthRates, restAfterCopy } from './recluster-pace.js';

describe('recluster pacing', () => {
  it('measures a table’s growth from its first count, and afresh after a reset or a shrink', () => {
    const g = new GrowthRates();
    expect(g.note('t', 1000, 0)).toBeUndefined();
    expect(g.note('t', 1500, 100)).toBe(5);
    expect(g.note('t', 3000, 400)).toBe(5); // (3000 - 1000) / 400
    g.reset('t');
    expect(g.note('t', 3000, 500)).toBeUndefined();
    expect(g.note('t', 3100, 600)).toBe(1);
    expect(g.note('t', 10, 700)).toBeUndefined(); // rebuilt or truncated elsewhere: starts over
    expect(g.note('u', 5, 700)).toBeUndefined();
  });

  it('rests so that a copy averages the given rate, never below zero or above the cap', () => {
    expect(restAfterCopy(50_000, 1_000, 10, 60_000)).toBe(4_000); // 50,000 rows at 10 a ms: 5 s, 1 s of it busy
    expect(restAfterCopy(50_000, 9_000, 10, 60_000)).toBe(0); // slower than the rate already
    expect(restAfterCopy(5_000_000, 1_000, 10, 60_000)).toBe(60_000);
    expect(restAfterCopy(50_000, 1_000, undefined, 60_000)).toBe(0);
    expect(restAfterCopy(50_000, 1_000, 0, 60_000)).toBe(0);
  });
});
