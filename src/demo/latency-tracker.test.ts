import { describe, expect, it } from 'vitest';
import { LatencyTracker, SampleWindow, percentile } from './latency-tracker.js';

const ok = (name: string, rows = 10) => ({ name, ok: true, rows });

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 0.5)).toBe(50);
    expect(percentile(v, 0.99)).toBe(99);
    expect(percentile(v, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
    expect(percentile([1, 2, 3], 0)).toBe(1);
  });

  it('keeps a sliding window but counts every sample', () => {
    const w = new SampleWindow(3);
    for (const v of [100, 1, 2, 3]) w.add(v);
    expect(w.stats()).toEqual({ samples: 4, last: 3, p50: 2, p99: 3, max: 3 });
    expect(new SampleWindow(3).stats()).toEqual({ samples: 0 });
  });
});

describe('LatencyTracker', () => {
  it('a file is visible when a successful run that started after its load commit ends', () => {
    const t = new LatencyTracker();
    t.landed('a.csv', 1000);
    t.landed('b.csv', 1100);
    expect(t.loaded([ok('a.csv', 5)], 1200)).toEqual([]);
    expect(t.pendingFiles()).toBe(1);
    expect(t.pendingRows()).toBe(5);
    // A run that started before b's commit covers a only.
    expect(t.loaded([ok('b.csv', 7)], 1300)).toEqual([]);
    expect(t.taskRun({ state: 'SUCCEEDED', startedMs: 1250, completedMs: 1400 })).toEqual([{ name: 'a.csv', rows: 5, latencyMs: 400 }]);
    expect(t.pendingRows()).toBe(7);
    expect(t.outstanding()).toBe(1);
    expect(t.taskRun({ state: 'SUCCEEDED', startedMs: 1300, completedMs: 1450 })).toEqual([{ name: 'b.csv', rows: 7, latencyMs: 350 }]);
    expect(t.latency()).toMatchObject({ samples: 2, last: 350, p50: 350, p99: 400, max: 400 });
    expect(t.loadLatency()).toMatchObject({ samples: 2, p50: 200, max: 200 });
    expect(t.outstanding()).toBe(0);
    expect(t.counts()).toEqual({ visible: 2, failed: 0 });
  });

  it('failed runs reveal nothing; the next successful run does', () => {
    const t = new LatencyTracker();
    t.landed('a.csv', 0);
    t.loaded([ok('a.csv')], 100);
    expect(t.taskRun({ state: 'FAILED', startedMs: 150, completedMs: 200 })).toEqual([]);
    expect(t.taskRun({ state: 'CANCELLED', startedMs: 250, completedMs: 260 })).toEqual([]);
    expect(t.taskRun({ state: 'SUCCEEDED', startedMs: 300, completedMs: 500 })).toEqual([{ name: 'a.csv', rows: 10, latencyMs: 500 }]);
  });

  it('a run that ended before the load was reported still covers it (commit time, not callback time)', () => {
    const t = new LatencyTracker();
    t.landed('a.csv', 0);
    t.taskRun({ state: 'SUCCEEDED', startedMs: 60, completedMs: 90 });
    t.taskRun({ state: 'SUCCEEDED', startedMs: 40, completedMs: 50 });
    // Committed at 55, reported at 95: the run that started at 60 has it.
    expect(t.loaded([ok('a.csv')], 55)).toEqual([{ name: 'a.csv', rows: 10, latencyMs: 90 }]);
    expect(t.pendingFiles()).toBe(0);
  });

  it('an empty triggered check after the commit proves an earlier run applied the file', () => {
    const t = new LatencyTracker();
    t.landed('a.csv', 0);
    t.loaded([ok('a.csv')], 100);
    expect(t.taskRun({ state: 'SKIPPED', startedMs: 120, completedMs: 130 })).toEqual([{ name: 'a.csv', rows: 10, latencyMs: 130 }]);
  });

  it('files that failed to load are counted and never pending', () => {
    const t = new LatencyTracker();
    t.landed('bad.csv', 0);
    expect(t.loaded([{ name: 'bad.csv', ok: false, rows: 0 }], 10)).toEqual([]);
    expect(t.counts()).toEqual({ visible: 0, failed: 1 });
    expect(t.outstanding()).toBe(0);
    expect(t.pendingFiles()).toBe(0);
  });

  it('files it did not see land become visible without a latency sample', () => {
    const t = new LatencyTracker();
    t.loaded([ok('old.csv', 3)], 10);
    expect(t.taskRun({ state: 'SUCCEEDED', startedMs: 20, completedMs: 30 })).toEqual([{ name: 'old.csv', rows: 3 }]);
    expect(t.latency()).toEqual({ samples: 0 });
    expect(t.counts().visible).toBe(1);
  });

  it('remembers only the last runs', () => {
    const t = new LatencyTracker({ keepRuns: 2 });
    t.taskRun({ state: 'SUCCEEDED', startedMs: 100, completedMs: 110 });
    t.taskRun({ state: 'SUCCEEDED', startedMs: 10, completedMs: 20 });
    t.taskRun({ state: 'SUCCEEDED', startedMs: 30, completedMs: 40 });
    // The run starting at 100 is forgotten: a load committed at 50 waits for the next run.
    expect(t.loaded([ok('a.csv')], 50)).toEqual([]);
  });
});
