/**
 * CREATE / DROP / ALTER PIPE, SHOW PIPES, DESCRIBE PIPE (reference §3.1, §3.4). A pipe is catalog metadata
 * around one COPY statement; its queue and load history live in `_floe.pipe_files` (engine/pipe), keyed by
 * the pipe generation (`pipeId`), so CREATE OR REPLACE starts a new history as in Snowflake.
 */
import { randomUUID } from 'node:crypto';
import { alreadyExists, compilationError, notFound } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { PipeDef } from '../../core/catalog/load-objects.js';
import { checkPipeCopy, DAY_MS, PIPE_HISTORY_DAYS, refreshSince } from '../../core/pipe/pipe-rules.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { optionBool, optionString, parseOptions } from '../load/option-parser.js';
import { loadedBefore } from '../load/load-history.js';
import { relativeKey } from '../load/stage-location.js';
import { pipeFilesTable } from '../pipe/pipe-queue.js';
import { pipeContext, pipeCovers, planPipe } from '../pipe/pipe-plan.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { endTransaction } from '../transactions.js';
import { fileIdOf, optionOnError, transformHasWhere } from './copy-into.js';
import { ltz, parseShowOptions, resolveScope, showResult, TERSE_COLUMNS, type ColumnSpecs, type Row } from './show-common.js';

const CREATE_KEYS = new Set(['AUTO_INGEST', 'ERROR_INTEGRATION', 'AWS_SNS_TOPIC', 'INTEGRATION', 'COMMENT']);

