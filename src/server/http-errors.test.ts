import { describe, expect, it } from 'vitest';
import { FloeError, notFound, syntaxError, type ErrorCode } from '../core/errors.js';
import { errorBody, httpStatus } from './http-errors.js';

describe('HTTP error mapping', () => {
  it('maps every FloeError code to a status', () => {
    const expected: Record<ErrorCode, number> = {
      SQL_SYNTAX: 400,
      SQL_COMPILATION: 400,
      UNSUPPORTED: 400,
      SQL_EXECUTION: 400,
      NONDETERMINISTIC_MERGE: 400,
      NOT_NULL_VIOLATION: 400,
      TRANSACTION: 400,
      CONFIG: 400,
      OBJECT_NOT_FOUND: 404,
      OBJECT_EXISTS: 409,
      CONFLICT: 409,
      FLOW: 422,
      STORAGE: 502,
      WAREHOUSE_FAILED: 503,
      INTERNAL: 500,
    };
    for (const [code, status] of Object.entries(expected)) expect([code, httpStatus(new FloeError(code as ErrorCode, 'x'))]).toEqual([code, status]);
  });

  it('reports FloeErrors with code, Snowflake code and location; hides anything else', () => {
    expect(errorBody(syntaxError('bad', 1, 7))).toEqual({
      error: { code: 'SQL_SYNTAX', message: 'SQL compilation error:\nbad', snowflakeCode: '001003', location: { line: 1, column: 7 } },
    });
    expect(errorBody(notFound('Table', 'T')).error.code).toBe('OBJECT_NOT_FOUND');
    const bug = new TypeError('cannot read x of undefined at /secret/path');
    expect(httpStatus(bug)).toBe(500);
    expect(errorBody(bug)).toEqual({ error: { code: 'INTERNAL', message: 'internal error (see the floe run output)' } });
  });
});
