/**
 * Paced reclustering (engine/clustering/reclusterer.ts, recluster-pace.ts): a rebuild given a rate rests between its
 * copy statements, closing the reclusterer ends a rest at once, and rows appended during a long copy are copied in
 * rounds before the swap, which then holds the table's writers up for the last few only.
 */
import { describe, expect, it } from 'vitest';
import { aroundRangeCopies, closeEnginesAfterEach, clusteredEngine, content, def, otherSession, physical, rows, sortedRuns, values } from '../support/recluster-fixture.js';

closeEnginesAfterEach();

describe('paced reclustering', () => {
  it('rests between its copy statements so that the copy averages the rate it was given', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const before = await content(s);
    const busy = { ms: 0 };
    const started = Date.now();
    expect(await r.recluster(def(e), { rowsPerMs: 4, busy })).toBe('reclustered');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(500); // 2,000 rows at 4 a millisecond
    expect(busy.ms).toBeGreaterThan(0);
    expect(busy.ms).toBeLessThan(took); // the rests are not counted as busy (the busy-share budget)
    expect(await content(s)).toEqual(before);
    expect(sortedRuns((await physical(e)).keys)).toBe(1);
  });

  it('stops resting when the reclusterer closes, and leaves the table as it was', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const before = await content(s);
    let firstCopied!: () => void;
    const resting = new Promise<void>((resolve) => (firstCopied = resolve));
    await aroundRangeCopies(r, async (n, copy) => {
      const result = await copy();
      if (n === 1) firstCopied();
      return result;
    });
    const rebuild = r.recluster(def(e), { rowsPerMs: 1e-9 }); // each rest would last maxRestMs (a minute)
    await resting;
    await new Promise((resolve) => setTimeout(resolve, 100)); // into the rest after the first range
    await r.close(); // without the wake-up, the rest would outlast the test's timeout
    await expect(rebuild).rejects.toThrow();
    expect(await content(s)).toEqual(before);
  });

  it('copies rows appended during the copy in a round of their own, so the swap copies only the last few', async () => {
    const { e, s, r } = await clusteredEngine(2000, 500);
    const other = await otherSession(e);
    r.policy.swapRows = 10;
    const seen = await aroundRangeCopies(r, async (n, copy) => {
      const result = await copy();
      if (n === 1) {
        await other.query(`INSERT INTO T (K, V) VALUES ${values(100, 5000)}`);
        r.policy.chunkRows = 40; // the round sorts a key range at a time too
      }
      return result;
    });
    r.afterCopy = async () => {
      await other.query(`INSERT INTO T (K, V) VALUES ${values(5, 9000)}`);
    };
    expect(await r.recluster(def(e))).toBe('reclustered');
    expect(seen.ranges).toBe(5 + 4); // 4 ranges of 500 and NULL keys; then 3 ranges of ~40 and NULL keys
    expect(await rows(s, 'SELECT COUNT(*), COUNT(DISTINCT V) FROM T')).toEqual([[2105, 2105]]);
    // The sorted rows, the 100 appended during the copy (sorted among themselves), the 5 the swap copied.
    expect(sortedRuns((await physical(e)).keys)).toBe(3);
    await other.close();
  });
});
