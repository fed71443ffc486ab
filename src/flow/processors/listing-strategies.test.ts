import { describe, expect, it } from 'vitest';
import type { ListedFile } from './list-file-walk.js';
import { detectPrecision, planEntities, planTimestamps, type EntityPlan, type TimestampState, type TrackedEntity } from './listing-strategies.js';

const file = (id: string, mtime: number, size = 1): ListedFile => ({
  id, name: id.slice(id.lastIndexOf('/') + 1), relativeDir: '', parent: '/in', size, mtime, atime: mtime, birthtime: mtime, mode: 0o644, uid: 0, gid: 0,
});
const empty: TimestampState = { listingTimestamp: 0, processedTimestamp: 0, ids: [] };
const ids = (fs: ListedFile[]): string[] => fs.map((f) => f.id);

describe('Tracking Timestamps (nifi-semantics.md §1.5)', () => {
  it('follows the worked timeline', () => {
    // t=10 000: a@1000, b@2000 → emit both.
    const a = file('/in/a', 1001);
    const b = file('/in/b', 2001);
    let run = planTimestamps([a, b], empty, 10_000, Infinity, 'auto-detect');
    expect(ids(run.emit)).toEqual(['/in/a', '/in/b']);
    expect(run.state).toEqual({ listingTimestamp: 2001, processedTimestamp: 2001, ids: ['/in/b'] });
    let state = run.state!;
    // t=11 000: c appears with b's mtime → Case A, emit c only.
    const c = file('/in/c', 2001);
    run = planTimestamps([b, c], state, 11_000, 1000, 'auto-detect');
    expect(ids(run.emit)).toEqual(['/in/c']);
    state = run.state!;
    expect(state.ids).toEqual(['/in/b', '/in/c']);
    // t=12 000: d@11 950 → Case B, held back (11 950 > 11 900).
    const d = file('/in/d', 11_950);
    run = planTimestamps([b, c, d], state, 12_000, 1000, 'auto-detect');
    expect(run.emit).toEqual([]);
    expect(run.state).toEqual({ listingTimestamp: 11_950, processedTimestamp: 2001, ids: ['/in/b', '/in/c'] });
    state = run.state!;
    // t=13 000: unchanged → Case A, lag passed, P ≠ L → emit d.
    run = planTimestamps([d], state, 13_000, 1000, 'auto-detect');
    expect(ids(run.emit)).toEqual(['/in/d']);
    expect(run.state).toEqual({ listingTimestamp: 11_950, processedTimestamp: 11_950, ids: ['/in/d'] });
    state = run.state!;
    // later: e with mtime 5000 moved in → filtered by the walk (mtime < L): never listed.
    run = planTimestamps([d], state, 14_000, 1000, 'auto-detect');
    expect(run.yield).toBe(true);
    expect(run.state).toBeUndefined();
  });

  it('Case A yields when less than one lag passed since the previous run', () => {
    const state = { listingTimestamp: 5000, processedTimestamp: 2000, ids: [] };
    expect(planTimestamps([file('/in/x', 5000)], state, 9000, 50, 'millis').yield).toBe(true);
    expect(ids(planTimestamps([file('/in/x', 5000)], state, 9000, 150, 'millis').emit)).toEqual(['/in/x']);
  });

  it('emits obviously old files at once and holds back only the newest group', () => {
    const run = planTimestamps([file('/in/old', 1_000), file('/in/new', 99_990)], empty, 100_000, Infinity, 'millis');
    expect(ids(run.emit)).toEqual(['/in/old']);
    expect(run.state).toEqual({ listingTimestamp: 99_990, processedTimestamp: 1_000, ids: ['/in/old'] });
  });

  it('detects precision from the listing; whole minutes mean a 60 s lag', () => {
    expect(detectPrecision([file('/a', 1_000_001)])).toBe('millis');
    expect(detectPrecision([file('/a', 1_001_000)])).toBe('seconds');
    expect(detectPrecision([file('/a', 60_000 * 7), file('/b', 60_000 * 9)])).toBe('minutes');
    // Seconds precision: a file 800 ms old (truncated cutoff) is held back with the 1 s lag.
    const now = 1_000_000_800;
    const s = planTimestamps([file('/a', 1_000_000_000)], empty, now, Infinity, 'auto-detect');
    expect(s.emit).toEqual([]);
    // Minutes precision: a file on a whole minute 30 s ago is held back (lag 60 s) …
    const m = planTimestamps([file('/a', 60_000 * 100)], empty, 60_000 * 100 + 30_000, Infinity, 'auto-detect');
    expect(m.emit).toEqual([]);
    // … and emitted 2 minutes later.
    expect(ids(planTimestamps([file('/a', 60_000 * 100)], m.state!, 60_000 * 102, 120_000, 'auto-detect').emit)).toEqual(['/a']);
  });

  it('a future mtime blocks later normal files until its time (NiFi parity)', () => {
    const now = 1_000_000;
    let run = planTimestamps([file('/in/future', now + 86_400_000), file('/in/a', now - 5000)], empty, now, Infinity, 'millis');
    expect(ids(run.emit)).toEqual(['/in/a']);
    const state = run.state!;
    expect(state.listingTimestamp).toBe(now + 86_400_000);
    // The next run emits the future file itself (Case A: nothing is held back)…
    run = planTimestamps([file('/in/future', now + 86_400_000)], state, now + 10_000, 10_000, 'millis');
    expect(ids(run.emit)).toEqual(['/in/future']);
    // … and a normal file written later has mtime < listing.timestamp: never listed.
    run = planTimestamps([file('/in/future', now + 86_400_000), file('/in/b', now + 15_000)], run.state!, now + 20_000, 10_000, 'millis');
    expect(run.emit).toEqual([]);
  });
});

