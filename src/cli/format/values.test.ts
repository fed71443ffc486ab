import { describe, expect, it } from 'vitest';
import type { ResultColumn, ResultTypeName } from '../../core/result.js';
import { compactJson, decimalJsonText, displayText, jsonValue, timestampMillis } from './values.js';

const col = (type: ResultTypeName, scale?: number): ResultColumn => ({ name: 'C', type, scale });

describe('jsonValue (DESIGN.md §3 value encoding)', () => {
  it('encodes NULL and BOOLEAN', () => {
    expect(jsonValue(null, col('NUMBER'))).toBe('null');
    expect(jsonValue(null, col('VARIANT'))).toBe('null');
    expect(jsonValue(true, col('BOOLEAN'))).toBe('true');
    expect(jsonValue(false, col('BOOLEAN'))).toBe('false');
  });

  it('encodes NUMBER scale 0 as numbers, and as strings beyond 2^53', () => {
    expect(jsonValue(42, col('NUMBER', 0))).toBe('42');
    expect(jsonValue(-7n, col('NUMBER', 0))).toBe('-7');
    expect(jsonValue(9007199254740991n, col('NUMBER', 0))).toBe('9007199254740991');
    expect(jsonValue(9007199254740992n, col('NUMBER', 0))).toBe('"9007199254740992"');
    expect(jsonValue(-99999999999999999999999999999999999999n, col('NUMBER', 0))).toBe('"-99999999999999999999999999999999999999"');
  });

  it('prints NUMBER scale > 0 as a JSON number with the exact decimal text', () => {
    expect(jsonValue('12.30', col('NUMBER', 2))).toBe('12.30');
    expect(jsonValue('-0.000000000000000000000000000001', col('NUMBER', 30))).toBe('-0.000000000000000000000000000001');
    expect(jsonValue('12345678901234567890123456789.123456789', col('NUMBER', 9))).toBe('12345678901234567890123456789.123456789');
    expect(JSON.parse(`[${jsonValue('1.5', col('NUMBER', 1))}]`)).toEqual([1.5]);
  });

  it('encodes FLOAT, with NaN and infinities as strings', () => {
    expect(jsonValue(1.5, col('FLOAT'))).toBe('1.5');
    expect(jsonValue(1e300, col('FLOAT'))).toBe('1e+300');
    expect(jsonValue(NaN, col('FLOAT'))).toBe('"NaN"');
    expect(jsonValue(Infinity, col('FLOAT'))).toBe('"inf"');
    expect(jsonValue(-Infinity, col('FLOAT'))).toBe('"-inf"');
    expect(jsonValue('NaN', col('FLOAT'))).toBe('"NaN"');
    expect(jsonValue('-inf', col('FLOAT'))).toBe('"-inf"');
  });

  it('encodes TEXT, DATE, TIME and BINARY as strings', () => {
    expect(jsonValue('a "quoted"\nline', col('TEXT'))).toBe('"a \\"quoted\\"\\nline"');
    expect(jsonValue('2024-02-29', col('DATE'))).toBe('"2024-02-29"');
    expect(jsonValue('13:45:00.123456', col('TIME'))).toBe('"13:45:00.123456"');
    expect(jsonValue('DEADBEEF', col('BINARY'))).toBe('"DEADBEEF"');
  });

  it('truncates timestamps to milliseconds and keeps the offset of LTZ/TZ', () => {
    expect(jsonValue('2024-01-02 03:04:05.678999', col('TIMESTAMP_NTZ'))).toBe('"2024-01-02 03:04:05.678"');
    expect(jsonValue('2024-01-02 03:04:05', col('TIMESTAMP_NTZ'))).toBe('"2024-01-02 03:04:05.000"');
    expect(jsonValue('2024-01-02 03:04:05.100000 +0100', col('TIMESTAMP_LTZ'))).toBe('"2024-01-02 03:04:05.100 +0100"');
    expect(jsonValue('1999-12-31 23:59:59.999999 -0530', col('TIMESTAMP_TZ'))).toBe('"1999-12-31 23:59:59.999 -0530"');
  });

  it('embeds VARIANT/OBJECT/ARRAY as JSON values, keeping big numbers exact', () => {
    expect(jsonValue('{\n  "a": 1,\n  "b": [true, null]\n}', col('OBJECT'))).toBe('{"a":1,"b":[true,null]}');
    expect(jsonValue('[1, "two words"]', col('ARRAY'))).toBe('[1,"two words"]');
    expect(jsonValue('"just a string"', col('VARIANT'))).toBe('"just a string"');
    expect(jsonValue('{"n": 123456789012345678901234567890}', col('VARIANT'))).toBe('{"n":123456789012345678901234567890}');
    expect(jsonValue('not json', col('VARIANT'))).toBe('"not json"');
  });
});

describe('helpers', () => {
  it('normalizes decimal text to JSON number syntax', () => {
    expect(decimalJsonText('+1.50')).toBe('1.50');
    expect(decimalJsonText('.5')).toBe('0.5');
    expect(decimalJsonText('-.5')).toBe('-0.5');
    expect(decimalJsonText('007')).toBe('7');
    expect(decimalJsonText('1.')).toBe('1');
    expect(decimalJsonText('1E+5')).toBe('1e5');
    expect(decimalJsonText('abc')).toBeNull();
    expect(decimalJsonText('.')).toBeNull();
  });

  it('truncates, never rounds, timestamp fractions', () => {
    expect(timestampMillis('2024-01-01 00:00:00.9999')).toBe('2024-01-01 00:00:00.999');
    expect(timestampMillis('2024-01-01 00:00:00.5')).toBe('2024-01-01 00:00:00.500');
    expect(timestampMillis('garbage')).toBe('garbage');
  });

  it('compacts JSON text without touching strings', () => {
    expect(compactJson('{ "a b": "c \\" d" }')).toBe('{"a b":"c \\" d"}');
    expect(compactJson('{')).toBeNull();
  });
});

describe('displayText', () => {
  it('renders values for tables and CSV', () => {
    expect(displayText(true, col('BOOLEAN'), 'table')).toBe('True');
    expect(displayText(true, col('BOOLEAN'), 'csv')).toBe('true');
    expect(displayText(12345678901234567890n, col('NUMBER', 0), 'table')).toBe('12345678901234567890');
    expect(displayText('1.10', col('NUMBER', 2), 'table')).toBe('1.10');
    expect(displayText(NaN, col('FLOAT'), 'csv')).toBe('NaN');
    expect(displayText(-Infinity, col('FLOAT'), 'table')).toBe('-inf');
    expect(displayText('2024-01-01 10:00:00.123456', col('TIMESTAMP_NTZ'), 'table')).toBe('2024-01-01 10:00:00.123');
    expect(displayText('{ "a": 1 }', col('VARIANT'), 'csv')).toBe('{"a":1}');
  });
});
