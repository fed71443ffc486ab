/**
 * Table functions floe replaces by derived tables (TABLE(FLATTEN(…)), TABLE(GENERATOR(…))): the rewrite runs bottom-up,
 * so `TABLE(F(…)) alias` has its call replaced before the alias node around it is visited. The subqueries built here
 * are remembered, and the alias node around one is folded into the subquery's own alias.
 */
import type { AstNode, Ident } from '../../../sql/ast/ast-node.js';

const produced = new WeakSet<object>();

/** Marks a subquery that replaces a table function, under `alias` until an alias node around it says otherwise. */
export function derivedTable(sub: AstNode, alias: Ident): AstNode {
  sub.subquery.alias = alias;
  produced.add(sub);
  return sub;
}

/** `<derived table> AS alias` → the derived table carrying that alias; else undefined. */
export function foldDerivedTableAlias(node: AstNode, kind: string): AstNode | undefined {
  if (kind !== 'alias' || !produced.has(node.alias.this)) return undefined;
  node.alias.this.subquery.alias = node.alias.alias;
  return node.alias.this;
}
