import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, translate, type TestDb } from './duckdb-expressions.test-helper.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

/** Every row's first column of a translated query over GENERATOR-like rows (DuckDB's range). */
async function column(expr: string, rows = 2000): Promise<string[]> {
  const sql = translate(`select ${expr} as v from t`).replace(/\bFROM t\b/i, `FROM range(${rows}) t(i)`);
  const r = await db.con.runAndReadAll(`SELECT CAST(v AS VARCHAR) FROM (${sql})`);
  return r.getRows().map((x) => String(x[0]));
}

describe('RANDOM()', () => {
  it('gives a different signed 64-bit integer each row, typed NUMBER(19,0)', async () => {
    const values = (await column('random()')).map(BigInt);
    expect(new Set(values).size).toBe(values.length);
    expect(values.some((v) => v < 0n) && values.some((v) => v > 0n)).toBe(true);
    expect(values.every((v) => v >= -(2n ** 63n) && v < 2n ** 63n)).toBe(true);
    // Spread over the whole range, not the 53 bits of a double: some values need more.
    expect(values.some((v) => (v < 0n ? -v : v) > 2n ** 60n)).toBe(true);
    expect(await db.types('select random()')).toEqual([{ type: 'NUMBER', precision: 19, scale: 0 }]);
  });
  it('can be hashed: HASH(RANDOM()) hashes one value per row (floe_hash_signed names its argument once)', async () => {
    const values = (await column('hash(random())')).map(BigInt);
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => v >= -(2n ** 63n) && v < 2n ** 63n)).toBe(true);
  });
  it('refuses a seed and names RAND() an unknown function, as Snowflake does', () => {
    expect(() => translate('select random(42)')).toThrow(/unsupported: RANDOM with a seed/);
    expect(() => translate('select rand()')).toThrow(/Unknown function RAND/);
  });
});

describe('UNIFORM(min, max, gen)', () => {
  it('gives integers in [min, max] for integer bounds, every value reached', async () => {
    const values = (await column('uniform(-2, 3, random())')).map(Number);
    expect(values.every((v) => Number.isInteger(v) && v >= -2 && v <= 3)).toBe(true);
    expect(new Set(values)).toEqual(new Set([-2, -1, 0, 1, 2, 3]));
    expect(await db.types('select uniform(1, 10, random())')).toEqual([{ type: 'NUMBER', precision: 38, scale: 0 }]);
  });
  it('gives a FLOAT in [min, max] when a bound is not an integer', async () => {
    const values = (await column('uniform(0, 1.5, random())')).map(Number);
    expect(values.every((v) => v >= 0 && v <= 1.5)).toBe(true);
    expect(values.some((v) => !Number.isInteger(v))).toBe(true);
    expect(await db.types('select uniform(0, 1.5, random())')).toEqual([{ type: 'FLOAT' }]);
  });
  it('is a function of its generator: a constant generator gives a constant, the same on every run', async () => {
    const values = await column('uniform(1, 100, 1234)', 50);
    expect(new Set(values).size).toBe(1);
    expect(await column('uniform(1, 100, 1234)', 1)).toEqual([values[0]]);
    expect(Number(values[0])).toBeGreaterThanOrEqual(1);
    expect(await db.value('select uniform(1, 100, null)')).toBeNull();
  });
  it('needs constant bounds in order, like Snowflake', () => {
    expect(() => translate('select uniform(a, 10, random()) from t')).toThrow(/argument 1 to function UNIFORM needs to be constant/);
    expect(() => translate('select uniform(10, 1, random())')).toThrow(/minimum 10 is greater than the maximum 1/);
    expect(() => translate('select uniform(1, 10)')).toThrow(/Invalid argument count for function UNIFORM/);
  });
});
