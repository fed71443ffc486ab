import { describe, expect, it } from 'vitest';
import { FloeError, notFound } from '../../core/errors.js';
import type { StatementResult } from '../../core/result.js';
import { errorText, useColor } from './errors.js';
import { createFormatter, failureJsonLine, resultCsv, resultJsonLine, type OutputStream } from './formatters.js';

const result: StatementResult = {
  statement: 1,
  sql: 'select 1 as a, \'x\' as b',
  columns: [
    { name: 'A', type: 'NUMBER', precision: 38, scale: 0 },
    { name: 'B', type: 'TEXT' },
    { name: 'AMOUNT', type: 'NUMBER', precision: 10, scale: 2 },
    { name: 'TS', type: 'TIMESTAMP_NTZ' },
    { name: 'V', type: 'VARIANT' },
  ],
  rows: [
    [1, 'x', '10.50', '2024-01-01 12:00:00.123456', '{"k": [1, 2]}'],
    [null, '', null, null, null],
  ],
  queryId: 'q1',
};

const sink = (extra: Partial<OutputStream> = {}): OutputStream & { text: () => string } => {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text, ...extra };
};

describe('JSON Lines', () => {
  it('prints one object per result exactly as the contract says', () => {
    expect(resultJsonLine(result)).toBe(
      '{"statement":1,"sql":"select 1 as a, \'x\' as b","columns":["A","B","AMOUNT","TS","V"],' +
        '"rows":[[1,"x",10.50,"2024-01-01 12:00:00.123",{"k":[1,2]}],[null,"",null,null,null]]}',
    );
    expect(JSON.parse(resultJsonLine(result)).rows[0][2]).toBe(10.5);
  });

  it('prints failures with floe code, message, Snowflake code and location', () => {
    const line = failureJsonLine({ statement: 2, sql: 'select * from nope', error: notFound('Table', 'NOPE'), file: 'a.sql' });
    expect(JSON.parse(line)).toEqual({
      statement: 2,
      sql: 'select * from nope',
      error: {
        code: 'OBJECT_NOT_FOUND',
        message: "SQL compilation error:\nTable 'NOPE' does not exist or not authorized.",
        snowflakeCode: '002003',
        location: { file: 'a.sql' },
      },
    });
  });

  it('reports non-floe errors as INTERNAL', () => {
    expect(JSON.parse(failureJsonLine({ statement: 1, sql: 'x', error: new Error('boom') })).error).toEqual({
      code: 'INTERNAL',
      message: 'boom',
    });
  });

  it('writes failures to stdout in order with results', () => {
    const out = sink();
    const err = sink();
    const f = createFormatter('json', { stdout: out, stderr: err, env: {} });
    f.result(result, 1);
    f.failure({ statement: 2, sql: 'bad', error: new FloeError('UNSUPPORTED', 'unsupported: X') });
    const lines = out.text().trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).statement)).toEqual([1, 2]);
    expect(err.text()).toBe('');
  });
});

describe('CSV', () => {
  it('prints a header and RFC 4180 rows; NULL is empty, empty string is ""', () => {
    expect(resultCsv({ ...result, rows: [...result.rows, [3, 'a,"b"\nc', '1.00', null, null]] })).toBe(
      'A,B,AMOUNT,TS,V\n' +
        '1,x,10.50,2024-01-01 12:00:00.123,"{""k"":[1,2]}"\n' +
        ',"",,,\n' +
        '3,"a,""b""\nc",1.00,,\n',
    );
  });

  it('separates statements with a blank line and sends errors to stderr', () => {
    const out = sink();
    const err = sink();
    const f = createFormatter('csv', { stdout: out, stderr: err, env: {} });
    const one = { ...result, columns: [result.columns[0]], rows: [[1]] };
    f.result(one, 0);
    f.result({ ...one, statement: 2 }, 0);
    f.failure({ statement: 3, sql: 'x', error: new FloeError('SQL_SYNTAX', 'bad') });
    expect(out.text()).toBe('A\n1\n\nA\n1\n');
    expect(err.text()).toContain('001003 (SQL_SYNTAX): bad');
  });
});

describe('table', () => {
  it('prints the table, NULLs and the SnowSQL footer', () => {
    const out = sink({ columns: 200 });
    createFormatter('table', { stdout: out, stderr: sink(), env: {} }).result(result, 12.4);
    expect(out.text()).toBe(
      [
        '+------+---+--------+-------------------------+-------------+',
        '|    A | B | AMOUNT | TS                      | V           |',
        '|------+---+--------+-------------------------+-------------|',
        '|    1 | x |  10.50 | 2024-01-01 12:00:00.123 | {"k":[1,2]} |',
        '| NULL |   |   NULL | NULL                    | NULL        |',
        '+------+---+--------+-------------------------+-------------+',
        '2 Row(s) produced. Time Elapsed: 0.012s',
        '',
      ].join('\n'),
    );
  });

  it('colours errors red on a terminal unless NO_COLOR is set', () => {
    const failure = { statement: 1, sql: 'x', error: new FloeError('SQL_SYNTAX', 'bad') };
    const tty = sink({ isTTY: true });
    createFormatter('table', { stdout: sink(), stderr: tty, env: {} }).failure(failure);
    expect(tty.text()).toContain('\u001b[31m');
    const noColor = sink({ isTTY: true });
    createFormatter('table', { stdout: sink(), stderr: noColor, env: { NO_COLOR: '1' } }).failure(failure);
    expect(noColor.text()).not.toContain('\u001b[');
    expect(useColor({ isTTY: false }, {})).toBe(false);
  });
});

describe('errorText', () => {
  it('names the statement, file and line', () => {
    const error = new FloeError('SQL_SYNTAX', 'SQL compilation error:\nsyntax error', { location: { line: 3, column: 5 } });
    expect(errorText({ statement: 4, sql: 'x', error, file: 'load.sql' })).toBe(
      'Statement 4 (load.sql:3:5) failed:\n001003 (SQL_SYNTAX): SQL compilation error:\nsyntax error',
    );
    expect(errorText({ statement: 1, sql: 'x', error: new FloeError('UNSUPPORTED', 'unsupported: QUALIFY') })).toBe(
      'Statement 1 failed:\nUNSUPPORTED: unsupported: QUALIFY',
    );
  });
});
