/**
 * Snowflake names a result column after its expression text when it has no alias (`COUNT(*)`, `1 + 1`,
 * `'ABC'`); backends name them differently. floe aliases such items with Snowflake's name up front.
 */
import { nodeKind, type AstNode } from '../sql/ast/ast-node.js';
import { printSql } from '../sql/ast/polyglot.js';

const NAMED_KINDS = new Set(['column', 'star', 'alias', 'qualified_star']);

export function addSnowflakeOutputNames(query: AstNode): void {
  const kind = nodeKind(query);
  if (kind === undefined) return;
  const body = query[kind] as AstNode;
  if (kind === 'select') {
    const items: AstNode[] = body.expressions ?? [];
    for (let i = 0; i < items.length; i++) {
      const k = nodeKind(items[i]);
      if (k === undefined || NAMED_KINDS.has(k)) continue;
      const name = printSql(items[i]).toUpperCase();
      items[i] = { alias: { this: items[i], alias: { name, quoted: true }, column_aliases: [], alias_explicit_as: true } };
    }
  } else if ((kind === 'union' || kind === 'intersect' || kind === 'except') && body.left) {
    addSnowflakeOutputNames(body.left);
  } else if (kind === 'subquery' && body.this) {
    addSnowflakeOutputNames(body.this);
  }
}
