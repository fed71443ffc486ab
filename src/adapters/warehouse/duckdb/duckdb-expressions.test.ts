import { describe, it, expect, beforeAll } from 'vitest';
import { openTestDb, translate, type TestDb } from './duckdb-expressions.test-helper.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

describe('conditional functions (end to end on DuckDB)', () => {
  it.each([
    ["iff(1 > 2, 'a', 'b')", 'b'],
    ["iff(null, 'a', 'b')", 'b'],
    ['nvl(null, 2)', '2'],
    ['ifnull(null, 2)', '2'],
    ['nvl2(null, 1, 2)', '2'],
    ['nvl2(5, 1, 2)', '1'],
    ['zeroifnull(null)', '0'],
    ['nullifzero(0)', null],
    ['coalesce(null, null, 3)', '3'],
    ["decode(null, 1, 'one', null, 'isnull', 'other')", 'isnull'],
    ["decode(2, 1, 'one', 'other')", 'other'],
    ["decode(3, 1, 'one')", null],
    ['div0(1, 0)', '0.000000'], ['div0(7, 2)', '3.500000'],
    ['greatest(1, null, 3)', null],
    ['greatest(1, 5, 3)', '5'],
    ['least(4, 2, 3)', '2'],
    ['least(4, null)', null],
  ])('%s = %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr}`))[0]).toBe(expected);
  });
});

describe('FV-1 null-safe comparison', () => {
  it('matches the documented truth table', async () => {
    const row = await db.row(`select equal_null(null, null), equal_null(1, null), null is distinct from null,
      1 is distinct from null, null = null, not equal_null(1, 2), 1 is not distinct from 1`);
    expect(row).toEqual([true, false, false, true, null, true, true]);
  });
});

describe('FV-2 HASH', () => {
  it('is type-aware, never NULL, and signed 64-bit', async () => {
    const row = await db.row(`select hash(null) is not null, hash(10) = hash(10::number(5,3)), hash(10) = hash(10::float),
      hash(10) <> hash('10'), hash(null, null) <> hash(null), hash(1, 'a') = hash(1, 'a'), hash(1, 'a') <> hash('a', 1)`);
    expect(row).toEqual([true, true, true, true, true, true, true]);
    expect(await db.types('select hash(1, 2)')).toEqual([{ type: 'NUMBER', precision: 19, scale: 0 }]);
    const [text] = await db.texts('select hash(12345)');
    const v = BigInt(text as string);
    expect(v >= -(2n ** 63n) && v < 2n ** 63n).toBe(true);
  });

  it('hashes whole rows with HASH(*)', async () => {
    const row = await db.row('select hash(*) = hash(*) from (values (1, 2)) t(a, b)');
    expect(row).toEqual([true]);
  });
});

describe('FV-3 CURRENT_TIMESTAMP', () => {
  it.each(['current_timestamp', 'current_timestamp()', 'current_timestamp(3)', 'localtimestamp', 'localtimestamp()',
    'systimestamp()', 'getdate()'])('%s is a TIMESTAMP_LTZ', async (expr) => {
    expect(await db.types(`select ${expr}`)).toEqual([{ type: 'TIMESTAMP_LTZ' }]);
  });

  it('has the date/time siblings', async () => {
    expect(await db.types('select current_date, current_date(), current_time, current_time(), sysdate()')).toEqual([
      { type: 'DATE' }, { type: 'DATE' }, { type: 'TIME' }, { type: 'TIME' }, { type: 'TIMESTAMP_NTZ' },
    ]);
  });
});

