import { describe, expect, it } from 'vitest';
import type { ResultColumn } from '../core/result.js';
import type { RememberedResult } from './session-functions.js';
import { REMEMBERED_RESULTS, REMEMBERED_VALUES } from './session-functions.js';
import { remember } from './session.js';

const columns = (n: number): ResultColumn[] => Array.from({ length: n }, (_x, i) => ({ name: `C${i}`, type: 'NUMBER' }));
const rows = (n: number, width: number): number[][] => Array.from({ length: n }, () => new Array<number>(width).fill(0));

describe('remembered results (RESULT_SCAN)', () => {
  it('keep the last results up to a count', () => {
    const state = { results: new Map<string, RememberedResult>() };
    for (let i = 0; i < REMEMBERED_RESULTS + 5; i++) remember(state, `q${i}`, columns(1), rows(1, 1));
    expect([...state.results.keys()]).toEqual(Array.from({ length: REMEMBERED_RESULTS }, (_x, i) => `q${i + 5}`));
  });

  it('drop the oldest once they hold more values than the bound together, but always keep the newest', () => {
    const state = { results: new Map<string, RememberedResult>() };
    const half = REMEMBERED_VALUES / 2;
    remember(state, 'small', columns(2), rows(5, 2));
    remember(state, 'big1', columns(4), rows(half / 4 + 1, 4));
    expect([...state.results.keys()]).toEqual(['small', 'big1']);
    remember(state, 'big2', columns(4), rows(half / 4 + 1, 4));
    // small + big1 + big2 exceed the bound: the oldest go until the rest fits.
    expect([...state.results.keys()]).toEqual(['big2']);
    remember(state, 'huge', columns(1), rows(REMEMBERED_VALUES * 2, 1));
    expect([...state.results.keys()]).toEqual(['huge']);
    remember(state, 'tiny', columns(1), rows(1, 1));
    expect([...state.results.keys()]).toEqual(['tiny']);
  });
});
