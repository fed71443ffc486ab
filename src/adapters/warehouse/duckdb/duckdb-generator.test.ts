import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, translate, type TestDb } from './duckdb-expressions.test-helper.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

async function rows(sql: string): Promise<string[][]> {
  const r = await db.con.runAndReadAll(translate(sql));
  return r.getRows().map((row) => row.map((v) => String(v)));
}

describe('TABLE(GENERATOR(ROWCOUNT => n))', () => {
  it('gives n rows, with or without an alias, in joins and with RANDOM()', async () => {
    expect(await rows('select count(*) from table(generator(rowcount => 1000))')).toEqual([['1000']]);
    expect(await rows('select count(*) from table(generator(rowcount => 0)) g')).toEqual([['0']]);
    expect(await rows('select count(*) from table(generator(rowcount => 3)) a, table(generator(rowcount => 4)) b')).toEqual([['12']]);
    const [[n, distinct]] = await rows('select count(*), count(distinct v) from (select uniform(1, 1000000000, random()) as v from table(generator(rowcount => 500)))');
    expect([n, Number(distinct) > 490]).toEqual(['500', true]);
  });

  it('refuses TIMELIMIT, a missing or non-constant ROWCOUNT and positional arguments', () => {
    expect(() => translate('select 1 from table(generator(rowcount => 5, timelimit => 1))')).toThrow(/unsupported: GENERATOR with TIMELIMIT/);
    expect(() => translate('select 1 from table(generator(timelimit => 1))')).toThrow(/unsupported: GENERATOR with TIMELIMIT/);
    expect(() => translate('select 1 from table(generator())')).toThrow(/GENERATOR needs ROWCOUNT/);
    expect(() => translate('select 1 from table(generator(rowcount => -1))')).toThrow(/non-negative integer constant/);
    expect(() => translate('select 1 from table(generator(rowcount => 1.5))')).toThrow(/non-negative integer constant/);
    expect(() => translate('select 1 from table(generator(5))')).toThrow(/named arguments/);
  });
});

describe('SEQ1/SEQ2/SEQ4/SEQ8', () => {
  it('number the rows from 0, unique and increasing', async () => {
    const r = await rows('select seq4() as s from table(generator(rowcount => 5)) order by s');
    expect(r.map((x) => x[0])).toEqual(['0', '1', '2', '3', '4']);
    const [[n, distinct, lo, hi]] = await rows('select count(*), count(distinct s), min(s), max(s) from (select seq8() as s from table(generator(rowcount => 10000)))');
    expect([n, distinct, lo, hi]).toEqual(['10000', '10000', '0', '9999']);
  });

  it('wrap around at their width; 1 = signed', async () => {
    const unsigned = await rows('select max(s), count(*) filter (where s = 0) from (select seq1() as s from table(generator(rowcount => 600)))');
    expect(unsigned).toEqual([['255', '3']]);
    const signed = await rows('select min(s), max(s) from (select seq1(1) as s from table(generator(rowcount => 300)))');
    expect(signed).toEqual([['-128', '127']]);
    const two = await rows('select max(s) from (select seq2(0) as s from table(generator(rowcount => 70000)))');
    expect(two).toEqual([['65535']]);
  });

  it('number the rows of any table, and refuse other arguments', async () => {
    expect(await rows('select seq4(), v from (select 10 as v union all select 20) order by 1')).toEqual([
      ['0', expect.any(String)],
      ['1', expect.any(String)],
    ]);
    expect(() => translate('select seq4(2)')).toThrow(/must be 0 \(unsigned\) or 1 \(signed\)/);
  });

  it('are refused in WHERE, GROUP BY and HAVING with a floe error; a subquery there may number its own rows', async () => {
    expect(() => translate('select 1 from t where seq4() > 1')).toThrow(/unsupported: SEQ4 in WHERE \(on DuckDB floe numbers rows with a window function/);
    expect(() => translate('select count(*) from t group by seq8()')).toThrow(/unsupported: SEQ8 in GROUP BY/);
    expect(() => translate('select count(*) from t group by a having max(seq2()) > 1')).toThrow(/unsupported: SEQ2 in HAVING/);
    expect(await rows('select count(*) from table(generator(rowcount => 5)) where __floe_generator_row in (select seq4() from table(generator(rowcount => 2)))')).toEqual([['2']]);
    expect(await rows('select count(*) from (select seq4() as s from table(generator(rowcount => 5))) where s > 1')).toEqual([['3']]);
    expect(() => translate('select seq4(0, 1)')).toThrow(/Invalid argument count for function SEQ4/);
  });
});