describe('casts', () => {
  it.each([
    ["'12.5'::number(10,2)", '12.50'],
    ["'12.5'::int", '13'],
    ['-2.5::integer', '-3'],
    ["cast('1.5' as float)", '1.5'],
    ["'yes'::boolean", 'true'],
    ["'off'::boolean", 'false'],
    ["'414243'::binary = to_binary('414243')", 'true'],
    ["'2024-01-31'::date", '2024-01-31'],
    ["'10:11:12'::time", '10:11:12'],
    ["'2024-01-01 10:00:00'::timestamp_ntz(9)", '2024-01-01 10:00:00'],
    ["'2024-01-01 10:00:00'::datetime", '2024-01-01 10:00:00'],
    ['1700000000::timestamp_ntz', '2023-11-14 22:13:20'],
    ["'2024-01-01 10:00:00.5'::timestamp::varchar", '2024-01-01 10:00:00.500'],
    ["'abc'::variant", '"abc"'],
    ['5::variant', '5'],
    ["try_cast('x' as int)", null],
    ["try_cast('5' as number)", '5'],
    ["12.50::number(10,2)::string", '12.50'],
    ['true::varchar', 'true'],
  ])('%s → %s', async (expr, expected) => {
    expect((await db.texts(`select ${expr}`))[0]).toBe(expected);
  });

  it('maps result types like Snowflake', async () => {
    expect(await db.types("select 1::number(10,2), 'a'::varchar(5), 1::float, '2024-01-01'::timestamp_ltz, parse_json('1')")).toEqual([
      { type: 'NUMBER', precision: 10, scale: 2 }, { type: 'TEXT' }, { type: 'FLOAT' }, { type: 'TIMESTAMP_LTZ' },
      { type: 'VARIANT' },
    ]);
  });

  it('follows TIMESTAMP_TYPE_MAPPING for plain TIMESTAMP', async () => {
    expect(await db.types("select '2024-01-01'::timestamp", { timestampTypeMapping: 'TIMESTAMP_LTZ' })).toEqual([
      { type: 'TIMESTAMP_LTZ' },
    ]);
    expect(await db.types("select '2024-01-01'::timestamp")).toEqual([{ type: 'TIMESTAMP_NTZ' }]);
  });

  it('rejects unknown types with a compilation error', () => {
    expect(() => translate('select x::geography from t')).toThrow(/Unsupported data type 'GEOGRAPHY'/);
  });
});

describe('implicit conversions Snowflake allows', () => {
  it('compares BOOLEAN with a string and VARCHAR with a number', async () => {
    const row = await db.row("select b = 'FALSE', s = 1, s < 10, n = '1' from (values (false, '9', 1)) t(b, s, n)");
    expect(row).toEqual([true, false, true, true]);
  });
});

describe('errors', () => {
  it('names unknown functions like Snowflake', () => {
    expect(() => translate('select foo(1)')).toThrow(/Unknown function FOO/);
  });
  it.each(['next_day(d, 1)', 'object_pick(a, b)', "sha2('a', n)", 'random(42)', "to_varchar(1.5, '9.99EEEE')",
    'insert(a, 1, 2, b)', "to_timestamp(s, fmt)"])('refuses %s as unsupported', (expr) => {
    expect(() => translate(`select ${expr} from t`)).toThrow(/unsupported/);
  });
  it('checks argument counts', () => {
    expect(() => translate('select iff(1, 2)')).toThrow(/Invalid argument count for function IFF/);
  });
});

describe('statement structure', () => {
  it('rewrites expressions inside DML and DDL and leaves identifiers alone', () => {
    expect(translate('update T set "Mixed" = nvl(A, 0) where equal_null(a, B)')).toBe(
      'UPDATE T SET "Mixed" = COALESCE(A, 0) WHERE a IS NOT DISTINCT FROM B',
    );
    expect(translate('create table t (id int, ts timestamp default current_timestamp(), v variant)')).toBe(
      'CREATE TABLE t (id INT, ts TIMESTAMP DEFAULT current_timestamp, v VARIANT)',
    );
    expect(translate('merge into t using s on t.id = s.id when matched then update set t.v = nvl(s.v, 0) when not matched then insert (id, v) values (s.id, zeroifnull(s.v))')).toBe(
      'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.v = COALESCE(s.v, 0) WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, COALESCE(s.v, 0))',
    );
  });
  it('turns FLATTEN into a lateral json_each subquery and leaves other table functions alone', () => {
    expect(translate('select f.value from table(flatten(input => parse_json(x))) f')).toMatch(
      /^SELECT f\.value FROM LATERAL \(SELECT .* FROM JSON_EACH\(CAST\(x AS JSON\)\) AS e\) AS f$/s,
    );
    expect(translate('select * from table(result_scan(last_query_id()))')).toBe('SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
    expect(translate("select system$stream_has_data('s'), current_database()")).toBe(
      "SELECT SYSTEM$STREAM_HAS_DATA('s'), CURRENT_DATABASE()",
    );
  });
});
