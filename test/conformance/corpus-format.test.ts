import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CorpusFormatError, parseCorpus, runsOn } from './corpus-format.js';
import { compareResult, errorMatches, stableStringify } from './result-compare.js';
import type { ResultColumn } from '../../src/core/result.js';

describe('parseCorpus', () => {
  it('parses statement, error and query blocks', () => {
    const text = [
      '# a comment',
      'statement ok',
      'CREATE TABLE t (k INT,',
      '  v VARCHAR);',
      '',
      'statement error does not exist',
      'SELECT * FROM nope;',
      '',
      'statement error /syntax error line \\d+/i',
      'SELEC 1;',
      '',
      'query rowsort',
      'SELECT k, v FROM t;',
      '----',
      '["K", "V"]',
      '[1, "a"]',
      '[2, null]',
      '',
      'query',
      'INSERT INTO t VALUES (1, \'x\');',
      '----',
      '["number of rows inserted"]',
      '[1]',
    ].join('\n');
    const blocks = parseCorpus(text, 'f.sqlt');
    expect(blocks).toHaveLength(5);
    expect(blocks[0]).toMatchObject({ kind: 'ok', line: 2, sql: 'CREATE TABLE t (k INT,\n  v VARCHAR);' });
    expect(blocks[1]).toMatchObject({ kind: 'error', line: 6, expectError: 'does not exist' });
    expect(blocks[2].expectError).toBeInstanceOf(RegExp);
    expect((blocks[2].expectError as RegExp).test('Syntax error line 1 at position 0')).toBe(true);
    expect(blocks[3]).toMatchObject({
      kind: 'query',
      rowsort: true,
      columns: ['K', 'V'],
      rows: [
        [1, 'a'],
        [2, null],
      ],
    });
    expect(blocks[4]).toMatchObject({ kind: 'query', rowsort: false, rows: [[1]] });
  });

  it('does not end a statement at a ; inside $$ bodies, strings or comments', () => {
    const text = [
      'statement ok',
      'CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$',
      '  var x = 1;',
      '',
      '  return "a;";',
      '$$;',
      '',
      'query',
      "SELECT 'a;",
      "b' AS s -- not the end;",
      '/* still not;',
      '*/ ;',
      '----',
      '["S"]',
      '["a;\\nb"]',
    ].join('\n');
    const blocks = parseCorpus(text, 'f.sqlt');
    expect(blocks).toHaveLength(2);
    expect(blocks[0].sql.endsWith('$$;')).toBe(true);
    expect(blocks[0].sql).toContain('return "a;";');
    expect(blocks[1].sql.split('\n')).toHaveLength(4);
  });

  it('keeps verify comments and skipif/onlyif on the next block', () => {
    const text = [
      '# verify: exact wording unknown',
      '#   continued',
      'skipif snowflake',
      'statement error',
      'SELECT 1;',
      '',
      '# verify: dropped by the blank line',
      '',
      'onlyif duckdb',
      'statement ok',
      'SELECT 2;',
    ].join('\n');
    const [a, b] = parseCorpus(text, 'f.sqlt');
    expect(a.verify).toBe('exact wording unknown continued');
    expect(a.expectError).toBeUndefined();
    expect(runsOn(a, 'snowflake')).toBe(false);
    expect(runsOn(a, 'duckdb')).toBe(true);
    expect(b.verify).toBeUndefined();
    expect(runsOn(b, 'duckdb')).toBe(true);
    expect(runsOn(b, 'postgres')).toBe(false);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown header', 'select 1;', /f\.sqlt:1: expected 'statement ok'/],
    ['unterminated', 'statement ok\nSELECT 1\n\nstatement ok\nSELECT 2;', /f\.sqlt:1: statement is not terminated/],
    ['unterminated $$', 'statement ok\nSELECT $$abc;', /f\.sqlt:1: .*unterminated \$\$ body/],
    ['missing ----', 'query\nSELECT 1;\n["A"]', /f\.sqlt:3: query block: expected '----'/],
    ['missing columns', 'query\nSELECT 1;\n----', /f\.sqlt:4: query block: expected a JSON array of column names/],
    ['bad row json', 'query\nSELECT 1;\n----\n["A"]\n[1,', /f\.sqlt:5: row is not valid JSON/],
    ['row width', 'query\nSELECT 1;\n----\n["A"]\n[1, 2]', /f\.sqlt:5: row has 2 values but the block has 1 columns/],
    ['results after statement', 'statement ok\nSELECT 1;\n----\n["A"]', /f\.sqlt:3: '----' .* only allowed in query blocks/],
    ['text after statement', 'statement ok\nSELECT 1;\nSELECT 2;', /f\.sqlt:3: unexpected text after the statement/],
    ['bad option', 'query valuesort\nSELECT 1;\n----\n["A"]', /f\.sqlt:1: unknown query option 'valuesort'/],
    ['bad regex', 'statement error /(/\nSELECT 1;', /f\.sqlt:1: invalid error regex/],
    ['dangling skipif', 'skipif duckdb\n\nstatement ok\nSELECT 1;', /f\.sqlt:2: skipif\/onlyif must be followed/],
  ];
  for (const [name, text, message] of bad) {
    it(`reports ${name} with file:line`, () => {
      let err: unknown;
      try {
        parseCorpus(text, 'f.sqlt');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CorpusFormatError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it('parses every corpus file', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
    const files = readdirSync(dir).filter((f) => f.endsWith('.sqlt'));
    expect(files.length).toBeGreaterThan(0);
    let statements = 0;
    for (const f of files) statements += parseCorpus(readFileSync(join(dir, f), 'utf8'), f).length;
    expect(statements).toBeGreaterThanOrEqual(180);
  });
});

describe('compareResult', () => {
  const col = (name: string, type: ResultColumn['type'] = 'NUMBER'): ResultColumn => ({ name, type });

  it('compares numbers by value (number or bigint)', () => {
    expect(compareResult({ columns: ['A'], rows: [[1]] }, [col('A')], [[1n]])).toBeUndefined();
    expect(compareResult({ columns: ['A'], rows: [[1]] }, [col('A')], [[1]])).toBeUndefined();
    expect(compareResult({ columns: ['A'], rows: [[1]] }, [col('A')], [[2]])).toMatch(/rows differ/);
  });

  it('keeps decimal strings exact', () => {
    expect(compareResult({ columns: ['A'], rows: [['10.50']] }, [col('A')], [['10.50']])).toBeUndefined();
    expect(compareResult({ columns: ['A'], rows: [['10.50']] }, [col('A')], [['10.5']])).toMatch(/rows differ/);
  });

  it('normalises JSON in VARIANT/OBJECT/ARRAY columns only', () => {
    const exp = { columns: ['V'], rows: [['{"a":1,"b":[1,2]}']] };
    expect(compareResult(exp, [col('V', 'VARIANT')], [['{ "b": [1, 2], "a": 1 }']])).toBeUndefined();
    expect(compareResult(exp, [col('V', 'TEXT')], [['{ "b": [1, 2], "a": 1 }']])).toMatch(/rows differ/);
  });

  it('checks column names', () => {
    expect(compareResult({ columns: ['A'], rows: [] }, [col('a')], [])).toMatch(/column names differ/);
  });

  it('sorts rows for rowsort only', () => {
    const rows = [[2], [1]];
    expect(compareResult({ columns: ['A'], rows: [[1], [2]], rowsort: true }, [col('A')], rows)).toBeUndefined();
    expect(compareResult({ columns: ['A'], rows: [[1], [2]] }, [col('A')], rows)).toMatch(/rows differ/);
    expect(compareResult({ columns: ['A'], rows: [[1]], rowsort: true }, [col('A')], rows)).toMatch(/rows differ/);
  });

  it('stableStringify ignores key order', () => {
    expect(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
  });

  it('matches errors by substring or regex', () => {
    expect(errorMatches('not exist', "Object 'X' does not exist")).toBe(true);
    expect(errorMatches(/line \d+/, 'syntax error line 3')).toBe(true);
    expect(errorMatches('nope', 'other')).toBe(false);
    expect(errorMatches(undefined, 'anything')).toBe(true);
  });
});
