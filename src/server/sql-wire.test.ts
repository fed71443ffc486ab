import { describe, expect, it } from 'vitest';
import { FloeError, syntaxError } from '../core/errors.js';
import type { StatementResult } from '../core/result.js';
import { failureJsonLine, resultJsonLine } from '../cli/format/formatters.js';
import { decodeTypedLine, failureLine, resultLine } from './sql-wire.js';

const result: StatementResult = {
  statement: 3,
  sql: 'select …',
  queryId: 'q1',
  columns: [
    { name: 'BIG', type: 'NUMBER', precision: 38, scale: 0 },
    { name: 'DEC', type: 'NUMBER', precision: 10, scale: 2 },
    { name: 'F', type: 'FLOAT' },
    { name: 'S', type: 'TEXT' },
    { name: 'V', type: 'VARIANT' },
  ],
  rows: [
    [12345678901234567890n, '1.25', Number.NaN, '{"$n":"1"}', '{"a": 1}'],
    [1, null, -Infinity, 'x', null],
    [-2n, '-0.50', Infinity, '', '[]'],
  ],
  rowsAffected: 3,
};

describe('SQL wire lines', () => {
  it('json lines are exactly floe sql --format json', () => {
    expect(resultLine(result, 'json')).toBe(resultJsonLine(result));
    const failure = { statement: 2, sql: 'selec 1', error: syntaxError('bad', 1, 1), file: 'a.sql' };
    expect(failureLine(failure, 'json')).toBe(failureJsonLine(failure));
    expect(JSON.parse(failureLine({ ...failure, fatal: true }, 'json'))).toMatchObject({ statement: 2, fatal: true, error: { code: 'SQL_SYNTAX' } });
  });

  it('typed lines round-trip results losslessly (bigint, non-finite floats, decimal text)', () => {
    const { outcome, fatal } = decodeTypedLine(resultLine(result, 'typed'));
    expect(fatal).toBe(false);
    expect(outcome).toEqual({ ok: true, result });
  });

  it('typed lines round-trip failures as FloeErrors with code and location', () => {
    const line = failureLine({ statement: 4, sql: 'x', error: syntaxError('bad', 2, 5) }, 'typed');
    const { outcome } = decodeTypedLine(line);
    if (outcome.ok) throw new Error('expected a failure');
    expect(outcome.error).toBeInstanceOf(FloeError);
    expect(outcome.error.code).toBe('SQL_SYNTAX');
    expect(outcome.error.snowflakeCode).toBe('001003');
    expect(outcome.error.location).toEqual({ line: 2, column: 5 });
    expect(outcome.error.message).toBe('SQL compilation error:\nbad');
    const fatal = decodeTypedLine(failureLine({ statement: 1, sql: '', error: new Error('boom'), fatal: true }, 'typed'));
    expect(fatal.fatal).toBe(true);
    expect(fatal.outcome.ok === false && fatal.outcome.error.code).toBe('INTERNAL');
  });
});