describe('Tracking Entities (§1.6)', () => {
  /** The remembered entities after a plan's change. */
  const applied = (known: Map<string, TrackedEntity>, plan: EntityPlan): Map<string, TrackedEntity> => {
    const next = new Map([...known, ...Object.entries(plan.added)]);
    for (const id of plan.removed) next.delete(id);
    return next;
  };

  it('emits new, newer and resized files; forgets files that disappeared (no window)', () => {
    const a = file('/in/a', 1000, 10);
    let saved = new Map<string, TrackedEntity>();
    let run = planEntities([a], new Set(['/in/a']), saved, 5000, undefined);
    expect(ids(run.emit)).toEqual(['/in/a']);
    saved = applied(saved, run);
    run = planEntities([a], new Set(['/in/a']), saved, 6000, undefined);
    expect(run.yield).toBe(true);
    expect(run).toMatchObject({ added: {}, removed: [] }); // nothing changed: nothing to write
    // Old-mtime move-in: emitted even though older than everything listed so far.
    const old = file('/in/old', 10, 5);
    run = planEntities([a, old], new Set(['/in/a', '/in/old']), saved, 7000, undefined);
    expect(ids(run.emit)).toEqual(['/in/old']);
    expect(Object.keys(run.added)).toEqual(['/in/old']); // only the change
    saved = applied(saved, run);
    // Size change with the same mtime → emitted again.
    run = planEntities([file('/in/a', 1000, 11), old], new Set(['/in/a', '/in/old']), saved, 8000, undefined);
    expect(ids(run.emit)).toEqual(['/in/a']);
    saved = applied(saved, run);
    // Deleted file → forgotten; a continuation without a new walk (visited undefined) forgets nothing.
    expect(planEntities([], undefined, saved, 9000, undefined).removed).toEqual([]);
    run = planEntities([old], new Set(['/in/old']), saved, 9000, undefined);
    expect(run.removed).toEqual(['/in/a']);
    expect([...applied(saved, run).keys()]).toEqual(['/in/old']);
  });

  it('with a time window evicts entries older than the window, unless the file changed within it', () => {
    const known = new Map([['/in/a', { ts: 1000, size: 1 }], ['/in/b', { ts: 2000, size: 1 }]]);
    const now = 10_000_000;
    const run = planEntities([file('/in/b', now - 1000)], new Set(['/in/a', '/in/b']), known, now, 3_600_000);
    expect(run.removed).toEqual(['/in/a']);
    expect(Object.keys(run.added)).toEqual(['/in/b']);
  });
});

describe('a listing cut short by back pressure (floe: Respect Back Pressure)', () => {
  // 25 files in 4 mtime groups; each run may emit at most 10. The walk drops mtimes below listing.timestamp.
  const all = Array.from({ length: 25 }, (_, i) => file(`/in/f${String(i).padStart(2, '0')}`, 1_000_000 + (i % 4) * 1000));

  it('Tracking Timestamps emits every file exactly once, oldest first, across runs', () => {
    let state = empty;
    const emitted: string[] = [];
    let truncated = true;
    for (let run = 0; run < 5 && truncated; run++) {
      const walked = all.filter((f) => f.mtime >= state.listingTimestamp);
      const plan = planTimestamps(walked, state, 2_000_000, Infinity, 'millis', 10);
      emitted.push(...ids(plan.emit));
      expect(plan.emit.length).toBeLessThanOrEqual(10);
      truncated = plan.truncated === true;
      state = plan.state ?? state;
    }
    expect(emitted.sort()).toEqual(ids(all).sort());
    expect(new Set(emitted).size).toBe(25);
    expect(state.listingTimestamp).toBe(1_003_000);
    // Later runs find nothing new.
    expect(planTimestamps(all, state, 2_100_000, Infinity, 'millis', 10).emit).toEqual([]);
  });

  it('Tracking Entities remembers only what it emitted', () => {
    const entities = new Map<string, TrackedEntity>();
    const emitted: string[] = [];
    const visited = new Set(ids(all));
    for (let run = 0; run < 3; run++) {
      const plan = planEntities(all, visited, entities, 2_000_000, undefined, 10);
      emitted.push(...ids(plan.emit));
      for (const [id, e] of Object.entries(plan.added)) entities.set(id, e);
      expect(plan.truncated).toBe(run < 2);
    }
    expect(emitted.sort()).toEqual(ids(all).sort());
    expect(planEntities(all, visited, entities, 2_000_000, undefined, 10).emit).toEqual([]);
  });
});
