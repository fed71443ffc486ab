import { describe, expect, it } from 'vitest';
import { resolveScdConfig } from '../core/scd/scd-config.js';
import type { EventRow } from './expected-events.js';
import { diffRows, foldKey, tableSpecs } from './fold-compare.js';

const config = (extra: object = {}) =>
  resolveScdConfig({
    source: { name: 'D.S.SRC', kind: 'stream' },
    keys: [{ name: 'K', type: 'NUMBER(38,0)' }],
    sequenceBy: [{ name: 'TS', type: 'TIMESTAMP_NTZ' }, { name: 'N', type: 'NUMBER(38,0)' }],
    columns: [{ name: 'A', type: 'VARCHAR' }, { name: 'B', type: 'VARCHAR' }],
    deleteWhen: "OP = 'D'",
    eventLog: 'D.S.LOG',
    scd1: { table: 'D.S.CUR' },
    scd2: { table: 'D.S.HIST', validFrom: 'VF', validTo: 'VT', isCurrent: 'CUR', endValue: '9999-12-31 00:00:00' },
    ...extra,
  });

/** Events of key 1: [ts, n, op, a, b]; ranks as SQL would give them. */
function rows(events: [string, number, 'U' | 'D', string | null, string | null][]): EventRow[] {
  const ts = [...new Set(events.map((e) => e[0]))].sort();
  const tuples = [...new Set(events.map((e) => `${e[0]}/${e[1]}`))].sort();
  return events.map(([t, n, op, a, b]) => ({
    keyRank: 1,
    firstSeqRank: ts.indexOf(t) + 1,
    seqRank: tuples.indexOf(`${t}/${n}`) + 1,
    op,
    key: ['1'],
    seq: [t, String(n)],
    values: op === 'D' ? [null, null] : [a, b],
  }));
}

const constants = { end: 'END', yes: 'true', no: 'false' };

describe('foldKey', () => {
  it('gives SCD2 versions with first-sequence validity and SCD1 with the last event’s whole sequence', () => {
    const r = foldKey(config(), rows([['t1', 1, 'U', 'x', 'p'], ['t2', 1, 'U', 'y', 'p'], ['t3', 1, 'U', 'y', 'p'], ['t4', 2, 'D', null, null]]), constants);
    expect(r).toEqual({
      scd2: [
        ['1', 'x', 'p', 't1', 't2', 'false'],
        ['1', 'y', 'p', 't2', 't4', 'false'],
      ],
      scd1: [],
    });
    const live = foldKey(config(), rows([['t1', 1, 'U', 'x', 'p'], ['t1', 2, 'U', 'y', 'p']]), constants);
    // A version zero-width in the first sequence component is dropped; SCD1 shows the tuple of the last event.
    expect(live).toEqual({ scd2: [['1', 'y', 'p', 't1', 'END', 'true']], scd1: [['1', 'y', 'p', 't1', '2']] });
  });

  it('maps trackHistory and ignoreNullUpdates to the fold by column name', () => {
    const c = config({ trackHistory: ['a'], ignoreNullUpdates: ['B'] });
    const r = foldKey(c, rows([['t1', 1, 'U', 'x', 'p'], ['t2', 1, 'U', 'x', 'q'], ['t3', 1, 'U', 'z', null]]), constants);
    expect(r).toEqual({
      scd2: [
        ['1', 'x', 'q', 't1', 't3', 'false'],
        ['1', 'z', 'q', 't3', 'END', 'true'],
      ],
      scd1: [['1', 'z', 'q', 't3', '1']],
    });
  });

  it('reports two different upserts at one sequence as a conflict (exact duplicates are fine)', () => {
    const dup = foldKey(config(), rows([['t1', 1, 'U', 'x', 'p'], ['t1', 1, 'U', 'x', 'p']]), constants);
    expect('sequence' in dup).toBe(false);
    expect(foldKey(config(), rows([['t1', 1, 'U', 'x', 'p'], ['t1', 1, 'U', 'x', 'q']]), constants)).toEqual({ key: ['1'], sequence: ['t1', '1'] });
  });
});

describe('diffRows', () => {
  it('compares multisets and groups the differences by key', () => {
    const d = diffRows(
      [['1', 'a'], ['1', 'a'], ['2', 'b'], ['3', 'c']],
      [['1', 'a'], ['2', 'B'], ['3', 'c'], ['4', 'd']],
      1,
    );
    expect(d.missing).toBe(2);
    expect(d.unexpected).toBe(2);
    expect(d.byKey).toEqual([
      { key: ['1'], missing: [['1', 'a']], unexpected: [] },
      { key: ['2'], missing: [['2', 'b']], unexpected: [['2', 'B']] },
      { key: ['4'], missing: [], unexpected: [['4', 'd']] },
    ]);
    expect(diffRows([['1', null]], [['1', null]], 1)).toEqual({ missing: 0, unexpected: 0, byKey: [] });
  });
});

describe('tableSpecs', () => {
  it('select keys, payload and sequence (SCD1) or validity and flag (SCD2) as canonical text', () => {
    const [scd1, scd2] = tableSpecs(config());
    expect(scd1!.columns).toEqual(['K', 'A', 'B', 'TS', 'N']);
    expect(scd2!.columns).toEqual(['K', 'A', 'B', 'VF', 'VT', 'CUR']);
    expect(scd2!.select[3]).toBe(`TO_VARCHAR(VF, 'YYYY-MM-DD HH24:MI:SS.FF9')`);
    expect(tableSpecs(config({ scd2: { table: 'D.S.H', isCurrent: null } }))[1]!.columns).toEqual(['K', 'A', 'B', 'VALID_FROM', 'VALID_TO']);
  });
});
