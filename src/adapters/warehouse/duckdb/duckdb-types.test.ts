import { describe, it, expect } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseSfType } from '../../../core/types/snowflake-type.js';
import { duckDbColumnType, duckDbTypeFor, sfResultTypeFromDuckDb, sfResultTypeOfColumnType } from './duckdb-types.js';
import { duckDbDialect } from './duckdb-dialect.js';

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

describe('duckDbColumnType', () => {
  it('stores 128-bit DECIMALs uncompressed (DuckDB unpacks bit-packed ones ~50× slower), others as DuckDB chooses', async () => {
    expect(duckDbColumnType(parseSfType('INT'))).toBe('DECIMAL(38,0) USING COMPRESSION uncompressed');
    expect(duckDbColumnType(parseSfType('NUMBER(19,2)'))).toBe('DECIMAL(19,2) USING COMPRESSION uncompressed');
    expect(duckDbColumnType(parseSfType('NUMBER(18,0)'))).toBe('DECIMAL(18,0)');
    expect(duckDbColumnType(parseSfType('VARCHAR'))).toBe('VARCHAR');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const spec = (name: string, sf: string) => ({ name, type: parseSfType(sf), nullable: true });
    await con.run(duckDbDialect.createTable('t', [spec('ID', 'NUMBER(38,0)'), spec('N', 'NUMBER(18,0)')], false));
    await con.run('INSERT INTO t SELECT i, i FROM range(200000) r(i)');
    await con.run('CHECKPOINT');
    const r = await con.runAndReadAll(
      "SELECT column_name, list(DISTINCT compression ORDER BY compression) FROM pragma_storage_info('t') WHERE segment_type <> 'VALIDITY' GROUP BY ALL ORDER BY 1",
    );
    expect(r.getRows().map(([c, l]) => [c, String(l)])).toEqual([
      ['ID', "['Uncompressed']"],
      ['N', expect.not.stringContaining('Uncompressed')],
    ]);
    con.closeSync();
    inst.closeSync();
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
