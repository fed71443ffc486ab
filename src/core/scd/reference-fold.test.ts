import { describe, expect, it } from 'vitest';
import { FoldConflictError, referenceFold, type FoldEvent } from './reference-fold.js';

const U = (k: number, s: number, name: string | null, city: string | null): FoldEvent => ({ key: [k], seq: [s], op: 'U', values: { NAME: name, CITY: city } });
const D = (k: number, s: number): FoldEvent => ({ key: [k], seq: [s], op: 'D', values: {} });
const cols = ['NAME', 'CITY'];
const fmt = (r: ReturnType<typeof referenceFold>): string[] => r.scd2.map((v) => `${v.key[0]}: ${v.values.NAME}/${v.values.CITY} [${v.from},${v.to})`);

describe('referenceFold (scd-semantics §4.3)', () => {
  it('case 26: the Databricks example', () => {
    const r = referenceFold(
      [U(124, 1, 'Raul', 'Oaxaca'), U(123, 1, 'Isabel', 'Monterrey'), U(125, 2, 'Mercedes', 'Tijuana'), U(126, 2, 'Lily', 'Cancun'), D(123, 6), U(125, 6, 'Mercedes', 'Guadalajara'), U(125, 5, 'Mercedes', 'Mexicali'), U(123, 5, 'Isabel', 'Chihuahua')],
      { columns: cols },
    );
    expect(fmt(r).sort()).toEqual(
      ['123: Isabel/Monterrey [1,5)', '123: Isabel/Chihuahua [5,6)', '124: Raul/Oaxaca [1,null)', '125: Mercedes/Tijuana [2,5)', '125: Mercedes/Mexicali [5,6)', '125: Mercedes/Guadalajara [6,null)', '126: Lily/Cancun [2,null)'].sort(),
    );
    expect(r.scd1.map((v) => v.key[0]).sort()).toEqual([124, 125, 126]);
  });

  it('case 24: a late event splits a run of untracked changes', () => {
    const r = referenceFold([U(1, 5, 'Alice', 'n5'), U(1, 10, 'Alice', 'n10'), U(1, 15, 'Alice', 'n15'), U(1, 20, 'Charlie', 'n20'), U(1, 12, 'Bob', 'n12')], { columns: cols, tracked: ['NAME'] });
    expect(fmt(r)).toEqual(['1: Alice/n10 [5,12)', '1: Bob/n12 [12,15)', '1: Alice/n15 [15,20)', '1: Charlie/n20 [20,null)']);
  });

  it('cases 11 and 12: ignore-null inherits within a life, never across a delete', () => {
    expect(fmt(referenceFold([U(1, 1, 'Ann', 'Oslo'), U(1, 3, null, 'Lima'), U(1, 2, 'Bea', 'Rome')], { columns: cols, ignoreNull: cols }))).toEqual(['1: Ann/Oslo [1,2)', '1: Bea/Rome [2,3)', '1: Bea/Lima [3,null)']);
    expect(fmt(referenceFold([U(1, 1, 'Ann', 'Oslo'), D(1, 2), U(1, 3, null, 'Rome')], { columns: cols, ignoreNull: cols }))).toEqual(['1: Ann/Oslo [1,2)', '1: null/Rome [3,null)']);
  });

  it('cases 17 and 19: duplicates collapse, delete wins a tie, and conflicts throw (case 18)', () => {
    expect(fmt(referenceFold([U(1, 1, 'Ann', 'Oslo'), D(1, 2), D(1, 2), D(1, 4)], { columns: cols }))).toEqual(['1: Ann/Oslo [1,2)']);
    const tie = referenceFold([D(1, 2), U(1, 1, 'Ann', 'Oslo'), U(1, 2, 'Ann', 'Rome')], { columns: cols });
    expect(fmt(tie)).toEqual(['1: Ann/Oslo [1,2)']);
    expect(tie.scd1).toEqual([]);
    expect(() => referenceFold([U(1, 2, 'Ann', 'Rome'), U(1, 2, 'Ann', 'Lima')], { columns: cols })).toThrow(FoldConflictError);
  });
});
