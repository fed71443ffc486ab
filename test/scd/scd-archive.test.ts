/**
 * The archive (docs/scd.md, "Archive"): a deleted key's events and closed versions leave the clustered tables in the
 * run that deletes it; a late event for it, or for a key deleted before and live again, still refolds it from all
 * its events. Each step is checked against the SCD tables and against where the rows are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine } from '../../src/engine/engine-api.js';
import { planScd } from '../../src/core/scd/scd-plan.js';
import { ScdRig, type Ev } from './scd-harness.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
});
afterAll(async () => {
  await engine.close();
});

const U = (k: number, s: number, name: string, city: string): Ev => [k, s, 'U', [name, city]];
const D = (k: number, s: number): Ev => [k, s, 'D'];
const T = 60_000;

/** Rows of key 1 in each table that keeps events or versions. */
async function placement(r: ScdRig): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['EVENTS', 'EVENTS_ARCHIVE', 'EVENTS_CLOSED', 'EVENTS_CLOSED_ARCHIVE', 'EVENTS_TOMBSTONES']) {
    out[t] = Number((await r.rows(`SELECT count(*) FROM ${t} WHERE K = 1`))[0]![0]);
  }
  return out;
}

describe('SCD archive', () => {
  it('moves a deleted key out of the clustered tables and still splices late events into its history', async () => {
    const r = await ScdRig.open({ options: { archive: true, archiveBatch: 1 } }, engine);
    await r.batch([U(1, 1, 'Ann', 'Oslo'), U(1, 3, 'Ann', 'Rome'), U(2, 1, 'Bo', 'Lima')]);
    await r.batch([D(1, 5)]);
    expect(await r.scd1()).toEqual(['2 Bo/Lima']);
    expect(await r.scd2()).toEqual(['1: Ann/Oslo [1,3)', '1: Ann/Rome [3,5)', '2: Bo/Lima [1,NULL)']);
    expect(await placement(r)).toEqual({ EVENTS: 0, EVENTS_ARCHIVE: 3, EVENTS_CLOSED: 0, EVENTS_CLOSED_ARCHIVE: 2, EVENTS_TOMBSTONES: 1 });

    // A late event of the deleted key: refolded from its archived events, and archived again.
    await r.batch([U(1, 2, 'Bea', 'Oslo')]);
    expect(await r.scd2()).toEqual(['1: Ann/Oslo [1,2)', '1: Bea/Oslo [2,3)', '1: Ann/Rome [3,5)', '2: Bo/Lima [1,NULL)']);
    expect(await placement(r)).toEqual({ EVENTS: 0, EVENTS_ARCHIVE: 4, EVENTS_CLOSED: 0, EVENTS_CLOSED_ARCHIVE: 3, EVENTS_TOMBSTONES: 1 });

    // Live again: its new events are in the event log; the archived ones stay, and so does its tombstone.
    await r.batch([U(1, 7, 'Cid', 'Lima')]);
    expect(await r.scd1()).toEqual(['1 Cid/Lima', '2 Bo/Lima']);
    expect(await placement(r)).toEqual({ EVENTS: 1, EVENTS_ARCHIVE: 4, EVENTS_CLOSED: 0, EVENTS_CLOSED_ARCHIVE: 3, EVENTS_TOMBSTONES: 1 });

    // A late event in the archived life, then one between the delete and the new life.
    await r.batch([U(1, 4, 'Dan', 'Oslo')]);
    await r.batch([U(1, 6, 'Eve', 'Rome')]);
    const history = ['1: Ann/Oslo [1,2)', '1: Bea/Oslo [2,3)', '1: Ann/Rome [3,4)', '1: Dan/Oslo [4,5)', '1: Eve/Rome [6,7)', '1: Cid/Lima [7,NULL)'];
    expect(await r.scd2()).toEqual([...history, '2: Bo/Lima [1,NULL)']);
    expect(await r.scd1()).toEqual(['1 Cid/Lima', '2 Bo/Lima']);

    // Re-delivered archived events change nothing; deleted again, everything of the key is archived.
    await r.batch([U(1, 1, 'Ann', 'Oslo'), D(1, 5)]);
    expect(await r.scd2()).toEqual([...history, '2: Bo/Lima [1,NULL)']);
    await r.batch([D(1, 9)]);
    expect(await r.scd2()).toEqual([...history.slice(0, -1), '1: Cid/Lima [7,9)', '2: Bo/Lima [1,NULL)']);
    expect(await placement(r)).toEqual({ EVENTS: 0, EVENTS_ARCHIVE: 8, EVENTS_CLOSED: 0, EVENTS_CLOSED_ARCHIVE: 6, EVENTS_TOMBSTONES: 1 });
    expect(await r.rows('SELECT S FROM EVENTS_TOMBSTONES WHERE K = 1')).toEqual([[9]]);
  }, T);

  it('a conflict with an archived event rejects the batch', async () => {
    const r = await ScdRig.open({ options: { archive: true, archiveBatch: 1 } }, engine);
    await r.batch([U(1, 1, 'Ann', 'Oslo'), D(1, 2)]);
    await expect(r.batch([U(1, 1, 'Ann', 'Rome')])).rejects.toThrow(/conflicting events for key \(1\) at sequence \(1\)/);
    expect(await r.scd2()).toEqual(['1: Ann/Oslo [1,2)']);
  }, T);

  it('moves deleted keys once archiveBatch of them wait, a key upserted again meanwhile too, and still refolds it', async () => {
    const r = await ScdRig.open({ options: { archive: true, archiveBatch: 3 } }, engine);
    const count = async (t: string): Promise<number> => Number((await r.rows(`SELECT count(*) FROM ${t}`))[0]![0]);
    await r.batch([U(1, 10, 'Ann', 'Oslo'), U(2, 10, 'Bo', 'Lima'), U(3, 10, 'Cy', 'Rome'), U(4, 10, 'Di', 'Oslo')]);
    await r.batch([D(1, 20), D(2, 20)]);
    expect(await count('EVENTS_ARCHIVE_QUEUE')).toBe(2);
    expect(await count('EVENTS_ARCHIVE')).toBe(0);
    // Key 2 is upserted again: no key is deleted, so nothing moves.
    await r.batch([U(2, 30, 'Bo', 'Kyiv')]);
    expect(await count('EVENTS_ARCHIVE_QUEUE')).toBe(2);
    // The third deleted key makes the move: keys 1, 2 and 3, with their closed versions; the queue is empty again.
    await r.batch([U(4, 20, 'Di', 'Rome'), D(3, 20)]);
    expect(await count('EVENTS_ARCHIVE_QUEUE')).toBe(0);
    expect(await r.rows('SELECT DISTINCT K FROM EVENTS_ARCHIVE ORDER BY K')).toEqual([[1], [2], [3]]);
    expect(await r.rows('SELECT DISTINCT K FROM EVENTS ORDER BY K')).toEqual([[4]]);
    expect(await r.rows('SELECT K, VF FROM EVENTS_CLOSED_ARCHIVE ORDER BY K, VF')).toEqual([[1, 10], [2, 10], [3, 10]]);
    expect(await r.rows('SELECT K, VF FROM EVENTS_CLOSED ORDER BY K, VF')).toEqual([[4, 10]]);
    expect(await r.scd1()).toEqual(['2 Bo/Kyiv', '4 Di/Rome']);
    // Key 2 is live with every row archived. An event after its delete but before its current version is late by its
    // key state: it is refolded from its archived events, and its archived closed version is replaced.
    await r.batch([U(2, 25, 'Bo', 'Oslo')]);
    expect(await r.scd2()).toEqual([
      '1: Ann/Oslo [10,20)',
      '2: Bo/Lima [10,20)',
      '2: Bo/Oslo [25,30)',
      '2: Bo/Kyiv [30,NULL)',
      '3: Cy/Rome [10,20)',
      '4: Di/Oslo [10,20)',
      '4: Di/Rome [20,NULL)',
    ]);
    expect(await r.rows('SELECT K, VF FROM EVENTS_CLOSED ORDER BY K, VF')).toEqual([[2, 10], [2, 25], [4, 10]]);
    expect(await r.rows('SELECT K, VF FROM EVENTS_CLOSED_ARCHIVE ORDER BY K, VF')).toEqual([[1, 10], [3, 10]]);
    expect(await r.rows('SELECT S FROM EVENTS WHERE K = 2')).toEqual([[25]]);
  }, T);

  it('moves a backlog bigger than one move (a backfill) in several transactions of at most ten batches of keys', async () => {
    const r = await ScdRig.open({ options: { archive: true, archiveBatch: 2 } }, engine);
    const keys = Array.from({ length: 47 }, (_, i) => i + 1);
    await r.batch(keys.flatMap((k) => [U(k, 1, `N${k}`, 'Oslo'), U(k, 2, `N${k}`, 'Rome')]));
    // 45 keys deleted in one run: a move takes 20 keys at most, so an empty queue after the run means three moves.
    expect(r.apply).toContain('LIMIT 20)');
    await r.batch(keys.slice(0, 45).map((k) => D(k, 3)));
    expect(await r.rows('SELECT count(*) FROM EVENTS_ARCHIVE_QUEUE')).toEqual([[0]]);
    expect(await r.rows('SELECT count(DISTINCT K), count(*) FROM EVENTS_ARCHIVE')).toEqual([[45, 135]]); // two upserts and the delete
    expect(await r.rows('SELECT count(DISTINCT K), count(*) FROM EVENTS_CLOSED_ARCHIVE')).toEqual([[45, 90]]);
    expect(await r.rows('SELECT DISTINCT K FROM EVENTS ORDER BY K')).toEqual([[46], [47]]);
    expect(await r.scd1()).toEqual(['46 N46/Rome', '47 N47/Rome']);
    expect((await r.scd2()).length).toBe(47 * 2);
  }, T);

  it('archive: false keeps every event in the event log, with the same targets', async () => {
    const events: Ev[][] = [[U(1, 1, 'Ann', 'Oslo'), U(1, 3, 'Ann', 'Rome')], [D(1, 5)], [U(1, 2, 'Bea', 'Oslo'), U(1, 7, 'Cid', 'Lima')], [U(1, 4, 'Dan', 'Oslo')]];
    const on = await ScdRig.open({ options: { archive: true, archiveBatch: 1 } }, engine);
    const off = await ScdRig.open({ options: { archive: false } }, engine);
    for (const b of events) {
      await on.batch(b);
      await off.batch(b);
    }
    expect(await off.scd2()).toEqual(await on.scd2());
    expect(await off.scd1()).toEqual(await on.scd1());
    expect(await off.rows('SELECT count(*) FROM EVENTS')).toEqual([[6]]);
    expect(off.apply).not.toContain('ARCHIVE');
    expect(planScd(off.config).setup).not.toContain('ARCHIVE');
  }, T);

  it('is refused with truncateWhen, and not planned for it', () => {
    const base = { source: { name: 'S', kind: 'stream' as const }, keys: [{ name: 'K', type: 'INT' }], sequenceBy: [{ name: 'Q', type: 'INT' }] };
    const config = { ...base, columns: [{ name: 'V', type: 'VARCHAR' }], eventLog: 'E', scd1: { table: 'C' }, truncateWhen: "OP = 'T'" };
    expect(() => planScd({ ...config, archive: true })).toThrow(/archive: not with truncateWhen/);
    expect(planScd(config).setup).not.toContain('ARCHIVE');
  });
});
