import { describe, it, expect } from 'vitest';
import { parseSfType, formatSfType, resultTypeOf } from './snowflake-type.js';

const fmt = (text: string) => formatSfType(parseSfType(text));

describe('parseSfType / formatSfType', () => {
  it.each([
    ['INT', 'NUMBER(38,0)'],
    ['integer', 'NUMBER(38,0)'],
    ['BIGINT', 'NUMBER(38,0)'],
    ['byteint', 'NUMBER(38,0)'],
    ['NUMBER', 'NUMBER(38,0)'],
    ['DECIMAL', 'NUMBER(38,0)'],
    ['NUMBER(10, 2)', 'NUMBER(10,2)'],
    ['numeric(5)', 'NUMBER(5,0)'],
    ['FLOAT', 'FLOAT'],
    ['FLOAT4', 'FLOAT'],
    ['DOUBLE PRECISION', 'FLOAT'],
    ['double', 'FLOAT'],
    ['REAL', 'FLOAT'],
    ['VARCHAR', 'VARCHAR(16777216)'],
    ['STRING', 'VARCHAR(16777216)'],
    ['text', 'VARCHAR(16777216)'],
    ['VARCHAR(20)', 'VARCHAR(20)'],
    ['NVARCHAR(10)', 'VARCHAR(10)'],
    ['CHARACTER VARYING(5)', 'VARCHAR(5)'],
    ['CHAR', 'VARCHAR(1)'],
    ['CHAR(3)', 'VARCHAR(3)'],
    ['BINARY', 'BINARY(8388608)'],
    ['VARBINARY(16)', 'BINARY(16)'],
    ['BOOLEAN', 'BOOLEAN'],
    ['DATE', 'DATE'],
    ['TIME', 'TIME(9)'],
    ['TIME(3)', 'TIME(3)'],
    ['TIMESTAMP', 'TIMESTAMP_NTZ(9)'],
    ['DATETIME', 'TIMESTAMP_NTZ(9)'],
    ['TIMESTAMP(3)', 'TIMESTAMP_NTZ(3)'],
    ['timestamp_ntz', 'TIMESTAMP_NTZ(9)'],
    ['TIMESTAMPNTZ(9)', 'TIMESTAMP_NTZ(9)'],
    ['TIMESTAMP_LTZ(6)', 'TIMESTAMP_LTZ(6)'],
    ['TIMESTAMPLTZ', 'TIMESTAMP_LTZ(9)'],
    ['TIMESTAMP WITH LOCAL TIME ZONE', 'TIMESTAMP_LTZ(9)'],
    ['TIMESTAMP_TZ', 'TIMESTAMP_TZ(9)'],
    ['TIMESTAMPTZ(3)', 'TIMESTAMP_TZ(3)'],
    ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_TZ(9)'],
    ['TIMESTAMP(3) WITH TIME ZONE', 'TIMESTAMP_TZ(3)'],
    ['VARIANT', 'VARIANT'],
    ['object', 'OBJECT'],
    ['ARRAY', 'ARRAY'],
  ])('%s → %s', (input, expected) => {
    expect(fmt(input)).toBe(expected);
  });

  it.each([
    ['NUMBER(39,0)', /Precision/],
    ['NUMBER(0)', /Precision/],
    ['NUMBER(5,6)', /Scale/],
    ['VARCHAR(0)', /Length/],
    ['VARCHAR(16777217)', /Length/],
    ['TIMESTAMP(10)', /precision/],
    ['GEOGRAPHY', /Unsupported data type 'GEOGRAPHY'\./],
    ['INT(5)', /Unsupported data type/],
    ['NUMBER(a)', /Unsupported data type/],
  ])('rejects %s', (input, msg) => {
    expect(() => parseSfType(input)).toThrow(msg);
    try {
      parseSfType(input);
    } catch (e) {
      expect((e as { code: string }).code).toBe('SQL_COMPILATION');
    }
  });
});

describe('resultTypeOf', () => {
  it('maps types to result metadata', () => {
    expect(resultTypeOf(parseSfType('NUMBER(10,2)'))).toEqual({ type: 'NUMBER', precision: 10, scale: 2 });
    expect(resultTypeOf(parseSfType('VARCHAR(5)'))).toEqual({ type: 'TEXT' });
    expect(resultTypeOf(parseSfType('TIMESTAMP'))).toEqual({ type: 'TIMESTAMP_NTZ' });
    expect(resultTypeOf(parseSfType('VARIANT'))).toEqual({ type: 'VARIANT' });
    expect(resultTypeOf(parseSfType('BINARY'))).toEqual({ type: 'BINARY' });
    expect(resultTypeOf(parseSfType('FLOAT'))).toEqual({ type: 'FLOAT' });
  });
});
