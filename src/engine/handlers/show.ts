/**
 * SHOW <objects>: floe answers from its catalog (and session), shaped exactly like Snowflake's output so
 * scripts and tools that read SHOW results by column name keep working. Each object kind has its own
 * handler in the SHOW_HANDLERS table; new kinds (STREAMS, TASKS, STAGES, …) are one entry each.
 */
import { compilationError, unsupported } from '../../core/errors.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { INFORMATION_SCHEMA } from '../information-schema.js';
import { showGrants, showParameters } from './show-grants.js';
import { showRoles, showUsers, showWarehouses } from './show-account.js';
import { showKeys } from './show-keys.js';
import { showFileFormats, showStages } from './stage-ddl.js';
import { showStreams } from './show-streams.js';
import { showProcedures } from '../procedures/procedure-ddl.js';
import { showPipes } from './pipe-ddl.js';
import { showTasks } from './show-tasks.js';
import { showColumns, showTables, showViews } from './show-tables.js';
import { binaryCompare, ltz, parseShowOptions, resolveScope, showResult, TERSE_COLUMNS, type ColumnSpecs, type Row } from './show-common.js';

/** A SHOW handler gets the cursor just after its kind word(s) and whether TERSE was given. */
export type ShowHandler = (ctx: ExecContext, cur: TokenCursor, terse: boolean) => Promise<HandlerResult>;

/** Keyed by the kind as written after SHOW [TERSE] (one or two words; two-word keys win). */
const SHOW_HANDLERS: Record<string, ShowHandler> = {
  DATABASES: async (ctx, cur, terse) => showDatabases(ctx, cur, terse),
  SCHEMAS: async (ctx, cur, terse) => showSchemas(ctx, cur, terse),
  TABLES: showTables,
  VIEWS: showViews,
  COLUMNS: showColumns,
  'PRIMARY KEYS': showKeys('PRIMARY'),
  'UNIQUE KEYS': showKeys('UNIQUE'),
  'IMPORTED KEYS': showKeys('IMPORTED'),
  ROLES: showRoles,
  WAREHOUSES: showWarehouses,
  USERS: showUsers,
  GRANTS: showGrants,
  PARAMETERS: showParameters,
  STAGES: showStages,
  'FILE FORMATS': showFileFormats,
  STREAMS: showStreams,
  PROCEDURES: showProcedures,
  PIPES: showPipes,
  TASKS: showTasks,
};

export async function handleShow(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('SHOW');
  const terse = cur.acceptWords('TERSE');
  const w1 = cur.peek();
  if (!w1) throw cur.unexpected('expected an object kind');
  if (w1.type !== 'word') throw cur.unexpectedAt(w1, 'expected an object kind');
  const w2 = cur.peek(1);
  const two = w2?.type === 'word' ? `${w1.value} ${w2.value}` : undefined;
  if (two !== undefined && SHOW_HANDLERS[two]) {
    cur.pos += 2;
    return SHOW_HANDLERS[two](ctx, cur, terse);
  }
  const handler = SHOW_HANDLERS[w1.value];
  if (!handler) throw unsupported(`SHOW ${terse ? 'TERSE ' : ''}${w1.value}`);
  cur.pos += 1;
  return handler(ctx, cur, terse);
}

const DATABASE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  is_default: 'TEXT',
  is_current: 'TEXT',
  origin: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  options: 'TEXT',
  retention_time: 'TEXT',
  kind: 'TEXT',
  budget: 'TEXT',
  owner_role_type: 'TEXT',
};

function showDatabases(ctx: ExecContext, cur: TokenCursor, terse: boolean): HandlerResult {
  const opts = parseShowOptions(cur, terse);
  if (opts.in !== undefined && opts.in.kind !== 'ACCOUNT') throw compilationError('SHOW DATABASES supports only IN ACCOUNT.');
  const rows: Row[] = ctx.engine.catalog
    .databases()
    .sort((a, b) => binaryCompare(a.name, b.name))
    .map((d) => ({
      created_on: ltz(ctx, d.createdOn),
      name: d.name,
      is_default: 'N',
      is_current: d.name === ctx.session.database ? 'Y' : 'N',
      origin: '',
      owner: d.owner,
      comment: d.comment ?? '',
      options: '',
      retention_time: String(d.retentionTime),
      kind: 'STANDARD',
      budget: null,
      owner_role_type: 'ROLE',
      database_name: null,
      schema_name: null,
    }));
  return showResult(terse ? TERSE_COLUMNS : DATABASE_COLUMNS, rows, opts);
}

const SCHEMA_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  is_default: 'TEXT',
  is_current: 'TEXT',
  database_name: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  options: 'TEXT',
  retention_time: 'TEXT',
  owner_role_type: 'TEXT',
};

function showSchemas(ctx: ExecContext, cur: TokenCursor, terse: boolean): HandlerResult {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW SCHEMAS', 'DATABASE', 'DATABASE');
  if (scope.level === 'TABLE' || scope.level === 'SCHEMA') throw compilationError('SHOW SCHEMAS supports only IN ACCOUNT or IN DATABASE.');
  const { catalog } = ctx.engine;
  const dbs = scope.level === 'ACCOUNT' ? catalog.databases() : [catalog.database(scope.database)].filter((d) => d !== undefined);
  const rows: Row[] = [];
  for (const db of dbs.sort((a, b) => binaryCompare(a.name, b.name))) {
    const isCurrent = (s: string): string => (db.name === ctx.session.database && s === ctx.session.schema ? 'Y' : 'N');
    const schemaRows: Row[] = catalog.schemas(db.name).map((s) => ({
      created_on: ltz(ctx, s.createdOn),
      name: s.name,
      is_current: isCurrent(s.name),
      database_name: s.database,
      owner: s.owner,
      comment: s.comment ?? '',
      retention_time: String(s.retentionTime),
      owner_role_type: 'ROLE',
    }));
    // Every Snowflake database has an INFORMATION_SCHEMA, owned by no role.
    schemaRows.push({
      created_on: ltz(ctx, db.createdOn),
      name: INFORMATION_SCHEMA,
      is_current: isCurrent(INFORMATION_SCHEMA),
      database_name: db.name,
      owner: '',
      comment: 'Views describing the contents of schemas in this database',
      retention_time: '1',
      owner_role_type: '',
    });
    for (const r of schemaRows) {
      r.is_default = 'N';
      r.options = '';
      r.kind = null;
      r.schema_name = null;
    }
    rows.push(...schemaRows.sort((a, b) => binaryCompare(String(a.name), String(b.name))));
  }
  return showResult(terse ? TERSE_COLUMNS : SCHEMA_COLUMNS, rows, opts);
}
