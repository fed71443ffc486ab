/**
 * DuckDB resolves column names case-insensitively; Snowflake does not (`quotedCol` is QUOTEDCOL and does
 * not find a column created as "quotedCol"). After binding, every column reference has its exact
 * Snowflake name: one that matches no name of the statement exactly, but a catalog column of a table
 * it reads in another letter case, would silently resolve in DuckDB — refuse it as Snowflake does.
 */
import type { TableDef } from '../core/catalog/catalog-model.js';
import { compilationError } from '../core/errors.js';
import { isIdent, nodeKind, type AstNode } from '../sql/ast/ast-node.js';

export function rejectCaseInsensitiveColumnMatches(ast: AstNode, tables: readonly TableDef[]): void {
  // Only a table with a column name that is not all upper case can be misread.
  if (!tables.some((t) => t.columns.some((c) => c.name !== c.name.toUpperCase()))) return;
  const byUpper = new Map<string, string[]>();
  for (const c of tables.flatMap((t) => t.columns)) {
    const key = c.name.toUpperCase();
    byUpper.set(key, [...(byUpper.get(key) ?? []), c.name]);
  }
  const columnNames = new Set<object>();
  const refs: string[] = [];
  // DML targets are bare identifiers, not column nodes.
  const targets: unknown[] = [...((ast.update?.set ?? []) as unknown[][]).map((pair) => pair[0]), ...((ast.insert?.columns ?? []) as unknown[])];
  for (const t of targets) {
    if (isIdent(t)) {
      columnNames.add(t);
      refs.push(t.name);
    }
  }
  const otherNames = new Set<string>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    const o = v as AstNode;
    if (nodeKind(o) === 'column' && isIdent(o.column.name)) {
      columnNames.add(o.column.name);
      refs.push(o.column.name.name);
    } else if (isIdent(o) && !columnNames.has(o)) otherNames.add(o.name);
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(ast);
  for (const name of refs) {
    const candidates = byUpper.get(name.toUpperCase());
    if (!candidates || candidates.includes(name) || otherNames.has(name)) continue;
    throw compilationError(`invalid identifier '${name}'`);
  }
}
