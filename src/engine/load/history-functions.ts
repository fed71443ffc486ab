/**
 * The loading table functions (reference §3.7, §4.7): `TABLE(INFORMATION_SCHEMA.COPY_HISTORY(…))`,
 * `PIPE_USAGE_HISTORY(…)`, `VALIDATE_PIPE_LOAD(…)` and `VALIDATE(t, JOB_ID => …)`. Each call is replaced by
 * a subquery over floe's load history tables; arguments are evaluated first (they are constants in Snowflake).
 */
import { compilationError } from '../../core/errors.js';
import type { PipeDef } from '../../core/catalog/load-objects.js';
import { DAY_MS, PIPE_HISTORY_DAYS, usageBucketMs } from '../../core/pipe/pipe-rules.js';
import { make, transform, type AstNode } from '../../sql/ast/ast-node.js';
import { printSql } from '../../sql/ast/polyglot.js';
import { splitScript } from '../../sql/split-script.js';
import type { ExecContext } from '../exec-context.js';
import { pipeContext, planPipe } from '../pipe/pipe-plan.js';
import { pipeNamed } from '../pipe/pipe-functions.js';
import { pipeFilesTable } from '../pipe/pipe-queue.js';
import { findTable } from '../resolve-names.js';
import { loadHistoryKey } from '../temp-tables.js';
import { nameInString } from '../handlers/stream-name.js';
import { loadHistoryTable } from './load-history.js';
import { loadErrorsTable, validateJobSql } from './load-errors.js';

type Args = { positional: AstNode[]; named: Map<string, AstNode> };

const FUNCTIONS = new Set(['COPY_HISTORY', 'PIPE_USAGE_HISTORY', 'VALIDATE_PIPE_LOAD', 'VALIDATE']);

/** `TABLE(f(…))`, `TABLE(INFORMATION_SCHEMA.f(…))`, `TABLE(db.INFORMATION_SCHEMA.f(…))`. */
function tableFunction(node: AstNode): { name: string; args: AstNode[] } | undefined {
  if (typeof node?.function?.name !== 'string' || node.function.name.toUpperCase() !== 'TABLE') return undefined;
  const inner = node.function.args?.[0];
  if (typeof inner?.function?.name === 'string') return { name: inner.function.name.toUpperCase(), args: inner.function.args ?? [] };
  if (inner?.method_call?.method?.name) return { name: String(inner.method_call.method.name).toUpperCase(), args: inner.method_call.args ?? [] };
  return undefined;
}

function splitArgs(args: AstNode[]): Args {
  const out: Args = { positional: [], named: new Map() };
  for (const a of args) {
    if (a.named_argument) out.named.set(String(a.named_argument.name.name).toUpperCase(), a.named_argument.value);
    else out.positional.push(a);
  }
  return out;
}

export async function bindHistoryFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const calls: { node: AstNode; name: string; args: Args }[] = [];
  transform(ast, (node) => {
    const f = tableFunction(node);
    if (!f || !FUNCTIONS.has(f.name)) return undefined;
    const replacement = make.raw('');
    calls.push({ node: replacement, name: f.name, args: splitArgs(f.args) });
    return replacement;
  });
  for (const c of calls) {
    const sql =
      c.name === 'COPY_HISTORY'
        ? await copyHistory(ctx, c.args)
        : c.name === 'PIPE_USAGE_HISTORY'
          ? await pipeUsageHistory(ctx, c.args)
          : c.name === 'VALIDATE_PIPE_LOAD'
            ? await validatePipeLoad(ctx, c.args)
            : await validate(ctx, c.args);
    c.node.var.this = `(${sql})`;
  }
}

async function stringArg(ctx: ExecContext, node: AstNode | undefined, what: string): Promise<string> {
  if (node?.literal?.literal_type === 'string') return String(node.literal.value);
  const v = await evaluate(ctx, node, what, (e) => `TO_VARCHAR(${e})`);
  return String(v);
}

/** Milliseconds since the epoch of a timestamp argument (any constant Snowflake expression). */
async function timeArg(ctx: ExecContext, node: AstNode | undefined, what: string): Promise<number | undefined> {
  if (node === undefined) return undefined;
  const v = await evaluate(ctx, node, what, (e) => `DATEDIFF(MILLISECOND, TO_TIMESTAMP_LTZ(0), (${e})::TIMESTAMP_LTZ)`);
  return Number(v);
}

async function evaluate(ctx: ExecContext, node: AstNode | undefined, what: string, wrap: (expr: string) => string): Promise<unknown> {
  if (node === undefined) throw compilationError(`missing argument ${what}`);
  const [st] = splitScript(`SELECT ${wrap(printSql(node))}`);
  const { handleQueryOrDml } = await import('../handlers/query.js');
  const r = await handleQueryOrDml({ engine: ctx.engine, session: ctx.session, stmt: { sql: st!.sql, tokens: st!.tokens, line: ctx.stmt.line } });
  const v = r.rows[0]?.[0];
  if (v === null || v === undefined) throw compilationError(`argument ${what} must not be NULL`);
  return v;
}

