/**
 * `TABLE(RESULT_SCAN(<query id> | LAST_QUERY_ID()))` and `LAST_QUERY_ID()`: the session remembers its recent
 * results, and a query that scans one gets it as a temporary backend table. This is how Snowflake users
 * post-process SHOW / DESCRIBE output, so floe-owned results must be scannable like any other.
 */
import { compilationError } from '../core/errors.js';
import type { ResultColumn, FloeValue } from '../core/result.js';
import { sfTypeFromResult } from '../core/types/result-to-sf-type.js';
import { functionName, make, transform, type AstNode } from '../sql/ast/ast-node.js';
import type { ExecContext } from './exec-context.js';

export interface RememberedResult {
  columns: ResultColumn[];
  rows: FloeValue[][];
}

/** How many recent results a session keeps for RESULT_SCAN. */
export const REMEMBERED_RESULTS = 32;
/**
 * How many values (rows × columns) those results may hold together; older results go first, the newest always
 * stays (RESULT_SCAN(LAST_QUERY_ID())). Without it a session that reads big results keeps 32 of them in memory.
 */
export const REMEMBERED_VALUES = 1_000_000;
const INSERT_BATCH = 500;

function queryIdArg(ctx: ExecContext, arg: AstNode | undefined): string {
  if (arg && functionName(arg) === 'LAST_QUERY_ID') return lastQueryId(ctx, arg);
  if (arg?.literal?.literal_type === 'string') return String(arg.literal.value);
  throw compilationError('RESULT_SCAN expects a query ID string or LAST_QUERY_ID().');
}

function lastQueryId(ctx: ExecContext, call: AstNode): string {
  const ids = [...ctx.session.results.keys()];
  const argNode = call.function.args?.[0];
  const n = argNode?.literal ? Number(argNode.literal.value) : argNode?.neg ? -Number(argNode.neg.this?.literal?.value) : -1;
  const id = n < 0 ? ids[ids.length + n] : ids[n - 1];
  if (id === undefined) throw compilationError('LAST_QUERY_ID: no such query in this session.');
  return id;
}

/** Context functions answered from the session (Snowflake evaluates them at compile time too). */
const SESSION_FUNCTIONS: Record<string, (ctx: ExecContext) => string | undefined> = {
  CURRENT_DATABASE: (ctx) => ctx.session.database,
  CURRENT_SCHEMA: (ctx) => ctx.session.schema,
  CURRENT_ROLE: (ctx) => ctx.session.role,
  CURRENT_WAREHOUSE: (ctx) => ctx.session.warehouse,
  CURRENT_USER: (ctx) => ctx.session.user,
  CURRENT_ACCOUNT: () => 'FLOE',
  CURRENT_ACCOUNT_NAME: () => 'FLOE',
  CURRENT_REGION: () => 'LOCAL',
  CURRENT_VERSION: () => '0.1.0 (floe)',
  CURRENT_SCHEMAS: (ctx) => JSON.stringify(ctx.session.database && ctx.session.schema ? [`${ctx.session.database}.${ctx.session.schema}`] : []),
};

/** Replace RESULT_SCAN table functions and LAST_QUERY_ID() calls; materialize scanned results. */
export async function bindSessionFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const scans: { node: AstNode; id: string }[] = [];
  transform(ast, (node) => {
    const name = functionName(node);
    if (name === 'TABLE' && functionName(node.function.args?.[0]) === 'RESULT_SCAN') {
      const id = queryIdArg(ctx, node.function.args[0].function.args?.[0]);
      const replacement = make.raw('');
      scans.push({ node: replacement, id });
      return replacement;
    }
    if (name === 'LAST_QUERY_ID') return make.string(lastQueryId(ctx, node));
    if (name !== undefined && name in SESSION_FUNCTIONS) {
      const v = SESSION_FUNCTIONS[name](ctx);
      return v === undefined ? make.raw('NULL') : make.string(v);
    }
    return undefined;
  });
  for (const s of scans) s.node.var.this = await materialize(ctx, s.id);
}

async function materialize(ctx: ExecContext, id: string): Promise<string> {
  const r = ctx.session.results.get(id);
  if (!r) throw compilationError(`Statement ${id} not found`);
  const d = ctx.engine.driver.dialect;
  const table = d.quoteIdent(`floe_result_${id.replace(/-/g, '')}`);
  const conn = ctx.session.conn;
  const cols = r.columns.map((c) => `${d.quoteIdent(c.name)} ${d.typeFor(sfTypeFromResult(c))}`);
  await conn.execute(`CREATE OR REPLACE TEMP TABLE ${table} (${cols.join(', ')})`);
  // floe renders zoned timestamps with a +HHMM offset; the backend parses +HH:MM.
  const zoned = r.columns.map((c) => c.type === 'TIMESTAMP_LTZ' || c.type === 'TIMESTAMP_TZ');
  for (let i = 0; i < r.rows.length; i += INSERT_BATCH) {
    const batch = r.rows.slice(i, i + INSERT_BATCH);
    const tuple = `(${r.columns.map(() => '?').join(', ')})`;
    const params = batch.map((row) => row.map((v, j) => (zoned[j] && typeof v === 'string' ? v.replace(/ ([+-]\d\d)(\d\d)$/, '$1:$2') : v)));
    await conn.query(`INSERT INTO ${table} VALUES ${batch.map(() => tuple).join(', ')}`, params.flat());
  }
  return table;
}
