/**
 * Views and streams meet in two ways (reference §1.5, §1.11):
 *
 * - A view that reads a stream cannot be a static backend view: the stream's rows depend on its offset at
 *   query time, and a DML statement reading the view consumes the stream. Such views are kept as Snowflake
 *   text only and expanded into each statement that reads them.
 * - A stream ON VIEW returns the view's query applied to the change rows of its (single) base table, with the
 *   metadata columns carried through. Like Snowflake, only projections and filters are allowed in the view.
 */
import { compilationError, unsupported } from '../../core/errors.js';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import { nodeKind, type AstNode } from '../../sql/ast/ast-node.js';
import { parseSnowflake } from '../../sql/ast/polyglot.js';
import type { ExecContext } from '../exec-context.js';
import { addSnowflakeOutputNames } from '../output-names.js';

const METADATA_COLUMNS = ['METADATA$ACTION', 'METADATA$ISUPDATE', 'METADATA$ROW_ID'];

/** The view's query, freshly parsed from its Snowflake text. */
export function viewQuery(view: TableDef): AstNode {
  const ast = parseSnowflake(view.text ?? '')[0] as AstNode;
  if (nodeKind(ast) !== 'create_view') throw compilationError(`View ${view.name} has no stored definition.`);
  return ast.create_view.query as AstNode;
}

/** Names inside a view resolve against the view's own database and schema, not the reader's. */
export function viewContext(ctx: ExecContext, view: TableDef): ExecContext {
  // A view's names are bound as when it was created: never to the caller's temporary tables (floe's plain
  // views are backend views bound to permanent tables, so expanded ones must bind the same way).
  return { ...ctx, session: { ...ctx.session, database: view.database, schema: view.schema, temporary: undefined } };
}

/** SQL of a stream-reading view for one statement (its streams are already in ctx.changes). */
export function expandView(ctx: ExecContext, view: TableDef, prepare: (ctx: ExecContext, ast: AstNode) => void, print: (ast: AstNode) => string): string {
  const q = viewQuery(view);
  addSnowflakeOutputNames(q);
  prepare(viewContext(ctx, view), q);
  const cols = view.columns.map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ');
  return `SELECT * FROM (${print(q)}) AS floe_view(${cols})`;
}

/**
 * A view a stream can be created on: one SELECT over one table, projections and filters only. Returns the
 * query with the metadata columns added to its select list (a `*` already brings them along).
 */
export function streamableViewQuery(view: TableDef): AstNode {
  const q = viewQuery(view);
  const why = (what: string): never => {
    throw unsupported(`a stream on view ${view.name}: the view uses ${what} (streams on views support projections and filters over one table)`);
  };
  const sel = (q.select as AstNode | undefined) ?? why(`a set operation (${nodeKind(q) ?? 'unknown'})`);
  if (sel.group_by || sel.having || sel.distinct || sel.qualify || sel.limit || sel.windows || sel.with || sel.order_by) why('GROUP BY, DISTINCT, QUALIFY, LIMIT, ORDER BY or WITH');
  const from: AstNode[] = sel.from?.expressions ?? [];
  if (from.length !== 1 || nodeKind(from[0]) !== 'table' || (sel.joins ?? []).length > 0 || (sel.lateral_views ?? []).length > 0) why('joins or more than one table');
  const exprs: AstNode[] = sel.expressions;
  if (!exprs.some((e) => nodeKind(e) === 'star')) {
    for (const name of METADATA_COLUMNS) exprs.push({ column: { name: { name, quoted: true }, table: null, join_mark: false } });
  }
  return q;
}
