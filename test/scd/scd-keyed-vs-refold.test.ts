/**
 * Differential test of the key-state apply script (scd-apply-keyed.ts) against the full refold
 * (scd-apply-refold.ts) over the options the property test does not vary: composite keys, tuple sequences, an end
 * sentinel, one target only, no current flag, tracked and ignore-null subsets. Both rigs get the same random
 * batches (late events, duplicates, same-sequence deletes, re-deliveries); their targets must be equal after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine } from '../../src/engine/engine-api.js';
import type { ScdConfig } from '../../src/core/scd/scd-config.js';
import { ScdRig, show, type Ev, type Scenario } from './scd-harness.js';
import { rng } from '../support/seeded-random.js';
import { planScd } from '../../src/core/scd/scd-plan.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
});
afterAll(async () => {
  await engine.close();
});

const SEEDS = Array.from({ length: Number(process.env['FLOE_SCD_SEEDS'] ?? 12) }, (_, i) => 77 + i * 104729);

function scenarioFor(r: () => number): Scenario {
  const options: Partial<ScdConfig> = {};
  const target = Math.floor(r() * 3); // 0 both, 1 SCD1 only, 2 SCD2 only
  if (target === 1) options.scd2 = undefined;
  if (target !== 1) {
    options.scd2 = { table: 'HIST', validFrom: 'VF', validTo: 'VT', ...(r() < 0.5 ? { isCurrent: null } : { isCurrent: 'IS_CURRENT' }), ...(r() < 0.5 ? { endValue: '999999' } : {}) };
  }
  if (target === 2) options.scd1 = undefined;
  const mode = Math.floor(r() * 4);
  if (mode === 1) options.trackHistory = ['NAME'];
  if (mode === 2) options.ignoreNullUpdates = true;
  if (mode === 3) options.ignoreNullUpdates = ['CITY'];
  options.archive = r() < 0.5;
  options.archiveBatch = 1 + Math.floor(r() * 3);
  return {
    keys: [
      { name: 'K1', type: 'NUMBER(38,0)' },
      { name: 'K2', type: 'VARCHAR' },
    ],
    sequenceBy: [
      { name: 'S', type: 'NUMBER(38,0)' },
      { name: 'T', type: 'NUMBER(38,0)' },
    ],
    options,
  };
}

function randomBatches(r: () => number): Ev[][] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events: Ev[] = [];
  const upserted = new Set<string>();
  while (events.length < 10 + Math.floor(r() * 30)) {
    const key = [1 + Math.floor(r() * 2), pick(['a', 'b'])];
    const seq = [1 + Math.floor(r() * 6), Math.floor(r() * 3)];
    if (r() < 0.2) {
      events.push([key, seq, 'D']);
      continue;
    }
    const id = JSON.stringify([key, seq]);
    if (upserted.has(id)) continue;
    upserted.add(id);
    events.push([key, seq, 'U', [pick(['A', 'B', null]), pick(['X', 'Y', null])]]);
  }
  // Mostly in sequence order (the append path), with late events and re-deliveries mixed in.
  const ordered = [...events].sort((a, b) => (a[1] as number[])[0]! - (b[1] as number[])[0]! + (r() < 0.2 ? r() * 6 - 3 : 0));
  const batches: Ev[][] = [];
  for (let i = 0; i < ordered.length; ) {
    const n = 1 + Math.floor(r() * 6);
    const b = ordered.slice(i, i + n);
    if (batches.length > 0 && r() < 0.3) b.push(pick(batches.flat()));
    batches.push(b);
    i += n;
  }
  return batches;
}

async function targets(rig: ScdRig): Promise<string[][]> {
  const sorted = async (table: string): Promise<string[]> => (await rig.rows(`SELECT * FROM ${table}`)).map((r) => r.map(show).join(' | ')).sort();
  return [...(rig.config.scd1 ? [await sorted('CUR')] : []), ...(rig.config.scd2 ? [await sorted('HIST')] : [])];
}

describe('SCD apply with key states = full refold', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed);
      const scenario = scenarioFor(r);
      const keyed = await ScdRig.open(scenario, engine);
      const refold = await ScdRig.open({ ...scenario, refold: true }, engine);
      const batches = randomBatches(r);
      for (const [i, b] of batches.entries()) {
        await keyed.batch(b);
        await refold.batch(b);
        expect(await targets(keyed), `seed ${seed} batch ${i + 1}/${batches.length} ${JSON.stringify(scenario.options)}`).toEqual(await targets(refold));
      }
      await keyed.close();
      await refold.close();
    }, 120_000);
  }
});

describe('key states of an event log kept without them', () => {
  it('are filled by the setup script, after which batches apply as with the full refold', async () => {
    const r = rng(4242);
    const scenario = scenarioFor(r);
    // (Without the archive, which an older floe did not have either.)
    scenario.options = { ...scenario.options, archive: false, scd1: { table: 'CUR' }, scd2: { table: 'HIST', validFrom: 'VF', validTo: 'VT', isCurrent: 'IS_CURRENT' } };
    const keyed = await ScdRig.open(scenario, engine);
    const refold = await ScdRig.open({ ...scenario, refold: true }, engine);
    const batches = randomBatches(r);
    const half = Math.ceil(batches.length / 2);
    for (const b of batches.slice(0, half)) {
      await keyed.batch(b);
      await refold.batch(b);
    }
    // An older floe kept no key states, tombstones or closed versions: empty them, then re-run the (idempotent)
    // setup script. It folds the log into key states (deleted keys' included) and closed versions once.
    await keyed.rows('DELETE FROM EVENTS_KEYS; DELETE FROM EVENTS_TOMBSTONES; DELETE FROM EVENTS_CLOSED');
    expect(await keyed.rows('SELECT COUNT(*) FROM EVENTS_KEYS')).toEqual([[0]]);
    await keyed.rows(planScd(keyed.config).setup);
    expect(Number((await keyed.rows('SELECT COUNT(*) FROM EVENTS_KEYS'))[0]![0])).toBeGreaterThan(0);
    expect(await targets(keyed)).toEqual(await targets(refold));
    for (const [i, b] of batches.slice(half).entries()) {
      await keyed.batch(b);
      await refold.batch(b);
      expect(await targets(keyed), `batch ${half + i + 1}`).toEqual(await targets(refold));
    }
    await keyed.close();
    await refold.close();
  }, 120_000);
});
