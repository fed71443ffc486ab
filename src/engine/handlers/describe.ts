/**
 * DESCRIBE / DESC for the objects floe's catalog holds, with Snowflake's columns. Like SHOW, the
 * dispatch is a table keyed by the object kind so new kinds (STAGE, STREAM, TASK, …) are one entry.
 */
import { compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import { formatSfType } from '../../core/types/snowflake-type.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { INFORMATION_SCHEMA } from '../information-schema.js';
import { qualify } from '../resolve-names.js';
import { binaryCompare, ltz, showResult, yn, type ColumnSpecs, type Row } from './show-common.js';
import { tableConstraints } from './show-keys.js';
import { describeFileFormat, describeStage } from './stage-ddl.js';
import { describeStream } from './stream-ddl.js';
import { describeProcedure } from '../procedures/procedure-ddl.js';
import { describePipe } from './pipe-ddl.js';
import { describeTask } from './show-tasks.js';
import { lookupTable, sessionTempTables } from '../temp-tables.js';

type DescribeHandler = (ctx: ExecContext, cur: TokenCursor) => HandlerResult | Promise<HandlerResult>;

const DESCRIBE_HANDLERS: Record<string, DescribeHandler> = {
  TABLE: (ctx, cur) => describeTable(ctx, cur, 'TABLE'),
  VIEW: (ctx, cur) => describeTable(ctx, cur, 'VIEW'),
  DATABASE: describeDatabase,
  SCHEMA: describeSchema,
  STAGE: describeStage,
  FILE: describeFileFormat,
  STREAM: describeStream,
  PROCEDURE: describeProcedure,
  PIPE: describePipe,
  TASK: describeTask,
};

/** Words after DESCRIBE that name a kind floe does not describe yet (anything else is a table name). */
const OTHER_KINDS = new Set([
  'STAGE', 'PIPE', 'SEQUENCE', 'FUNCTION', 'PROCEDURE', 'WAREHOUSE', 'USER', 'ROLE', 'RESULT',
  'FILE', 'EXTERNAL', 'MATERIALIZED', 'DYNAMIC', 'INTEGRATION', 'SHARE', 'SEARCH', 'NETWORK', 'ALERT', 'ICEBERG',
]);

export async function handleDescribe(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  if (!cur.acceptWords('DESCRIBE')) cur.expectWords('DESC');
  const t = cur.peek();
  if (!t) throw cur.unexpected('expected an object');
  const handler = t.type === 'word' ? DESCRIBE_HANDLERS[t.value] : undefined;
  // `DESC TABLE` where TABLE is itself the name is not valid Snowflake; a kind word is always a kind.
  if (handler && cur.peek(1) !== undefined) {
    cur.next();
    return handler(ctx, cur);
  }
  if (t.type === 'word' && OTHER_KINDS.has(t.value) && cur.peek(1) !== undefined) {
    const second = cur.peek(1);
    const kind = ['FILE', 'EXTERNAL', 'MATERIALIZED', 'DYNAMIC', 'INTEGRATION', 'SEARCH', 'NETWORK', 'ICEBERG'].includes(t.value) && second?.type === 'word' ? `${t.value} ${second.value}` : t.value;
    throw unsupported(`DESCRIBE ${kind}`);
  }
  // DESCRIBE <name> without a kind describes a table.
  return describeTable(ctx, cur, 'TABLE');
}

const TABLE_COLUMNS: ColumnSpecs = {
  name: 'TEXT',
  type: 'TEXT',
  kind: 'TEXT',
  'null?': 'TEXT',
  default: 'TEXT',
  'primary key': 'TEXT',
  'unique key': 'TEXT',
  check: 'TEXT',
  expression: 'TEXT',
  comment: 'TEXT',
  'policy name': 'TEXT',
  'privacy domain': 'TEXT',
  'schema evolution record': 'TEXT',
};

function describeTable(ctx: ExecContext, cur: TokenCursor, kind: 'TABLE' | 'VIEW'): HandlerResult {
  const name = cur.objectName();
  if (cur.acceptWords('TYPE')) {
    cur.expectSymbol('=');
    const type = cur.next();
    if (type.value === 'STAGE') throw unsupported(`DESCRIBE ${kind} … TYPE = STAGE`);
    if (type.value !== 'COLUMNS') throw cur.unexpectedAt(type, 'expected COLUMNS or STAGE');
  }
  cur.expectEnd();
  const label = kind === 'VIEW' ? 'View' : 'Table';
  const full = qualify(ctx, name, `DESCRIBE ${kind}`);
  const def = kind === 'TABLE' ? lookupTable(ctx, full) : ctx.engine.catalog.table(full.database, full.schema, full.name);
  // DESCRIBE TABLE accepts a view (as Snowflake does); DESCRIBE VIEW on a table does not.
  if (!def || (kind === 'VIEW' && def.kind !== 'VIEW')) throw notFound(label, displayName(name));
  const pk = keyColumns(def, 'PRIMARY KEY');
  const unique = keyColumns(def, 'UNIQUE');
  const rows: Row[] = def.columns.map((c) => ({
    name: c.name,
    type: formatSfType(c.type),
    kind: 'COLUMN',
    'null?': yn(c.nullable),
    default: c.default ?? null,
    'primary key': yn(pk.has(c.name)),
    'unique key': yn(unique.has(c.name)),
    check: null,
    expression: null,
    comment: c.comment ?? null,
    'policy name': null,
    'privacy domain': null,
    'schema evolution record': null,
  }));
  return showResult(TABLE_COLUMNS, rows, {});
}

function keyColumns(def: TableDef, kind: 'PRIMARY KEY' | 'UNIQUE'): Set<string> {
  return new Set(tableConstraints(def).flatMap((c) => (c.def.kind === kind ? c.def.columns : [])));
}

const CONTENTS_COLUMNS: ColumnSpecs = { created_on: 'TIMESTAMP_LTZ', name: 'TEXT', kind: 'TEXT' };

const byName = (a: Row, b: Row): number => binaryCompare(String(a.name), String(b.name));

function describeDatabase(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  const db = cur.identifier().name;
  cur.expectEnd();
  const def = ctx.engine.catalog.database(db);
  if (!def) throw notFound('Database', displayIdent(db));
  const rows: Row[] = ctx.engine.catalog.schemas(db).map((s) => ({ created_on: ltz(ctx, s.createdOn), name: s.name, kind: 'SCHEMA' }));
  rows.push({ created_on: ltz(ctx, def.createdOn), name: INFORMATION_SCHEMA, kind: 'SCHEMA' });
  return showResult(CONTENTS_COLUMNS, rows.sort(byName), {});
}

function describeSchema(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  const n = cur.objectName();
  cur.expectEnd();
  if (n.database !== undefined) throw compilationError(`invalid schema name '${displayName(n)}'`);
  const db = n.schema ?? ctx.session.database;
  if (db === undefined) {
    throw compilationError("Cannot perform DESCRIBE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
  }
  if (!ctx.engine.catalog.database(db)) throw notFound('Database', displayIdent(db));
  if (!ctx.engine.catalog.schema(db, n.name)) throw notFound('Schema', displayName({ database: db, name: n.name }));
  const tables = [...ctx.engine.catalog.tables(db, n.name), ...sessionTempTables(ctx, db, n.name)];
  const rows: Row[] = tables.map((t) => ({ created_on: ltz(ctx, t.createdOn), name: t.name, kind: t.kind }));
  return showResult(CONTENTS_COLUMNS, rows.sort(byName), {});
}