const ts = (ms: number): string => `to_timestamp(${ms / 1000})`;

interface PipeRef {
  pipe: PipeDef;
  table?: string;
  display?: string;
}

/** Current pipes (history of dropped or replaced pipes is gone, as in Snowflake) with their target tables. */
function pipesValues(ctx: ExecContext, refs: PipeRef[]): string {
  const q = (s: string | undefined) => (s === undefined ? 'NULL' : ctx.engine.driver.dialect.quoteString(s));
  const rows = refs.map((r) => `(${q(r.pipe.pipeId)}, ${q(r.pipe.database)}, ${q(r.pipe.schema)}, ${q(r.pipe.name)}, ${q(r.table)}, ${q(r.display)})`);
  rows.push('(NULL, NULL, NULL, NULL, NULL, NULL)');
  return `(VALUES ${rows.join(', ')}) p(pipe_id, db, sch, name, table_key, display)`;
}

function pipeRefs(ctx: ExecContext): PipeRef[] {
  return ctx.engine.catalog.schemaObjects('PIPE').map((pipe) => {
    try {
      const plan = planPipe(pipeContext(ctx, pipe));
      return { pipe, table: `${plan.table.database}.${plan.table.schema}.${plan.table.name}`, display: plan.loc.display };
    } catch {
      return { pipe };
    }
  });
}

async function copyHistory(ctx: ExecContext, args: Args): Promise<string> {
  const d = ctx.engine.driver.dialect;
  const tableName = await stringArg(ctx, args.named.get('TABLE_NAME'), 'TABLE_NAME');
  const { full, def } = findTable(ctx, nameInString(tableName), 'Table');
  const key = loadHistoryKey(def);
  const now = ctx.engine.now();
  const start = await timeArg(ctx, args.named.get('START_TIME'), 'START_TIME');
  if (start === undefined) throw compilationError('COPY_HISTORY requires START_TIME');
  const end = (await timeArg(ctx, args.named.get('END_TIME'), 'END_TIME')) ?? now;
  const from = Math.max(start, now - PIPE_HISTORY_DAYS * DAY_MS);
  const pipeFilter = args.named.has('PIPE_NAME') ? pipeNamed(ctx, await stringArg(ctx, args.named.get('PIPE_NAME'), 'PIPE_NAME')).pipeId : undefined;
  const pipes = pipesValues(ctx, pipeRefs(ctx));
  const lit = (s: string) => d.quoteString(s);
  const pipeCond = pipeFilter === undefined ? '' : ` AND p.pipe_id = ${lit(pipeFilter)}`;
  const loaded = `SELECT coalesce(h.file_path, h.file_name) AS "FILE_NAME", h.stage_location AS "STAGE_LOCATION", h.last_load_time AS "LAST_LOAD_TIME",
      h.row_count AS "ROW_COUNT", h.row_parsed AS "ROW_PARSED", h.file_size AS "FILE_SIZE", h.first_error AS "FIRST_ERROR_MESSAGE",
      h.first_error_line AS "FIRST_ERROR_LINE_NUMBER", h.first_error_character AS "FIRST_ERROR_CHARACTER_POS", h.first_error_column_name AS "FIRST_ERROR_COLUMN_NAME",
      h.error_count AS "ERROR_COUNT", h.error_limit AS "ERROR_LIMIT",
      CASE h.status WHEN 'LOADED' THEN 'Loaded' WHEN 'LOAD_FAILED' THEN 'Load failed' WHEN 'PARTIALLY_LOADED' THEN 'Partially loaded' ELSE h.status END AS "STATUS",
      ${lit(full.database)} AS "TABLE_CATALOG_NAME", ${lit(full.schema)} AS "TABLE_SCHEMA_NAME", ${lit(full.name)} AS "TABLE_NAME",
      p.db AS "PIPE_CATALOG_NAME", p.sch AS "PIPE_SCHEMA_NAME", p.name AS "PIPE_NAME", h.pipe_received_time AS "PIPE_RECEIVED_TIME", NULL::BIGINT AS "BYTES_BILLED"
    FROM ${loadHistoryTable(d)} h LEFT JOIN ${pipes} ON p.pipe_id = h.pipe_id
    WHERE h.table_key = ${lit(key)} AND (h.pipe_id IS NULL OR p.pipe_id IS NOT NULL)${pipeFilter === undefined ? '' : ` AND h.pipe_id = ${lit(pipeFilter)}`}
      AND h.last_load_time >= ${ts(from)} AND h.last_load_time <= ${ts(end)}`;
  const pending = `SELECT f.path, p.display, NULL::TIMESTAMPTZ, NULL::BIGINT, NULL::BIGINT, f.size, NULL, NULL::BIGINT, NULL::BIGINT, NULL, NULL::BIGINT, NULL::BIGINT,
      'Load in progress', ${lit(full.database)}, ${lit(full.schema)}, ${lit(full.name)}, p.db, p.sch, p.name, to_timestamp(f.received_ms / 1000.0), NULL::BIGINT
    FROM ${pipeFilesTable(d)} f JOIN ${pipes} ON p.pipe_id = f.pipe_id
    WHERE f.state = 'PENDING' AND p.table_key = ${lit(key)}${pipeCond} AND f.received_ms >= ${from} AND f.received_ms <= ${end}`;
  return `SELECT * FROM (${loaded} UNION ALL ${pending}) ORDER BY "LAST_LOAD_TIME" NULLS LAST, "FILE_NAME"`;
}

