/**
 * Property test (scd-semantics §4.4): random event sets with duplicates, same-sequence deletes and late events,
 * split into random batches in random order, applied through the generated SQL on DuckDB. After every batch the
 * invariants hold; at the end the tables equal the reference fold (src/core/scd/reference-fold.ts).
 * A seeded generator keeps failures reproducible: the failing seed is in the assertion message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine } from '../../src/engine/engine-api.js';
import { referenceFold, type FoldEvent } from '../../src/core/scd/reference-fold.js';
import { ScdRig, show, type Ev } from './scd-harness.js';
import { rng } from '../support/seeded-random.js';

interface Case {
  events: Ev[];
  batches: Ev[][];
  tracked?: string[];
  ignoreNull: boolean;
}

function randomCase(seed: number): Case {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events: Ev[] = [];
  const upserted = new Set<string>();
  const n = 6 + Math.floor(r() * 14);
  while (events.length < n) {
    const k = 1 + Math.floor(r() * 3);
    const s = 1 + Math.floor(r() * 10);
    if (r() < 0.25) {
      events.push([k, s, 'D']);
      continue;
    }
    // At most one upsert per (key, seq): two different ones are a conflict (tested in the case suite).
    if (upserted.has(`${k}/${s}`)) continue;
    upserted.add(`${k}/${s}`);
    events.push([k, s, 'U', [pick(['A', 'B', null]), pick(['X', 'Y', null])]]);
  }
  // Exact duplicates, possibly landing in other batches.
  for (let i = 0; i < 3; i++) if (r() < 0.5) events.push(pick(events));
  const shuffled = [...events].sort(() => r() - 0.5);
  const nb = 1 + Math.floor(r() * 4);
  const batches: Ev[][] = Array.from({ length: nb }, () => []);
  for (const e of shuffled) batches[Math.floor(r() * nb)]!.push(e);
  const mode = Math.floor(r() * 3);
  return { events, batches, ...(mode === 1 ? { tracked: ['NAME'] } : {}), ignoreNull: mode === 2 };
}

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
});
afterAll(async () => {
  await engine.close();
});

type Row = [k: number, name: string | null, city: string | null, vf: number, vt: number | null, current: boolean];

async function checkInvariants(rig: ScdRig, context: string): Promise<void> {
  const hist = (await rig.rows('SELECT K, NAME, CITY, VF, VT, IS_CURRENT FROM HIST ORDER BY K, VF')) as Row[];
  const cur = await rig.rows('SELECT K, NAME, CITY FROM CUR ORDER BY K');
  const deletes = new Set((await rig.rows(`SELECT K, S FROM ${rig.logged} WHERE __OP = 'D'`)).map(([k, s]) => `${k}/${s}`));
  const seqs = new Set((await rig.rows(`SELECT K, S FROM ${rig.logged}`)).map(([k, s]) => `${k}/${s}`));
  const tracked = rig.config.trackHistory ?? ['NAME', 'CITY'];
  const value = (row: Row, c: string): unknown => (c === 'NAME' ? row[1] : row[2]);
  for (let i = 0; i < hist.length; i++) {
    const row = hist[i]!;
    const [k, , , vf, vt, current] = row;
    expect(current, `${context}: IS_CURRENT matches VT IS NULL`).toBe(vt === null);
    expect(vt === null || vf < vt, `${context}: no zero-width or inverted rows (${JSON.stringify(row)})`).toBe(true); // 3
    expect(seqs.has(`${k}/${vf}`) && (vt === null || seqs.has(`${k}/${vt}`)), `${context}: boundaries are event sequences`).toBe(true); // 10
    const next = hist[i + 1];
    if (!next || next[0] !== k) continue;
    expect(vt, `${context}: one current row per key (${k})`).not.toBeNull(); // 1
    expect(vt! <= next[3], `${context}: no overlaps (${k})`).toBe(true); // 2
    if (vt! < next[3]) expect(deletes.has(`${k}/${vt}`), `${context}: gaps only at deletes (${k} at ${vt})`).toBe(true); // 4
    else expect(tracked.some((c) => value(row, c) !== value(next, c)), `${context}: no redundant adjacency (${k} at ${vt})`).toBe(true); // 5
  }
  // 8: SCD1 = current SCD2 rows.
  expect(cur, `${context}: SCD1 = current SCD2`).toEqual(hist.filter((r) => r[4] === null).map((r) => [r[0], r[1], r[2]]));
}

// FLOE_SCD_SEEDS=500 for a longer local run.
const SEEDS = Array.from({ length: Number(process.env['FLOE_SCD_SEEDS'] ?? 10) }, (_, i) => 1000 + i * 7919);

/** The reference fold of `events` in the rig's row formats. */
function expected(c: Case, events: Ev[]): { scd1: string[]; scd2: string[] } {
  const fold = referenceFold(
    events.map(([k, s, op, values]): FoldEvent => ({
      key: [k as number],
      seq: [s as number],
      op: op === 'U' ? 'U' : 'D',
      values: { NAME: values?.[0] ?? null, CITY: values?.[1] ?? null },
    })),
    { columns: ['NAME', 'CITY'], ...(c.tracked ? { tracked: c.tracked } : {}), ignoreNull: c.ignoreNull ? ['NAME', 'CITY'] : [] },
  );
  const scd2 = fold.scd2
    .map((v) => ({ k: v.key[0] as number, f: v.from as number, s: `${show(v.key[0])}: ${show(v.values.NAME)}/${show(v.values.CITY)} [${show(v.from)},${show(v.to)})` }))
    .sort((a, b) => a.k - b.k || a.f - b.f)
    .map((v) => v.s);
  const scd1 = fold.scd1.sort((a, b) => (a.key[0] as number) - (b.key[0] as number)).map((v) => `${show(v.key[0])} ${show(v.values.NAME)}/${show(v.values.CITY)}`);
  return { scd1, scd2 };
}

describe('SCD applier property test (random events, splits, shuffles, duplicates)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const c = randomCase(seed);
      // Half the seeds with the archive (off by default): deleted keys' rows move in the run that deletes them, or once
      // 2 or 3 of them wait.
      const archive = { archive: seed % 2 === 0, archiveBatch: 1 + (seed % 3) };
      const rig = await ScdRig.open({ options: { ...(c.tracked ? { trackHistory: c.tracked } : {}), ignoreNullUpdates: c.ignoreNull, ...archive } }, engine);
      const applied: Ev[] = [];
      for (const [i, b] of c.batches.entries()) {
        await rig.batch(b);
        applied.push(...b);
        const context = `seed ${seed} batch ${i + 1}/${c.batches.length}`;
        await checkInvariants(rig, context);
        // After every batch, not only at the end: the key states must carry each key's past exactly.
        const want = expected(c, applied);
        expect(await rig.scd2(), `${context}: SCD2 = reference fold`).toEqual(want.scd2);
        expect(await rig.scd1(), `${context}: SCD1 = reference fold`).toEqual(want.scd1);
      }
      // Re-applying every batch changes nothing (idempotence, invariant 7).
      for (const b of c.batches) await rig.batch(b);
      const want = expected(c, c.events);
      expect(await rig.scd2(), `seed ${seed}: SCD2 after re-application`).toEqual(want.scd2);
      expect(await rig.scd1(), `seed ${seed}: SCD1 after re-application`).toEqual(want.scd1);
      await rig.close();
    }, 120_000);
  }
});
