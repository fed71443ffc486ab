import { describe, it, expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseSfType } from '../../../core/types/snowflake-type.js';
import { duckDbTypeFor, sfResultTypeFromDuckDb, sfResultTypeOfColumnType } from './duckdb-types.js';

describe('duckDbTypeFor', () => {
  it.each([
    ['NUMBER(10,2)', 'DECIMAL(10,2)'],
    ['INT', 'DECIMAL(38,0)'],
    ['FLOAT', 'DOUBLE'],
    ['VARCHAR(10)', 'VARCHAR'],
    ['BINARY', 'BLOB'],
    ['BOOLEAN', 'BOOLEAN'],
    ['DATE', 'DATE'],
    ['TIME', 'TIME'],
    ['TIMESTAMP', 'TIMESTAMP'],
    ['TIMESTAMP_LTZ', 'TIMESTAMPTZ'],
    ['TIMESTAMP_TZ', 'TIMESTAMPTZ'],
    ['VARIANT', 'JSON'],
    ['OBJECT', 'JSON'],
    ['ARRAY', 'JSON'],
  ])('%s → %s', (sf, duck) => {
    expect(duckDbTypeFor(parseSfType(sf))).toBe(duck);
  });
});

describe('sfResultTypeFromDuckDb', () => {
  it('maps the type text DuckDB reports for real result columns', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const r = await con.runAndReadAll(`SELECT 1::INTEGER a, 1::BIGINT b, 1::HUGEINT c, 1.5::DECIMAL(18,3) d, 1.5::DOUBLE e,
      'x' f, true g, DATE '2024-01-01' h, TIME '01:02:03' i, TIMESTAMP '2024-01-01' j, TIMESTAMPTZ '2024-01-01' k,
      '{}'::JSON l, 'ab'::BLOB m, uuid() n, [1,2] o, {'a': 1} p, MAP {'a': 1} q`);
    const mapped = r.columnTypes().map((t) => sfResultTypeOfColumnType(t));
    expect(mapped).toEqual([
      { type: 'NUMBER', precision: 38, scale: 0 },
      { type: 'NUMBER', precision: 38, scale: 0 },
      { type: 'NUMBER', precision: 38, scale: 0 },
      { type: 'NUMBER', precision: 18, scale: 3 },
      { type: 'FLOAT' },
      { type: 'TEXT' },
      { type: 'BOOLEAN' },
      { type: 'DATE' },
      { type: 'TIME' },
      { type: 'TIMESTAMP_NTZ' },
      { type: 'TIMESTAMP_LTZ' },
      { type: 'VARIANT' },
      { type: 'BINARY' },
      { type: 'TEXT' },
      { type: 'ARRAY' },
      { type: 'OBJECT' },
      { type: 'OBJECT' },
    ]);
  });

  it('handles textual forms', () => {
    expect(sfResultTypeFromDuckDb('DECIMAL(38, 0)')).toEqual({ type: 'NUMBER', precision: 38, scale: 0 });
    expect(sfResultTypeFromDuckDb('TIMESTAMP WITH TIME ZONE')).toEqual({ type: 'TIMESTAMP_LTZ' });
    expect(sfResultTypeFromDuckDb('TIMESTAMP_NS')).toEqual({ type: 'TIMESTAMP_NTZ' });
    expect(sfResultTypeFromDuckDb('VARCHAR[]')).toEqual({ type: 'ARRAY' });
  });
});
