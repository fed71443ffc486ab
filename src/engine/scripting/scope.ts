/**
 * Variables, exceptions and control-flow signals of the scripting interpreter.
 */
import { FloeError, type ErrorCode } from '../../core/errors.js';
import type { FloeValue, ResultColumn } from '../../core/result.js';
import type { Fragment } from './script-ast.js';
import type { TypedValue } from './sql-literals.js';

export interface Table {
  columns: ResultColumn[];
  rows: FloeValue[][];
}

export type Var =
  | { kind: 'value'; type?: string; v: TypedValue }
  | { kind: 'record'; fields: Map<string, TypedValue> }
  | { kind: 'resultset'; table?: Table }
  | { kind: 'cursor'; query: Fragment | { resultset: string }; open?: { table: Table; pos: number } }
  | { kind: 'exception'; code: number; message: string };

export class Scope {
  readonly vars = new Map<string, Var>();

  constructor(readonly parent?: Scope) {}

  find(name: string): Var | undefined {
    return this.vars.get(name) ?? this.parent?.find(name);
  }
}

export const NULL_TEXT: ResultColumn = { name: '', type: 'TEXT' };

/** What a block or procedure body returns. */
export type ScriptResult = { kind: 'value'; value: TypedValue } | { kind: 'table'; table: Table } | { kind: 'none' };

export class ReturnSignal {
  constructor(readonly result: ScriptResult) {}
}

export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly label: string | undefined,
  ) {}
}

/**
 * An exception inside a block: a SQL statement's error (STATEMENT_ERROR), an expression's (EXPRESSION_ERROR)
 * or a declared exception raised with RAISE. Uncaught, its message is Snowflake's "Uncaught exception of type …".
 */
export class ScriptException extends FloeError {
  constructor(
    readonly exceptionName: string,
    readonly sqlcode: number,
    readonly sqlerrm: string,
    readonly sqlstate: string,
    code: ErrorCode,
    line: number,
    column: number,
    cause?: unknown,
  ) {
    super(code, `Uncaught exception of type '${exceptionName}' on line ${line} at position ${column - 1} : ${sqlerrm}`, { cause, location: { line, column } });
  }
}

const SQLSTATES: Partial<Record<ErrorCode, string>> = {
  SQL_SYNTAX: '42000',
  SQL_COMPILATION: '42601',
  OBJECT_NOT_FOUND: '42S02',
  OBJECT_EXISTS: '42710',
  SQL_EXECUTION: '22000',
  NOT_NULL_VIOLATION: '22000',
  NONDETERMINISTIC_MERGE: '22000',
};

export function wrapError(e: unknown, kind: 'STATEMENT_ERROR' | 'EXPRESSION_ERROR', line: number, column: number): ScriptException {
  if (e instanceof ScriptException) return e;
  const fe = e instanceof FloeError ? e : undefined;
  const message = e instanceof Error ? e.message : String(e);
  const sqlcode = Number(fe?.snowflakeCode ?? '100000');
  return new ScriptException(kind, sqlcode, message, fe ? (SQLSTATES[fe.code] ?? 'P0000') : 'P0000', fe?.code ?? 'INTERNAL', line, column, e);
}
