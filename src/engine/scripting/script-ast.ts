/**
 * The Snowflake Scripting block model: what the parser produces and the interpreter runs. SQL and
 * expressions stay as token ranges of the source (`Fragment`), bound to variable values when they run.
 */
import type { Token } from '../../sql/lexer.js';

/** Tokens of a SQL statement or expression, indexing into `source`. */
export interface Fragment {
  source: string;
  tokens: Token[];
}

export interface Block {
  label?: string;
  decls: Decl[];
  body: Stmt[];
  handlers: Handler[];
}

export type Decl =
  | { kind: 'var'; name: string; type?: string; init?: Fragment; at: Token }
  | { kind: 'cursor'; name: string; query: Fragment | { resultset: string }; at: Token }
  | { kind: 'resultset'; name: string; query?: Fragment; at: Token }
  | { kind: 'exception'; name: string; code: number; message: string; at: Token };

export interface Handler {
  /** Exception names; 'OTHER' catches everything. */
  names: string[];
  body: Stmt[];
}

export type Stmt = { at: Token } & (
  | { kind: 'sql'; sql: Fragment; into?: string[] }
  | { kind: 'declare'; decl: Decl }
  | { kind: 'assign'; name: string; expr: Fragment }
  | { kind: 'if'; branches: { cond: Fragment; body: Stmt[] }[]; otherwise?: Stmt[] }
  | { kind: 'case'; subject?: Fragment; branches: { when: Fragment; body: Stmt[] }[]; otherwise?: Stmt[] }
  | { kind: 'return'; expr?: Fragment; table?: string | Fragment }
  | { kind: 'block'; block: Block }
  | { kind: 'for-range'; label?: string; variable: string; reverse: boolean; from: Fragment; to: Fragment; body: Stmt[] }
  | { kind: 'for-cursor'; label?: string; variable: string; cursor: string; body: Stmt[] }
  | { kind: 'while'; label?: string; cond: Fragment; body: Stmt[] }
  | { kind: 'repeat'; label?: string; until: Fragment; body: Stmt[] }
  | { kind: 'loop'; label?: string; body: Stmt[] }
  | { kind: 'break' | 'continue'; label?: string }
  | { kind: 'raise'; name?: string }
  | { kind: 'open'; cursor: string; using: Fragment[] }
  | { kind: 'fetch'; cursor: string; into: string[] }
  | { kind: 'close'; cursor: string }
  | { kind: 'null' }
);
