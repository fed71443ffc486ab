import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from './duckdb-expressions.test-helper.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

const cases = (rows: [string, string | null][]) =>
  it.each(rows)('%s → %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr}`))[0]).toBe(expected);
  });

describe('string functions', () => {
  cases([
    ["concat('a', 1, null)", null],
    ["concat('a', 'b', 'c')", 'abc'],
    ["'a' || null", null],
    ["contains('abc', 'b')", 'true'],
    ["startswith('abc', 'a')", 'true'],
    ["endswith('abc', 'c')", 'true'],
    ["regexp_like('abc', 'a.c')", 'true'],
    ["'abc' rlike 'b'", 'false'],
    ["rlike('abc', '.*b.*')", 'true'],
    ["regexp_replace('aXbX', 'X', '-')", 'a-b-'],
    ["regexp_substr('abc123', '[0-9]+')", '123'],
    ["regexp_substr('abc', '[0-9]+')", null],
    ["regexp_count('a1b2', '[0-9]')", '2'],
    ["len('abc')", '3'],
    ["length('abc')", '3'],
    ["substr('abcdef', 2, 3)", 'bcd'],
    ["substring('abcdef', 3)", 'cdef'],
    ["lpad('7', 3, '0')", '007'],
    ["rpad('7', 3, 'x')", '7xx'],
    ["trim('  x ')", 'x'],
    ["ltrim('  x')", 'x'],
    ["rtrim('xaa', 'a')", 'x'],
    ["upper('a')", 'A'],
    ["lower('A')", 'a'],
    ["replace('aXb', 'X', '-')", 'a-b'],
    ["left('abc', 2)", 'ab'],
    ["right('abc', 2)", 'bc'],
    ["reverse('abc')", 'cba'],
    ["charindex('b', 'abc')", '2'],
    ["position('b' in 'abc')", '2'],
    ["split_part('a,b,c', ',', 0)", 'a'],
    ["split_part('a,b,c', ',', 2)", 'b'],
    ["split_part('a,b,c', ',', -1)", 'c'],
    ["split_part('a,b,c', ',', 9)", ''],
  ]);
});

describe('hash and digest functions', () => {
  cases([
    ["md5('a')", '0cc175b9c0f1b6a831c399e269772661'],
    ["md5_hex('a')", '0cc175b9c0f1b6a831c399e269772661'],
    ["sha1('a')", '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8'],
    ["sha2('a')", 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'],
    ["sha2('a', 256)", 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'],
    ['length(uuid_string())', '36'],
  ]);
});

describe('numeric functions and conversions', () => {
  cases([
    ['abs(-2)', '2'],
    ['round(2.5)', '3'],
    ['round(-2.5)', '-3'],
    ['round(1.234, 2)', '1.23'],
    ['floor(1.7)', '1'],
    ['ceil(1.2)', '2'],
    ['mod(5, 2)', '1'],
    ['power(2, 3)', '8.0'],
    ['sqrt(4)', '2.0'],
    ['square(3)', '9.0'],
    ["to_number('12.6')", '13'],
    ["to_decimal('12.345', 10, 2)", '12.35'],
    ["to_numeric('7')", '7'],
    ["try_to_number('x')", null],
    ["try_to_decimal('1.5', 5, 1)", '1.5'],
    ["to_double('1.5')", '1.5'],
    ["to_boolean('off')", 'false'],
    ["try_to_boolean('maybe')", null],
  ]);
});

describe('aggregates', () => {
  it('computes the usual aggregates', async () => {
    const row = await db.texts(`select count(*), count(distinct x), sum(x), min(x), max(x), avg(x), count_if(x > 1),
      median(x), any_value(x) is not null, booland_agg(x > 0), boolor_agg(x > 2) from (values (1), (2), (3)) t(x)`);
    expect(row).toEqual(['3', '3', '6', '1', '3', '2.000000', '2', '2.0', 'true', 'true', 'true']);
  });

  it('translates LISTAGG with WITHIN GROUP and DISTINCT', async () => {
    const row = await db.texts(`select listagg(x, '|') within group (order by x desc), listagg(distinct x, ',') within group (order by x),
      listagg(x) within group (order by x) from (values ('a'), ('b'), ('a')) t(x)`);
    expect(row).toEqual(['b|a|a', 'a,b', 'aab']);
  });
});

describe('window functions', () => {
  it('passes ranking and offset functions through', async () => {
    const row = await db.texts(`select row_number() over (order by x), rank() over (order by x), dense_rank() over (order by x),
      lag(x) over (order by x), lead(x, 1, 'z') over (order by x), first_value(x) over (order by x),
      last_value(x) over (order by x rows between unbounded preceding and unbounded following), sum(1) over (),
      count(*) over (partition by x), listagg(x, ',') within group (order by x) over ()
      from (values ('a'), ('b')) t(x) order by x limit 1`);
    expect(row).toEqual(['1', '1', '1', null, 'b', 'a', 'b', '2', '1', 'a,b']);
  });
});

describe('arithmetic typing', () => {
  cases([
    ['7 / 2', '3.500000'],
    ['1 / 3', '0.333333'],
    ['2 / 3', '0.666667'],
    ['10.5 / 4', '2.6250000'],
    ['1.5::float / 2', '0.75'],
    ["'5' + 1", '6'],
    ["'2.5' * 2", '5.0'],
    ['null / 0', null],
    ['avg(x) from (values (1), (2)) t(x)', '1.500000'],
    ['avg(x) over () from (values (1.5::float), (2)) t(x)', '1.75'],
  ]);

  it('fails on division by zero', async () => {
    await expect(db.texts('select 1 / 0')).rejects.toThrow(/floe: Division by zero/);
  });
});

describe('quotient scale for high-scale dividends', () => {
  it('follows max(s, min(s + 6, 12))', async () => {
    const types = await db.types('select 1::number(20,8) / 3, 1::number(30,20) / 3, 1 / 3::number(10,8)');
    expect(types.map((t) => ('scale' in t ? t.scale : undefined))).toEqual([12, 20, 6]);
  });
});
