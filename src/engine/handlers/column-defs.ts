/**
 * Column definitions from a parsed CREATE TABLE / ADD COLUMN: the Snowflake view (catalog ColumnDef, with
 * the default as Snowflake text) and the backend view (ColumnSpec, with the default translated).
 */
import { compilationError } from '../../core/errors.js';
import { resolveIdent } from '../../core/catalog/identifiers.js';
import type { ColumnDef, ConstraintDef, TableDef } from '../../core/catalog/catalog-model.js';
import type { ColumnSpec } from '../../core/ports/warehouse.js';
import { parseSfType, type SfType } from '../../core/types/snowflake-type.js';
import type { AstNode, Ident } from '../../sql/ast/ast-node.js';
import { parseSnowflake, printDataType, printSql } from '../../sql/ast/polyglot.js';
import { normalizeIdentifiers } from '../../sql/translate/bind-statement.js';
import { make, transform } from '../../sql/ast/ast-node.js';
import type { ExecContext } from '../exec-context.js';

const ident = (i: Ident): string => resolveIdent(i.name, i.quoted);

export function columnType(ctx: ExecContext, dataType: AstNode): SfType {
  const text = printDataType(dataType);
  // TIMESTAMP without a suffix follows the session's TIMESTAMP_TYPE_MAPPING.
  if (/^TIMESTAMP(\(\d+\))?$/i.test(text.trim())) {
    const mapped = ctx.session.params.get('TIMESTAMP_TYPE_MAPPING');
    return parseSfType(text.trim().toUpperCase().replace('TIMESTAMP', mapped));
  }
  return parseSfType(text);
}

export interface ParsedColumn {
  def: ColumnDef;
  spec: ColumnSpec;
}

export function parseColumn(ctx: ExecContext, col: AstNode): ParsedColumn {
  const name = ident(col.name);
  const type = columnType(ctx, col.data_type);
  const def: ColumnDef = { name, type, nullable: col.nullable !== false };
  if (col.primary_key) {
    def.primaryKey = true;
    def.nullable = false; // Snowflake: PRIMARY KEY implies NOT NULL (the one part of it that is enforced)
  }
  if (col.unique) def.unique = true;
  const comment = (col.constraints as AstNode[] | undefined)?.find((c) => typeof c?.Comment === 'string')?.Comment ?? col.comment;
  if (typeof comment === 'string') def.comment = comment;
  const spec: ColumnSpec = { name, type, nullable: def.nullable };
  if (col.default) {
    def.default = printSql(col.default);
    spec.defaultSql = translateDefault(ctx, col.default);
  }
  if (col.auto_increment) throw compilationError('AUTOINCREMENT / IDENTITY columns are not supported by floe yet.');
  return { def, spec };
}

export function parseTableConstraints(list: AstNode[] | undefined): ConstraintDef[] {
  const out: ConstraintDef[] = [];
  for (const c of list ?? []) {
    const [kind] = Object.keys(c);
    const body = c[kind] as AstNode;
    const name = body?.name ? ident(body.name) : undefined;
    const cols = ((body?.columns ?? []) as Ident[]).map(ident);
    if (kind === 'PrimaryKey') out.push({ kind: 'PRIMARY KEY', columns: cols, ...(name ? { name } : {}) });
    else if (kind === 'Unique') out.push({ kind: 'UNIQUE', columns: cols, ...(name ? { name } : {}) });
    else if (kind === 'ForeignKey') {
      const ref = body.references ?? {};
      const table = ref.table ? printSql({ table: ref.table }) : '';
      out.push({ kind: 'FOREIGN KEY', columns: cols, ...(name ? { name } : {}), references: { table, columns: ((ref.columns ?? []) as Ident[]).map(ident) } });
    }
  }
  return out;
}

function translateDefault(ctx: ExecContext, expr: AstNode): string {
  const wrapper = { expr: structuredClone(expr) as AstNode };
  ctx.engine.driver.dialect.rewriteExpressions(wrapper, {});
  normalizeIdentifiers(wrapper);
  return printBackendExpression(ctx, wrapper);
}

/** Backend column specs of a catalog table (defaults re-translated from their Snowflake text). */
export function columnSpecsOf(ctx: ExecContext, table: TableDef): ColumnSpec[] {
  return table.columns.map((c) => {
    const spec: ColumnSpec = { name: c.name, type: c.type, nullable: c.nullable };
    if (c.default !== undefined) {
      const select = parseSnowflake(`SELECT ${c.default}`)[0] as AstNode;
      spec.defaultSql = translateDefault(ctx, select.select.expressions[0]);
    }
    return spec;
  });
}

/** Print an expression for the backend: string literals in the backend's own quoting. */
function printBackendExpression(ctx: ExecContext, wrapper: { expr: AstNode }): string {
  transform(wrapper, (node, kind) =>
    kind === 'literal' && node.literal.literal_type === 'string' ? make.raw(ctx.engine.driver.dialect.quoteString(String(node.literal.value))) : undefined,
  );
  return printSql(wrapper.expr);
}
