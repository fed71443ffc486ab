import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from './duckdb-expressions.test-helper.js';
import { parseNumberFormat } from './duckdb-number-format.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

describe('parseNumberFormat', () => {
  it('recognizes numeric models and rejects datetime ones', () => {
    expect(parseNumberFormat('FM9,999.00')).toMatchObject({ fm: true, intTemplate: '9,999', fracTemplate: '00', point: true });
    expect(parseNumberFormat('S0XXX')).toMatchObject({ leadSign: 'S', intTemplate: '0XXX', hex: 'upper' });
    expect(parseNumberFormat('999MI')).toMatchObject({ trailSign: 'MI' });
    expect(parseNumberFormat('">"$99.0"<"')).toMatchObject({ prefix: '>', suffix: '<', dollar: true });
    expect(parseNumberFormat('YYYY-MM-DD')).toBeUndefined();
    expect(parseNumberFormat('HH24:MI')).toBeUndefined();
  });

  it('refuses elements it does not render', () => {
    expect(() => parseNumberFormat('9.99EEEE')).toThrow(/unsupported: numeric format element EE/);
    expect(() => parseNumberFormat('TME')).toThrow(/only TM9/);
  });
});

const cases = (rows: [string, string | null][]) =>
  it.each(rows)('%s → %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr}`))[0]).toBe(expected);
  });

describe('TO_CHAR with numeric formats', () => {
  cases([
    ["to_char(1234.5, 'FM9,999.00')", '1,234.50'],
    ["to_char(-1234.5, '9,999.00')", '-1,234.50'],
    ["to_char(0.5, '.99')", ' .5 '],
    ["to_char(-0.001, '9.99')", ' 0.  '],
    ["to_char(5, 'FM$999')", '$5'],
    ["to_char(-5, 'FMS999')", '-5'],
    ["to_char(5, 'FM999MI')", '5'],
    ["to_char(1234, '9G999D00')", ' 1,234.00'],
    ["to_char(-1, 'XXXX')", 'FFFF'],
    ["to_char(-40000, 'XXXX')", '####'],
    ["to_char(10, 'FMxx')", 'a'],
    ["to_char(123456789012, '999,999,999,999')", ' 123,456,789,012'],
    ["to_char(1.5::double, '9.0')", ' 1.5'],
  ]);
});

describe('TO_NUMBER with numeric formats', () => {
  cases([
    ["to_number('1,234', '9,999')", '1234'],
    ["to_number(' -12.5 ', '99.9', 5, 1)", '-12.5'],
    ["to_number('12-', '99MI')", '-12'],
    ["to_number('+12', 'S99')", '12'],
    ["try_to_number('1x', '99')", null],
    ["to_number(null, '99')", null],
  ]);

  it('fails with Snowflake\'s message for text that does not match the format', async () => {
    await expect(db.texts("select to_number('1x', '99')")).rejects.toThrow(/floe: Numeric value '1x' is not recognized/);
  });
});
