import { describe, expect, it } from 'vitest';
import { tokenize } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { likeMatcher, parseShowOptions, showResult } from './show-common.js';
import { dataTypeJson } from './show-columns.js';
import { warehouseSize } from './show-account.js';

describe('likeMatcher', () => {
  it('matches case-insensitively with % and _', () => {
    const m = likeMatcher('cust%');
    expect(m('CUSTOMER')).toBe(true);
    expect(m('customers')).toBe(true);
    expect(m('MY_CUSTOMER')).toBe(false);
    expect(likeMatcher('T_')('T1')).toBe(true);
    expect(likeMatcher('T_')('T12')).toBe(false);
    expect(likeMatcher('%')('')).toBe(true);
  });

  it('treats regex characters literally and honours \\ escapes', () => {
    expect(likeMatcher('a.b')('a.b')).toBe(true);
    expect(likeMatcher('a.b')('axb')).toBe(false);
    expect(likeMatcher('MY\\_T')('MY_T')).toBe(true);
    expect(likeMatcher('MY\\_T')('MYXT')).toBe(false);
    expect(likeMatcher('(x)*')('(X)*')).toBe(true);
  });
});

describe('dataTypeJson', () => {
  it('builds Snowflake type descriptors with Snowflake key order', () => {
    expect(dataTypeJson({ kind: 'NUMBER', precision: 38, scale: 0 }, true)).toBe('{"type":"FIXED","precision":38,"scale":0,"nullable":true}');
    expect(dataTypeJson({ kind: 'VARCHAR', length: 16777216 }, true)).toBe('{"type":"TEXT","length":16777216,"byteLength":16777216,"nullable":true,"fixed":false}');
    expect(dataTypeJson({ kind: 'VARCHAR', length: 10 }, false)).toBe('{"type":"TEXT","length":10,"byteLength":40,"nullable":false,"fixed":false}');
    expect(dataTypeJson({ kind: 'TIMESTAMP_NTZ', precision: 9 }, true)).toBe('{"type":"TIMESTAMP_NTZ","precision":0,"scale":9,"nullable":true}');
    expect(dataTypeJson({ kind: 'TIME', precision: 3 }, true)).toBe('{"type":"TIME","precision":0,"scale":3,"nullable":true}');
    expect(dataTypeJson({ kind: 'FLOAT' }, true)).toBe('{"type":"REAL","nullable":true}');
    expect(dataTypeJson({ kind: 'BOOLEAN' }, true)).toBe('{"type":"BOOLEAN","nullable":true}');
    expect(dataTypeJson({ kind: 'DATE' }, true)).toBe('{"type":"DATE","nullable":true}');
    expect(dataTypeJson({ kind: 'VARIANT' }, true)).toBe('{"type":"VARIANT","nullable":true}');
    expect(dataTypeJson({ kind: 'BINARY', length: 8388608 }, true)).toBe('{"type":"BINARY","length":8388608,"byteLength":8388608,"nullable":true,"fixed":false}');
  });
});

describe('warehouseSize', () => {
  it('normalises every spelling to the display form', () => {
    expect(warehouseSize(undefined)).toBe('X-Small');
    expect(warehouseSize('XSMALL')).toBe('X-Small');
    expect(warehouseSize('x-small')).toBe('X-Small');
    expect(warehouseSize('MEDIUM')).toBe('Medium');
    expect(warehouseSize('XXLARGE')).toBe('2X-Large');
    expect(warehouseSize('X4LARGE')).toBe('4X-Large');
    expect(warehouseSize('6X-LARGE')).toBe('6X-Large');
  });
});

const opts = (sql: string) => parseShowOptions(new TokenCursor(tokenize(sql)), false);

describe('parseShowOptions', () => {
  it('reads LIKE, IN, STARTS WITH and LIMIT … FROM', () => {
    expect(opts(`LIKE 'a%' IN SCHEMA db.s STARTS WITH 'A' LIMIT 5 FROM 'B'`)).toEqual({
      terse: false,
      like: 'a%',
      in: { kind: 'SCHEMA', name: { database: undefined, schema: 'DB', name: 'S' } },
      startsWith: 'A',
      limit: 5,
      limitFrom: 'B',
    });
    expect(opts('IN ACCOUNT').in).toEqual({ kind: 'ACCOUNT' });
    expect(opts('IN DATABASE').in).toEqual({ kind: 'DATABASE' });
    expect(opts('IN DATABASE LIMIT 1').in).toEqual({ kind: 'DATABASE' });
    expect(opts('IN "x"').in).toEqual({ kind: 'NAME', name: { database: undefined, schema: undefined, name: 'x' } });
  });

  it('rejects anything else with a syntax error', () => {
    expect(() => opts('WHERE x')).toThrow(/unexpected 'WHERE'/);
    expect(() => opts('LIMIT x')).toThrow(/unexpected 'x'/);
  });
});

describe('showResult', () => {
  it('filters with LIKE / STARTS WITH (case-sensitive) / LIMIT and fills missing fields with NULL', () => {
    const rows = [{ name: 'ALPHA' }, { name: 'BETA' }, { name: 'alpine' }, { name: 'GAMMA' }];
    const r = showResult({ name: 'TEXT', other: 'NUMBER' }, rows, { like: 'al%' });
    expect(r.rows).toEqual([
      ['ALPHA', null],
      ['alpine', null],
    ]);
    expect(r.columns).toEqual([
      { name: 'name', type: 'TEXT' },
      { name: 'other', type: 'NUMBER', precision: 38, scale: 0 },
    ]);
    expect(showResult({ name: 'TEXT' }, rows, { startsWith: 'AL' }).rows).toEqual([['ALPHA']]);
    expect(showResult({ name: 'TEXT' }, rows, { limit: 2, limitFrom: 'B' }).rows).toEqual([['BETA'], ['alpine']]);
  });
});
