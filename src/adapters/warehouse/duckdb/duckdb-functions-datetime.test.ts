import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, translate, type TestDb } from './duckdb-expressions.test-helper.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

const cases = (rows: [string, string | null][]) =>
  it.each(rows)('%s → %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr}`))[0]).toBe(expected);
  });

describe('DATEADD / TIMEADD / TIMESTAMPADD', () => {
  cases([
    ["dateadd(day, 1, '2024-01-31'::date)", '2024-02-01'],
    ["dateadd('month', 1, '2024-01-31'::date)", '2024-02-29'],
    ["dateadd(mm, -1, '2024-03-31'::date)", '2024-02-29'],
    ["dateadd(qtr, 1, '2024-01-15'::date)", '2024-04-15'],
    ["dateadd(year, 1, '2024-02-29'::date)", '2025-02-28'],
    ["dateadd(hour, 2, '2024-01-01'::date)", '2024-01-01 02:00:00'],
    ["dateadd(minute, 90, '2024-01-01 10:00'::timestamp)", '2024-01-01 11:30:00'],
    ["timeadd(second, 30, '10:00:00'::time)", '10:00:30'],
    ["timestampadd(week, 1, '2024-01-01 10:00'::timestamp_ntz)", '2024-01-08 10:00:00'],
    ["dateadd(day, 1, '2024-01-01')", '2024-01-02 00:00:00'],
  ]);
  it('keeps DATE inputs DATE for date parts', async () => {
    expect(await db.types("select dateadd(day, 1, '2024-01-31'::date)")).toEqual([{ type: 'DATE' }]);
  });
});

describe('DATEDIFF / TIMESTAMPDIFF count boundaries crossed', () => {
  cases([
    ["datediff(day, '2024-01-01 23:59'::timestamp, '2024-01-02 00:01'::timestamp)", '1'],
    ["datediff(week, '2024-01-03'::date, '2024-01-09'::date)", '1'],
    ["datediff(week, '2024-01-01'::date, '2024-01-07'::date)", '0'],
    ["datediff(month, '2024-01-31', '2024-02-01')", '1'],
    ["datediff(yy, '2024-12-31'::date, '2025-01-01'::date)", '1'],
    ["datediff('hour', '2024-01-01 00:59'::timestamp, '2024-01-01 01:00'::timestamp)", '1'],
    ["timestampdiff(second, '2024-01-01 00:00:00.9'::timestamp, '2024-01-01 00:00:01.1'::timestamp)", '1'],
    ["timestampdiff(minute, '2024-01-01 10:00'::timestamp, '2024-01-01 09:00'::timestamp)", '-60'],
    ["datediff(quarter, '2024-03-31'::date, '2024-04-01'::date)", '1'],
  ]);
});

describe('DATE_TRUNC / LAST_DAY / parts', () => {
  cases([
    ["date_trunc(month, '2024-03-15'::date)", '2024-03-01'],
    ["date_trunc('HOUR', '2024-03-15 10:45'::timestamp)", '2024-03-15 10:00:00'],
    ["date_trunc(week, '2024-03-15'::date)", '2024-03-11'],
    ["last_day('2024-02-10'::date)", '2024-02-29'],
    ["last_day('2024-02-10'::date, year)", '2024-12-31'],
    ["last_day('2024-02-10'::date, quarter)", '2024-03-31'],
    ["last_day('2024-02-10'::date, week)", '2024-02-11'],
    ["year('2024-03-10'::date)", '2024'],
    ["dayofweek('2024-03-10'::date)", '0'],
    ["dayofweekiso('2024-03-10'::date)", '7'],
    ["date_part(epoch_second, '2024-03-10 14:07:09'::timestamp)", '1710079629'],
    ["extract(epoch_second from '2024-03-10 14:07:09'::timestamp)", '1710079629'],
    ["extract(month from '2024-03-10'::date)", '3'],
    ["dayname('2024-03-10'::date)", 'Sun'],
    ["monthname('2024-03-10'::date)", 'Mar'],
    ['date_from_parts(2024, 2, 29)', '2024-02-29'],
  ]);
  it('refuses invalid parts', () => {
    expect(() => translate("select dateadd(fortnight, 1, d) from t")).toThrow(/Invalid date\/time part 'fortnight'/);
  });
});

describe('TO_DATE / TO_TIMESTAMP*', () => {
  cases([
    ["to_date('2024-03-05')", '2024-03-05'],
    ["to_date('05/03/2024', 'DD/MM/YYYY')", '2024-03-05'],
    ["try_to_date('nope')", null],
    ["try_to_date('2024-13-01', 'YYYY-MM-DD')", null],
    ["to_timestamp('2024-03-05 10:11:12')", '2024-03-05 10:11:12'],
    ['to_timestamp(1700000000)', '2023-11-14 22:13:20'],
    ['to_timestamp(1700000000123, 3)', '2023-11-14 22:13:20.123'],
    ["to_timestamp_ntz('2024-03-05T10:11:12', 'YYYY-MM-DDTHH24:MI:SS')", '2024-03-05 10:11:12'],
    ['to_timestamp_ltz(1700000000)', '2023-11-14 22:13:20+00'],
    ["try_to_timestamp('x')", null],
  ]);
  it('types follow the function and the mapping', async () => {
    expect(await db.types("select to_timestamp('2024-01-01'), to_timestamp_ntz('2024-01-01'), to_timestamp_ltz('2024-01-01'), to_timestamp_tz('2024-01-01')"))
      .toEqual([{ type: 'TIMESTAMP_NTZ' }, { type: 'TIMESTAMP_NTZ' }, { type: 'TIMESTAMP_LTZ' }, { type: 'TIMESTAMP_LTZ' }]);
    expect(await db.types("select to_timestamp('2024-01-01')", { timestampTypeMapping: 'TIMESTAMP_LTZ' }))
      .toEqual([{ type: 'TIMESTAMP_LTZ' }]);
  });
});

describe('TO_VARCHAR / TO_CHAR', () => {
  cases([
    ["to_varchar('2024-03-05 14:07:09.123456'::timestamp, 'YYYY-MM-DD HH24:MI:SS.FF3')", '2024-03-05 14:07:09.123'],
    ["to_char('2024-03-05'::date, 'DD/MM/YY')", '05/03/24'],
    ["to_varchar('2024-03-05 14:07:09'::timestamp, 'MON DY HH12 AM MMMM')", 'Mar Tue 02 PM March'],
    ["to_char('2024-03-05 14:07:09.123456'::timestamp, 'HH24:MI:SS.FF')", '14:07:09.123456000'],
    ["to_varchar('2024-03-05 14:07:09.5'::timestamp)", '2024-03-05 14:07:09.500'],
    ["to_varchar('2024-03-05'::date)", '2024-03-05'],
    ['to_varchar(12.50::number(10,2))', '12.50'],
    ['to_varchar(42)', '42'],
  ]);
  it('prints TIMESTAMP_LTZ with the session offset', async () => {
    const la = await openTestDb('America/Los_Angeles');
    expect((await la.texts("select to_varchar('2024-03-05 14:07:09+00:00'::timestamp_ltz)"))[0]).toBe('2024-03-05 06:07:09.000 -0800');
    expect((await la.texts("select sysdate()::date = current_date or true"))[0]).toBe('true');
  });
});
