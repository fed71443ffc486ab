import { describe, it, expect } from 'vitest';
import { snowflakeTimeFormatToDuckDb } from './duckdb-time-format.js';
import { isNumericFormat } from './duckdb-number-format.js';

describe('snowflakeTimeFormatToDuckDb', () => {
  it.each([
    ['YYYY-MM-DD', '%Y-%m-%d'],
    ['yyyy-mm-dd hh24:mi:ss', '%Y-%m-%d %H:%M:%S'],
    ['DD/MM/YY', '%d/%m/%y'],
    ['MON DD, YYYY', '%b %d, %Y'],
    ['MMMM', '%B'],
    ['DY', '%a'],
    ['HH12:MI AM', '%I:%M %p'],
    ['HH24:MI:SS.FF3', '%H:%M:%S.%g'],
    ['HH24:MI:SS.FF6', '%H:%M:%S.%f'],
    ['HH24:MI:SS.FF', '%H:%M:%S.%f000'],
    ['HH24:MI:SS.FF9', '%H:%M:%S.%f000'],
    ['YYYY-MM-DD"T"HH24:MI:SS', '%Y-%m-%dT%H:%M:%S'],
    ['YYYY-MM-DDTHH24:MI:SS', '%Y-%m-%dT%H:%M:%S'],
    ['"100%" YYYY', '100%% %Y'],
  ])('%s → %s', (sf, duck) => {
    expect(snowflakeTimeFormatToDuckDb(sf)).toBe(duck);
  });

  it('uses strptime-friendly fractions when parsing', () => {
    expect(snowflakeTimeFormatToDuckDb('HH24:MI:SS.FF9', { parse: true })).toBe('%H:%M:%S.%n');
    expect(snowflakeTimeFormatToDuckDb('YYYY-MM-DD HH24:MI:SS TZH:TZM', { parse: true })).toBe('%Y-%m-%d %H:%M:%S %z');
    expect(snowflakeTimeFormatToDuckDb('HH24 TZHTZM')).toBe('%H \u0001TZHTZM\u0001');
    expect(() => snowflakeTimeFormatToDuckDb('HH24 TZM', { parse: true })).toThrow(/TZM without TZH/);
  });

  it.each(['YYYY-QQ', 'FF4', '"open'])('refuses %s', (fmt) => {
    expect(() => snowflakeTimeFormatToDuckDb(fmt)).toThrow(/unsupported/);
  });

  it('tells numeric formats apart', () => {
    expect(isNumericFormat('999,999.00')).toBe(true);
    expect(isNumericFormat('FM0000')).toBe(true);
    expect(isNumericFormat('YYYY-MM-DD')).toBe(false);
  });
});
