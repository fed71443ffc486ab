/**
 * The one place that talks to @polyglot-sql/sdk. floe parses Snowflake SQL with it, transforms the AST
 * itself, and prints with polyglot's Snowflake generator — a faithful printer of the nodes floe built
 * (it is also ~6x faster than the DuckDB generator, whose own rewrites floe does not want).
 */
import { parse as pgParse, generate as pgGenerate, generateDataType, Dialect } from '@polyglot-sql/sdk';
import { syntaxError, FloeError } from '../../core/errors.js';
import type { AstNode } from './ast-node.js';
import { BoundedCache } from '../../core/bounded-cache.js';
import { rewriteDeleteUsing } from './delete-using.js';

// polyglot's parse and print cross into WASM with the whole AST serialised both ways (~5 ms for one of the SCD
// applier's statements), while a pipeline runs the same statements every task run and load. Parse results are
// kept by SQL text (as JSON, so every caller gets its own copy to transform), printed SQL by AST JSON.
const chars = (k: string, v: string): number => k.length + v.length;
const parsed = new BoundedCache<string>(16 * 1024 * 1024, chars);
const printed = new BoundedCache<string>(16 * 1024 * 1024, chars);
// JSON would make NaN, ±Infinity and null one key (and throw on bigint); polyglot receives the values themselves.
const exact = (_key: string, v: unknown): unknown =>
  (typeof v === 'number' && !Number.isFinite(v)) || typeof v === 'bigint' ? `\u0000${typeof v}:${String(v)}` : v;

/** Parse one statement of Snowflake SQL. Throws a Snowflake-style syntax error with line/column. */
export function parseSnowflake(sql: string): AstNode[] {
  const hit = parsed.get(sql);
  if (hit !== undefined) return JSON.parse(hit) as AstNode[];
  const rewrite = rewriteDeleteUsing(sql);
  const r = pgParse(rewrite?.sql ?? sql, Dialect.Snowflake) as ParseResult;
  if (r.success && r.ast) rewrite?.restore(r.ast);
  if (!r.success || !r.ast) {
    // Reported at its place in the text the user wrote.
    const at = { line: r.errorLine ?? 1, column: r.errorColumn ?? 1 };
    const { line, column: col } = rewrite ? rewrite.original(at.line, at.column) : at;
    const detail = (r.error ?? 'parse error').replace(/^Parse error at line \d+, column \d+:\s*/, '');
    throw syntaxError(`Syntax error line ${line} at position ${Math.max(0, col - 1)}: ${detail}`, line, col);
  }
  let lossy = false;
  const json = JSON.stringify(r.ast, (k, v: unknown) => {
    const e = exact(k, v);
    if (e !== v) lossy = true;
    return e;
  });
  if (!lossy) parsed.set(sql, json);
  return r.ast;
}

interface ParseResult {
  success: boolean;
  ast: AstNode[] | null;
  error?: string | null;
  errorLine?: number;
  errorColumn?: number;
}

/** Print AST nodes (statements or expressions) back to SQL text. */
export function printSql(nodes: AstNode | AstNode[]): string {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  const key = JSON.stringify(list, exact);
  const hit = printed.get(key);
  if (hit !== undefined) return hit;
  const r = pgGenerate(list, Dialect.Snowflake) as { success: boolean; sql: string[] | null; error?: string | null };
  if (!r.success || !r.sql) throw new FloeError('INTERNAL', `could not print SQL: ${r.error ?? 'unknown error'}`);
  const sql = r.sql.join(';\n');
  printed.set(key, sql);
  return sql;
}

/** Print a polyglot data type node as Snowflake type text (e.g. `NUMBER(10, 2)`, `VARCHAR(20)`). */
export function printDataType(dataType: AstNode): string {
  const r = generateDataType(dataType as never, Dialect.Snowflake) as { success: boolean; sql?: string | null; error?: string | null };
  if (!r.success || !r.sql) throw new FloeError('INTERNAL', `could not print data type: ${r.error ?? 'unknown'}`);
  return r.sql;
}
