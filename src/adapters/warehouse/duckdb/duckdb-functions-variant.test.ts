import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from './duckdb-expressions.test-helper.js';
import { snowflakePathToJsonPath } from './duckdb-functions-variant.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

const DOC = `(select parse_json('{"a":{"b":[5,6]},"s":"hi","n":5,"t":true,"Mixed Key":1,"z":null}') v)`;

const cases = (rows: [string, string | null][]) =>
  it.each(rows)('%s → %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr} from ${DOC}`))[0]).toBe(expected);
  });

describe('path access and GET', () => {
  cases([
    ['v:a.b[0]', '5'],
    ['v:a.b[0]::number + 1', '6'],
    ['v:s', '"hi"'],
    ['v:s::string', 'hi'],
    ['v:s::varchar(10)', 'hi'],
    ['to_varchar(v:s)', 'hi'],
    ["v['s']", '"hi"'],
    ["v['a']['b'][1]", '6'],
    ["get(v, 's')::varchar", 'hi'],
    ["get(v:a.b, 1)", '6'],
    ["get_path(v, 'a.b[1]')", '6'],
    ['v:"Mixed Key"', '1'],
    ['v:missing', null],
    ['v:z', 'null'],
    ['v:t::boolean', 'true'],
    ["v:s = 'hi'", 'true'],
    ['v:n > 4', 'true'],
    ['v:n = 5', 'true'],
    ['v:t = true', 'true'],
    ['array_size(v:a.b)', '2'],
    ['array_size(v:s)', null],
    ['typeof(v:n)', 'INTEGER'],
    ['typeof(v:s)', 'VARCHAR'],
    ['typeof(v:a)', 'OBJECT'],
  ]);
});

describe('constructors and parsing', () => {
  cases([
    ["object_construct('a', 1, 'b', null, 'c', 'x')", '{"a":1,"c":"x"}'],
    ["object_construct_keep_null('a', null)", '{"a":null}'],
    ["array_construct(1, 'x', null)", '[1,"x",null]'],
    ["array_construct()", '[]'],
    ["try_parse_json('{bad')", null],
    ["parse_json('[1,2]')[1]", '2'],
    ["split('a,b', ',')", '["a","b"]'],
    ["split('a,b', ',')[0]::string", 'a'],
  ]);

  it('aggregates arrays without NULLs', async () => {
    expect((await db.texts('select array_agg(x) from (values (1), (null), (2)) t(x)'))[0]).toBe('[1,2]');
  });

  it('reports VARIANT results', async () => {
    expect(await db.types("select parse_json('{}'), object_construct('a', 1), v:a from (select parse_json('{}') v)")).toEqual([
      { type: 'VARIANT' }, { type: 'VARIANT' }, { type: 'VARIANT' },
    ]);
  });
});

describe('snowflakePathToJsonPath', () => {
  it.each([
    ['a.b[0]', '$."a"."b"[0]'],
    ['"Mixed Case".x', '$."Mixed Case"."x"'],
    ["a['k k']", '$."a"."k k"'],
    ['[2]', '$[2]'],
  ])('%s → %s', (path, expected) => {
    expect(snowflakePathToJsonPath(path)).toBe(expected);
  });
});

describe('ARRAY_AGG', () => {
  it('supports DISTINCT', async () => {
    expect((await db.texts('select array_size(array_agg(distinct x)) from (values (1), (1), (2)) t(x)'))[0]).toBe('2');
  });
});
