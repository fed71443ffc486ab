/**
 * A late key is refolded over its affected window only (scd-window-sql.ts): a stream on the closed versions shows
 * which rows a late batch rewrote. Correctness against the reference fold is the job of the cases, the property
 * test and the keyed-vs-refold differential test; this checks that the work stays around the late event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine } from '../../src/engine/engine-api.js';
import { ScdRig, type Ev } from './scd-harness.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
});
afterAll(async () => {
  await engine.close();
});

/** Key 1 with a version per event at 10, 20, … 100 (every event changes NAME). */
const history: Ev[] = Array.from({ length: 10 }, (_, i) => [1, (i + 1) * 10, 'U', [`n${i + 1}`, 'c']]);

/** The closed-version rows a batch deleted and inserted, as `VF` lists (from a stream on the closed versions). */
async function rewritten(rig: ScdRig, late: Ev[]): Promise<{ deleted: unknown[]; inserted: unknown[] }> {
  await rig.rows('CREATE OR REPLACE STREAM CLOSED_CHANGES ON TABLE EVENTS_CLOSED');
  await rig.batch(late);
  const of = async (action: string): Promise<unknown[]> =>
    (await rig.rows(`SELECT VF FROM CLOSED_CHANGES WHERE METADATA$ACTION = '${action}' ORDER BY VF`)).map((r) => Number(r[0]));
  return { deleted: await of('DELETE'), inserted: await of('INSERT') };
}

describe('late keys refolded over their window', () => {
  it('rewrites only the versions around a late event in the middle of the history', async () => {
    const rig = await ScdRig.open({}, engine);
    await rig.batch(history);
    // 55 lands in the run begun at 50; the run after it (60) may merge with it; from 70 on nothing changes.
    expect(await rewritten(rig, [[1, 55, 'U', ['late', 'c']]])).toEqual({ deleted: [50, 60], inserted: [50, 55, 60] });
    expect((await rig.scd2()).slice(3, 8)).toEqual(['1: n4/c [40,50)', '1: n5/c [50,55)', '1: late/c [55,60)', '1: n6/c [60,70)', '1: n7/c [70,80)']);
    // A late event with the values of the run it lands in joins that run: the run before it stays as it is.
    expect(await rewritten(rig, [[1, 57, 'U', ['late', 'c']]])).toEqual({ deleted: [55, 60], inserted: [55, 60] });
    await rig.close();
  });

  it('refolds to the end when the batch also has events after the last one, and then replaces the state', async () => {
    const rig = await ScdRig.open({}, engine);
    await rig.batch(history);
    const r = await rewritten(rig, [
      [1, 35, 'D'],
      [1, 110, 'U', ['new', 'c']],
    ]);
    expect(r.deleted).toEqual([30, 40, 50, 60, 70, 80, 90]);
    expect(r.inserted).toEqual([30, 40, 50, 60, 70, 80, 90, 100]);
    expect(await rig.scd1()).toEqual(['1 new/c']);
    expect((await rig.scd2()).slice(2, 4)).toEqual(['1: n3/c [30,35)', '1: n4/c [40,50)']);
    await rig.close();
  });

  it('keeps the full refold with ignore-null updates (a NULL inherits from every earlier upsert)', async () => {
    const rig = await ScdRig.open({ options: { ignoreNullUpdates: true } }, engine);
    await rig.batch(history);
    const r = await rewritten(rig, [[1, 55, 'U', ['late', null]]]);
    expect(r.deleted).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    await rig.close();
  });
});
