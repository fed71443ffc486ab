import { describe, expect, it } from 'vitest';
import { jsonErrorMessage, rewriteJson } from './json-text.js';

describe('JSON document reasons', () => {
  it('explains malformed documents with a position', () => {
    expect(jsonErrorMessage('not json', false)).toBe('Error parsing JSON: unknown keyword "not", pos 1');
    expect(jsonErrorMessage('{"a": 1', false)).toBe('Error parsing JSON: incomplete object value, pos 8');
    expect(jsonErrorMessage('{"a" 1}', false)).toBe('Error parsing JSON: missing colon, pos 6');
    expect(jsonErrorMessage('[1 2]', false)).toBe('Error parsing JSON: missing comma, pos 4');
    expect(jsonErrorMessage('{"a": "x}', false)).toBe('Error parsing JSON: unterminated string, pos 7');
    expect(jsonErrorMessage('{"a":1} {"b":2}', false)).toBe('Error parsing JSON: more than one document in the input, pos 9');
    expect(jsonErrorMessage('', false)).toBe('Error parsing JSON: empty document, pos 1');
    expect(jsonErrorMessage('01', false)).toMatch(/invalid number/);
  });

  it('accepts what the engine accepts and reports duplicates only when asked', () => {
    for (const ok of ['{"a":1,}', '[1,2,]', 'NaN', '-Infinity', ' {"a" : [1, {"b": null}]} ', '"\\u00e9\\n"', '1e999', '12345678901234567890123']) {
      expect(jsonErrorMessage(ok, true), ok).toBeUndefined();
    }
    expect(jsonErrorMessage('{"a":1,"b":{"c":1,"c":2}}', false)).toBeUndefined();
    expect(jsonErrorMessage('{"a":1,"b":{"c":1,"c":2}}', true)).toBe('Error parsing JSON: duplicate object attribute "c", pos 19');
    expect(jsonErrorMessage('[{"a":1},{"a":2}]', true)).toBeUndefined();
  });
});

describe('JSON rewrites', () => {
  it('keeps the last value of a repeated key and keeps number text exactly', () => {
    expect(rewriteJson('{"a":1,"b":2,"a":{"x":12345678901234567890.50}}', { lastWins: true, stripNulls: false })).toBe('{"b":2,"a":{"x":12345678901234567890.50}}');
  });

  it('strips null fields and array elements at every depth', () => {
    expect(rewriteJson('{"a":null,"b":[1,null,{"c":null,"d":"null"}],"e":{}}', { lastWins: false, stripNulls: true })).toBe('{"b":[1,{"d":"null"}],"e":{}}');
    expect(rewriteJson('null', { lastWins: false, stripNulls: true })).toBe('null');
  });

  it('returns a document it cannot parse unchanged', () => {
    expect(rewriteJson('{oops', { lastWins: true, stripNulls: true })).toBe('{oops');
  });
});
