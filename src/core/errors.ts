/**
 * Typed errors with stable codes. The CLI and HTTP edges map codes to exit codes / status codes;
 * messages follow Snowflake's wording where a Snowflake user would recognise them.
 */
export type ErrorCode =
  | 'SQL_SYNTAX' // 001003 in Snowflake
  | 'SQL_COMPILATION' // 002xxx family
  | 'OBJECT_NOT_FOUND' // 002003
  | 'OBJECT_EXISTS' // 002002
  | 'UNSUPPORTED' // floe does not translate this construct (yet)
  | 'SQL_EXECUTION' // 100xxx family: data errors at run time
  | 'NONDETERMINISTIC_MERGE' // 100090
  | 'NOT_NULL_VIOLATION' // 100072
  | 'TRANSACTION' // transaction state errors
  | 'CONFIG' // bad floe.yaml / CLI arguments
  | 'FLOW' // flow engine: invalid flow, processor failure, state store problems
  | 'CONFLICT' // stale revision or an operation not allowed in the component's current state (HTTP 409)
  | 'STORAGE' // object store failures: invalid key, missing object, backend errors
  | 'WAREHOUSE_FAILED' // the backend failed so that its in-memory state cannot be trusted: the process must restart
  | 'INTERNAL';

/** Snowflake's numeric error codes, reported alongside floe's codes where one exists. */
const SNOWFLAKE_CODES: Partial<Record<ErrorCode, string>> = {
  SQL_SYNTAX: '001003',
  SQL_COMPILATION: '002000',
  OBJECT_NOT_FOUND: '002003',
  OBJECT_EXISTS: '002002',
  SQL_EXECUTION: '100000',
  NONDETERMINISTIC_MERGE: '100090',
  NOT_NULL_VIOLATION: '100072',
};

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  statement?: number;
}

export class FloeError extends Error {
  readonly code: ErrorCode;
  location: ErrorLocation | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; location?: ErrorLocation }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FloeError';
    this.code = code;
    this.location = options?.location;
  }

  get snowflakeCode(): string | undefined {
    return SNOWFLAKE_CODES[this.code];
  }
}

export const syntaxError = (message: string, line?: number, column?: number): FloeError =>
  new FloeError('SQL_SYNTAX', `SQL compilation error:\n${message}`, { location: { line, column } });

export const compilationError = (message: string): FloeError =>
  new FloeError('SQL_COMPILATION', `SQL compilation error:\n${message}`);

/** `Object 'X' does not exist or not authorized.` — Snowflake's wording for every missing object kind. */
export const notFound = (kind: string, name: string): FloeError =>
  new FloeError('OBJECT_NOT_FOUND', `SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`);

export const alreadyExists = (kind: string, name: string): FloeError =>
  new FloeError('OBJECT_EXISTS', `SQL compilation error:\nObject '${name}' already exists.`, {
    cause: { kind },
  });

/** A construct floe parses but does not translate yet: always `unsupported: <construct>`. */
export const unsupported = (construct: string): FloeError =>
  new FloeError('UNSUPPORTED', `unsupported: ${construct}`);

export const executionError = (message: string, cause?: unknown): FloeError =>
  new FloeError('SQL_EXECUTION', message, { cause });

export const isFloeError = (e: unknown): e is FloeError => e instanceof FloeError;
