/**
 * Checks and rewrites that need the target table of an INSERT / UPDATE: Snowflake's column-count error
 * for INSERT … VALUES, and timestamp literals with a numeric offset written into TIMESTAMP_LTZ/TZ columns
 * (the backend would read `'… +01:00'` as a zone name; the offset glued to the time is what it parses).
 */
import type { ColumnDef } from '../core/catalog/catalog-model.js';
import { resolveIdent } from '../core/catalog/identifiers.js';
import { compilationError } from '../core/errors.js';
import { isIdent, nodeKind, type AstNode } from '../sql/ast/ast-node.js';
import { objectNameOf } from '../sql/translate/bind-statement.js';
import type { ExecContext } from './exec-context.js';
import { qualify } from './resolve-names.js';
import { lookupTable } from './temp-tables.js';

const OFFSET_AFTER_BLANK = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s+([+-]\d\d(?::?\d\d)?)$/;

function targetColumns(ctx: ExecContext, ref: AstNode): ColumnDef[] | undefined {
  if (!isIdent(ref?.name)) return undefined;
  const full = qualify(ctx, objectNameOf(ref));
  return lookupTable(ctx, full)?.columns;
}

function fixLiteral(value: AstNode, col: ColumnDef | undefined): void {
  if (!col || (col.type.kind !== 'TIMESTAMP_TZ' && col.type.kind !== 'TIMESTAMP_LTZ')) return;
  if (nodeKind(value) !== 'literal' || value.literal.literal_type !== 'string') return;
  const m = String(value.literal.value).match(OFFSET_AFTER_BLANK);
  if (m) value.literal.value = `${m[1]}${m[2]}`;
}

export function prepareDmlTargets(ctx: ExecContext, ast: AstNode): void {
  const kind = nodeKind(ast);
  if (kind === 'insert') {
    const ins = ast.insert as AstNode;
    const rows: AstNode[][] = ins.values ?? [];
    if (rows.length === 0) return;
    const cols = targetColumns(ctx, ins.table);
    if (!cols) return;
    const named: ColumnDef[] | undefined = (ins.columns ?? []).length > 0
      ? (ins.columns as AstNode[]).map((c) => cols.find((d) => isIdent(c) && d.name === resolveIdent(c.name, c.quoted)) as ColumnDef)
      : cols;
    for (const row of rows) {
      if (row.length !== named.length) {
        throw compilationError(`Insert value list does not match column list expecting ${named.length} but got ${row.length}`);
      }
      row.forEach((v, i) => fixLiteral(v, named[i]));
    }
  } else if (kind === 'update') {
    const cols = targetColumns(ctx, ast.update.table);
    if (!cols) return;
    for (const [target, value] of (ast.update.set ?? []) as [AstNode, AstNode][]) {
      if (isIdent(target)) fixLiteral(value, cols.find((c) => c.name === resolveIdent(target.name, target.quoted)));
    }
  }
}