async function pipeUsageHistory(ctx: ExecContext, args: Args): Promise<string> {
  const d = ctx.engine.driver.dialect;
  const now = ctx.engine.now();
  const end = (await timeArg(ctx, args.named.get('DATE_RANGE_END'), 'DATE_RANGE_END')) ?? now;
  const start = (await timeArg(ctx, args.named.get('DATE_RANGE_START'), 'DATE_RANGE_START')) ?? end - 600_000;
  if (start < now - 15 * DAY_MS) throw compilationError('PIPE_USAGE_HISTORY: the date range must lie within the last 15 days.');
  if (end < start) throw compilationError('PIPE_USAGE_HISTORY: DATE_RANGE_END is before DATE_RANGE_START.');
  const pipe = args.named.has('PIPE_NAME') ? pipeNamed(ctx, await stringArg(ctx, args.named.get('PIPE_NAME'), 'PIPE_NAME')) : undefined;
  const pipes = pipesValues(ctx, pipeRefs(ctx));
  const b = usageBucketMs(end - start);
  const bucket = `floor(epoch_ms(h.last_load_time) / ${b}) * ${b}`;
  const name = pipe === undefined ? 'NULL::VARCHAR' : d.quoteString(`${pipe.database}.${pipe.schema}.${pipe.name}`);
  return `SELECT to_timestamp((${bucket}) / 1000.0) AS "START_TIME", to_timestamp((${bucket} + ${b}) / 1000.0) AS "END_TIME", ${name} AS "PIPE_NAME",
      0::DECIMAL(38, 9) AS "CREDITS_USED", sum(h.file_size) FILTER (WHERE h.status <> 'LOAD_FAILED')::BIGINT AS "BYTES_INSERTED",
      count(*) FILTER (WHERE h.status <> 'LOAD_FAILED')::BIGINT AS "FILES_INSERTED", sum(h.file_size)::BIGINT AS "BYTES_BILLED"
    FROM ${loadHistoryTable(d)} h JOIN ${pipes} ON p.pipe_id = h.pipe_id
    WHERE h.last_load_time >= ${ts(start)} AND h.last_load_time <= ${ts(end)}${pipe ? ` AND h.pipe_id = ${d.quoteString(pipe.pipeId)}` : ''}
    GROUP BY ${bucket} ORDER BY 1`;
}

async function validatePipeLoad(ctx: ExecContext, args: Args): Promise<string> {
  const d = ctx.engine.driver.dialect;
  const pipe = pipeNamed(ctx, await stringArg(ctx, args.named.get('PIPE_NAME'), 'PIPE_NAME'));
  const start = await timeArg(ctx, args.named.get('START_TIME'), 'START_TIME');
  if (start === undefined) throw compilationError('VALIDATE_PIPE_LOAD requires START_TIME');
  const end = (await timeArg(ctx, args.named.get('END_TIME'), 'END_TIME')) ?? ctx.engine.now();
  const plan = planPipe(pipeContext(ctx, pipe));
  if (plan.transform) throw compilationError('VALIDATE_PIPE_LOAD does not support pipes whose COPY has a transformation.');
  const from = Math.max(start, ctx.engine.now() - PIPE_HISTORY_DAYS * DAY_MS);
  return validateJobSql(d, `e.pipe_id = ${d.quoteString(pipe.pipeId)} AND e.error_time >= ${ts(from)} AND e.error_time <= ${ts(end)}`);
}

async function validate(ctx: ExecContext, args: Args): Promise<string> {
  const d = ctx.engine.driver.dialect;
  const tableArg = args.positional[0];
  if (!tableArg) throw compilationError('VALIDATE expects a table name and JOB_ID');
  const tableText = tableArg.column ? printSql(tableArg) : await stringArg(ctx, tableArg, 'table');
  const { full, def } = findTable(ctx, nameInString(tableText), 'Table');
  const key = loadHistoryKey(def);
  const jobArg = args.named.get('JOB_ID');
  const job = jobArg === undefined ? '_last' : await stringArg(ctx, jobArg, 'JOB_ID');
  const id = job === '_last' ? ctx.session.lastCopyJob : job;
  if (id === undefined) throw compilationError('VALIDATE: no COPY has run in this session (JOB_ID => \'_last\').');
  const jobs = await ctx.session.conn.query(`SELECT count(*) FROM ${loadHistoryTable(d)} WHERE job_id = ? AND table_key = ?`, [id, key]);
  if (Number(jobs.rows[0]?.[0] ?? 0) === 0) throw compilationError(`Invalid job ID '${id}' for table ${full.name}: no COPY into this table with that ID.`);
  void loadErrorsTable;
  return validateJobSql(d, `e.job_id = ${d.quoteString(id)}`);
}
