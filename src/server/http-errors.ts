/**
 * The one place where failures become HTTP responses: FloeError codes map to statuses, and every error body
 * has the same shape `{"error": {"code", "message"[, "snowflakeCode", "location"]}}`. Anything that is not a
 * FloeError is a bug: it is reported as INTERNAL without its details (the server log has them).
 */
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { FloeError, type ErrorCode } from '../core/errors.js';
import { errorReport, type ErrorReport } from '../cli/format/errors.js';

type ErrorStatus = ClientErrorStatusCode | ServerErrorStatusCode;

const STATUS: Record<ErrorCode, ErrorStatus> = {
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

export function httpStatus(error: unknown): ErrorStatus {
  return error instanceof FloeError ? STATUS[error.code] : 500;
}

export interface ErrorBody {
  error: ErrorReport;
}

export function errorBody(error: unknown): ErrorBody {
  if (error instanceof FloeError) return { error: errorReport(error) };
  return { error: { code: 'INTERNAL', message: 'internal error (see the floe run output)' } };
}
