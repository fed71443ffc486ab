/**
 * `TABLE([db.]INFORMATION_SCHEMA.<FUNCTION>(NAME => value, …))` table functions answered by floe (TASK_HISTORY,
 * …): each registered function turns its named arguments into backend SQL over floe's internal tables, and the
 * call is replaced by that SQL as a derived table before the statement is bound.
 */
import { compilationError } from '../core/errors.js';
import { make, transform, type AstNode } from '../sql/ast/ast-node.js';
import type { ExecContext } from './exec-context.js';
import { parseSnowflake, printSql } from '../sql/ast/polyglot.js';
import { prepareForBackend, print } from './translate.js';

/** A named argument: its literal value when it is one, and its backend SQL as a scalar expression either way. */
export interface TableFunctionArg {
  value: string | number | boolean | null | undefined;
  sql: string;
}

export type TableFunctionArgs = Map<string, TableFunctionArg>;

/** `db` of `db.INFORMATION_SCHEMA.F(…)`, when given: the function answers for that database. */
export type TableFunction = (ctx: ExecContext, args: TableFunctionArgs, database: string | undefined) => Promise<string> | string;

const REGISTRY = new Map<string, TableFunction>();

export function registerTableFunction(name: string, fn: TableFunction): void {
  REGISTRY.set(name.toUpperCase(), fn);
}

function literal(node: AstNode): string | number | boolean | null | undefined {
  const lit = node?.literal;
  if (lit?.literal_type === 'string') return String(lit.value);
  if (lit?.literal_type === 'number') return Number(lit.value);
  if (node?.boolean) return node.boolean.value === true;
  if (node?.null !== undefined) return null;
  if (node?.neg?.this?.literal?.literal_type === 'number') return -Number(node.neg.this.literal.value);
  return undefined;
}

/** Any Snowflake expression argument (`DATEADD('hour', -1, CURRENT_TIMESTAMP())`) as a backend scalar subquery. */
function scalarSql(ctx: ExecContext, node: AstNode): string {
  const q = parseSnowflake(`SELECT ${printSql(node)}`)[0] as AstNode;
  prepareForBackend(ctx, q);
  return `(${print(q)})`;
}

/** Replace registered information-schema table functions with their SQL (as derived tables). */
export async function bindTableFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const calls: { node: AstNode; fn: TableFunction; args: TableFunctionArgs; database: string | undefined }[] = [];
  transform(ast, (node) => {
    if (String(node?.function?.name ?? '').toUpperCase() !== 'TABLE') return undefined;
    const call = node.function.args?.[0]?.method_call as AstNode | undefined;
    const fn = call ? REGISTRY.get(String(call.method?.name ?? '').toUpperCase()) : undefined;
    if (!call || !fn || String(call.this?.column?.name?.name ?? '').toUpperCase() !== 'INFORMATION_SCHEMA') return undefined;
    const args: TableFunctionArgs = new Map();
    for (const a of (call.args ?? []) as AstNode[]) {
      if (!a.named_argument) throw compilationError(`${call.method.name} takes named arguments (NAME => value).`);
      const key = String(a.named_argument.name.name).toUpperCase();
      args.set(key, { value: literal(a.named_argument.value), sql: scalarSql(ctx, a.named_argument.value) });
    }
    const db = call.this?.column?.table as AstNode | undefined;
    const database = db?.name === undefined ? undefined : db.quoted ? String(db.name) : String(db.name).toUpperCase();
    const replacement = make.raw('');
    calls.push({ node: replacement, fn, args, database });
    return replacement;
  });
  for (const c of calls) c.node.var.this = `(${await c.fn(ctx, c.args, c.database)})`;
}