export async function handleCreatePipe(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  cur.expectWords('PIPE');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const name = cur.objectName();
  const full = qualify(ctx, name, 'CREATE PIPE');
  requireSchema(ctx, full.database, full.schema);
  const opts = parseOptions(cur, (c) => c.isWord('AS'));
  for (const k of Object.keys(opts)) if (!CREATE_KEYS.has(k)) throw compilationError(`invalid property '${k}' for CREATE PIPE`);
  cur.expectWords('AS');
  const copyStart = cur.peek();
  if (!copyStart || !cur.isWord('COPY')) throw cur.unexpected('expected COPY INTO');
  const first = ctx.stmt.tokens[0]!;
  const definition = ctx.stmt.sql.slice(copyStart.start - first.start).trim();
  const integration = optionString('INTEGRATION', opts.INTEGRATION);
  const errorIntegration = optionString('ERROR_INTEGRATION', opts.ERROR_INTEGRATION);
  const awsSnsTopic = optionString('AWS_SNS_TOPIC', opts.AWS_SNS_TOPIC);
  const comment = optionString('COMMENT', opts.COMMENT);
  const def: PipeDef = {
    objectKind: 'PIPE',
    database: full.database,
    schema: full.schema,
    name: full.name,
    createdOn: new Date(ctx.engine.now()).toISOString(),
    owner: ctx.session.role,
    autoIngest: optionBool('AUTO_INGEST', opts.AUTO_INGEST, false),
    definition,
    pipeId: randomUUID(),
    paused: false,
    ...(integration !== undefined ? { integration } : {}),
    ...(errorIntegration !== undefined ? { errorIntegration } : {}),
    ...(awsSnsTopic !== undefined ? { awsSnsTopic } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
  // Compile the COPY now: a missing table or stage, or an option pipes forbid, fails the CREATE.
  const pctx = pipeContext(ctx, def);
  const plan = planPipe(pctx);
  checkPipeCopy(plan.options, optionOnError(plan.options), transformHasWhere(plan));
  const existing = ctx.engine.catalog.schemaObject('PIPE', full.database, full.schema, full.name);
  if (existing && ifNotExists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists('Pipe', displayIdent(full.name));
  // Replacing a pipe drops its load history with it (the duplicate-load trap of reference §3.3).
  const physical = existing ? [`DELETE FROM ${pipeFilesTable(ctx.engine.driver.dialect)} WHERE pipe_id = ${ctx.engine.driver.dialect.quoteString(existing.pipeId)}`] : [];
  await commitDdl(ctx, physical, { remove: [], put: [{ kind: 'SCHEMA_OBJECT', def }] });
  ctx.engine.pipes.changed();
  return statusResult(`Pipe ${displayIdent(full.name)} successfully created.`);
}

function findPipe(ctx: ExecContext, cur: TokenCursor, ifExists: boolean): { def: PipeDef | undefined; label: string; name: string } {
  const n = cur.objectName();
  const full = qualify(ctx, n);
  const def = ctx.engine.catalog.schemaObject('PIPE', full.database, full.schema, full.name);
  if (!def && !ifExists) throw notFound('Pipe', displayName(n));
  return { def, label: displayName(n), name: full.name };
}

export async function handleDropPipe(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP', 'PIPE');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { def, name } = findPipe(ctx, cur, ifExists);
  cur.expectEnd();
  if (!def) return statusResult(`Drop statement executed successfully (${displayIdent(name)} already dropped).`);
  const d = ctx.engine.driver.dialect;
  await commitDdl(ctx, [`DELETE FROM ${pipeFilesTable(d)} WHERE pipe_id = ${d.quoteString(def.pipeId)}`], {
    remove: [keys.schemaObject('PIPE', def.database, def.schema, def.name)],
    put: [],
  });
  ctx.engine.pipes.changed();
  return statusResult(`${displayIdent(def.name)} successfully dropped.`);
}

export async function handleAlterPipe(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('ALTER', 'PIPE');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { def, name } = findPipe(ctx, cur, ifExists);
  if (cur.acceptWords('REFRESH')) {
    const opts = parseOptions(cur);
    cur.expectEnd();
    for (const k of Object.keys(opts)) if (k !== 'PREFIX' && k !== 'MODIFIED_AFTER') throw compilationError(`invalid option '${k}' for ALTER PIPE … REFRESH`);
    if (!def) return statusResult('Statement executed successfully.');
    return refreshPipe(ctx, def, optionString('PREFIX', opts.PREFIX), optionString('MODIFIED_AFTER', opts.MODIFIED_AFTER));
  }
  const next: PipeDef | undefined = def ? { ...def } : undefined;
  if (cur.acceptWords('SET')) {
    const opts = parseOptions(cur);
    cur.expectEnd();
    for (const [k, v] of Object.entries(opts)) {
      if (!next) continue;
      if (k === 'PIPE_EXECUTION_PAUSED') {
        const paused = optionBool(k, v, false);
        if (!paused && next.paused && next.pausedOn && ctx.engine.now() - Date.parse(next.pausedOn) > PIPE_HISTORY_DAYS * DAY_MS) {
          throw compilationError(
            `Pipe ${displayName({ database: next.database, schema: next.schema, name: next.name })} is stale: it was paused for more than ${PIPE_HISTORY_DAYS} days. ` +
              `Resume it with SELECT SYSTEM$PIPE_FORCE_RESUME('<pipe>', 'staleness_check_override').`,
          );
        }
        if (paused && !next.paused) next.pausedOn = new Date(ctx.engine.now()).toISOString();
        if (!paused) delete next.pausedOn;
        next.paused = paused;
      } else if (k === 'COMMENT') next.comment = optionString(k, v)!;
      else if (k === 'ERROR_INTEGRATION') next.errorIntegration = optionString(k, v)!;
      else throw compilationError(`invalid property '${k}' for ALTER PIPE … SET (the COPY statement, AUTO_INGEST and INTEGRATION cannot be altered: recreate the pipe)`);
    }
  } else if (cur.acceptWords('UNSET')) {
    while (!cur.atEnd()) {
      const k = cur.identifier().name;
      if (next) {
        if (k === 'PIPE_EXECUTION_PAUSED') {
          next.paused = false;
          delete next.pausedOn;
        } else if (k === 'COMMENT') delete next.comment;
        else if (k === 'ERROR_INTEGRATION') delete next.errorIntegration;
        else throw compilationError(`invalid property '${k}' for ALTER PIPE … UNSET`);
      }
      cur.acceptSymbol(',');
    }
  } else throw cur.unexpected('expected SET, UNSET or REFRESH');
  if (!next) return statusResult(`Statement executed successfully.`);
  await commitDdl(ctx, [], { remove: [], put: [{ kind: 'SCHEMA_OBJECT', def: next }] });
  ctx.engine.pipes.changed();
  void name;
  return statusResult('Statement executed successfully.');
}

/** SYSTEM$PIPE_FORCE_RESUME: resume a stale pipe (the override argument acknowledges the skipped files). */
export async function forceResume(ctx: ExecContext, def: PipeDef): Promise<string> {
  await commitDdl(ctx, [], { remove: [], put: [{ kind: 'SCHEMA_OBJECT', def: { ...def, paused: false, pausedOn: undefined } }] });
  ctx.engine.pipes.changed();
  return 'Pipe successfully resumed';
}

/**
 * ALTER PIPE … REFRESH (reference §3.4): queue files under the pipe's path (+ PREFIX) modified within the last
 * 7 days, skipping files the pipe already knows and files COPY already loaded into the target table.
 */
async function refreshPipe(ctx: ExecContext, def: PipeDef, prefix: string | undefined, modifiedAfter: string | undefined): Promise<HandlerResult> {
  let after: number | undefined;
  if (modifiedAfter !== undefined) {
    after = Date.parse(modifiedAfter);
    if (Number.isNaN(after)) throw compilationError(`MODIFIED_AFTER '${modifiedAfter}' is not an ISO-8601 timestamp`);
  }
  // ALTER commits an open transaction first (Snowflake DDL), so the queueing below never waits on this session.
  if (ctx.session.inTransaction) await endTransaction(ctx.engine, ctx.session, true);
  const since = refreshSince(ctx.engine.now(), after);
  const pctx = pipeContext(ctx, def);
  const plan = planPipe(pctx);
  const covers = pipeCovers(plan);
  const { loc } = plan;
  const d = ctx.engine.driver.dialect;
  const tableKey = `${plan.table.database}.${plan.table.schema}.${plan.table.name}`;
  const created = ctx.engine.catalog.table(plan.table.database, plan.table.schema, plan.table.name)?.createdOn ?? '';
  const start = loc.prefix + (prefix ?? '').replace(/^\//, '');
  const files = [];
  for await (const info of loc.store.list(start)) {
    if (!covers(info.key) || info.lastModified.getTime() < since) continue;
    if (await loadedBefore(ctx.session.conn, d, tableKey, fileIdOf(loc, info), info.etag, created)) continue;
    files.push({ path: relativeKey(loc, info.key), key: info.key, etag: info.etag, size: info.size, lastModified: info.lastModified });
  }
  const queued = await ctx.engine.pipes.enqueue(def, files);
  return showResult({ File: 'TEXT', Status: 'TEXT' }, queued.map((p) => ({ File: p, Status: 'SENT' })), {});
}

const PIPE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  definition: 'TEXT',
  owner: 'TEXT',
  notification_channel: 'TEXT',
  comment: 'TEXT',
  integration: 'TEXT',
  pattern: 'TEXT',
  error_integration: 'TEXT',
  owner_role_type: 'TEXT',
  invalid: 'TEXT',
  invalid_reason: 'TEXT',
  kind: 'TEXT',
};

function pipeRow(ctx: ExecContext, p: PipeDef): Row {
  let channel: string | null = null;
  let pattern: string | null = null;
  let invalid: string | null = null;
  try {
    const plan = planPipe(pipeContext(ctx, p));
    pattern = plan.pattern ?? null;
    if (p.autoIngest) channel = plan.loc.store.notificationChannel ?? null;
  } catch (e) {
    invalid = (e as Error).message.replace(/^SQL compilation error:\n/, '');
  }
  return {
    created_on: ltz(ctx, p.createdOn),
    name: p.name,
    database_name: p.database,
    schema_name: p.schema,
    definition: p.definition,
    owner: p.owner,
    notification_channel: channel,
    comment: p.comment ?? '',
    integration: p.integration ?? null,
    pattern,
    error_integration: p.errorIntegration ?? null,
    owner_role_type: 'ROLE',
    invalid: invalid === null ? 'false' : 'true',
    invalid_reason: invalid,
    kind: 'STAGE',
  };
}

export async function showPipes(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW PIPES', 'SCHEMA');
  if (scope.level === 'TABLE') throw compilationError('SHOW PIPES does not support IN TABLE.');
  const c = ctx.engine.catalog;
  const pipes =
    scope.level === 'ACCOUNT' ? c.schemaObjects('PIPE') : scope.level === 'DATABASE' ? c.schemaObjects('PIPE', scope.database) : c.schemaObjects('PIPE', scope.database, scope.schema);
  const rows = pipes.map((p) => (terse ? { ...pipeRow(ctx, p), kind: 'PIPE' } : pipeRow(ctx, p)));
  return showResult(terse ? TERSE_COLUMNS : PIPE_COLUMNS, rows, opts);
}

export function describePipe(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  const { def } = findPipe(ctx, cur, false);
  cur.expectEnd();
  return showResult(PIPE_COLUMNS, [pipeRow(ctx, def!)], {});
}
