/**
 * The parts every SHOW command shares: the `[LIKE] [IN] [STARTS WITH] [LIMIT]` clauses, the IN scope
 * (resolved against the session as Snowflake does), Snowflake-shaped result columns, and the final
 * filter/sort/limit pass.
 */
import { compilationError, notFound } from '../../core/errors.js';
import { displayIdent, displayName, type ObjectName } from '../../core/catalog/identifiers.js';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { FloeValue, ResultColumn, ResultTypeName } from '../../core/result.js';
import { formatMicrosInZone } from '../../core/types/timestamp-format.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { INFORMATION_SCHEMA } from '../information-schema.js';
import { lookupTable, sessionTempTables } from '../temp-tables.js';

export type InClause =
  | { kind: 'ACCOUNT' }
  | { kind: 'DATABASE'; name?: string }
  | { kind: 'SCHEMA'; name?: ObjectName }
  | { kind: 'TABLE' | 'VIEW'; name: ObjectName }
  /** `IN <name>` without a kind word: what it names depends on the SHOW command. */
  | { kind: 'NAME'; name: ObjectName };

export interface ShowOptions {
  terse: boolean;
  like?: string;
  in?: InClause;
  startsWith?: string;
  limit?: number;
  limitFrom?: string;
}

/** Parse the trailing clauses. Snowflake fixes their order; floe accepts any order, each at most once. */
export function parseShowOptions(cur: TokenCursor, terse: boolean): ShowOptions {
  const opts: ShowOptions = { terse };
  while (!cur.atEnd()) {
    if (opts.like === undefined && cur.acceptWords('LIKE')) opts.like = cur.string();
    else if (opts.in === undefined && cur.acceptWords('IN')) opts.in = parseIn(cur);
    else if (opts.startsWith === undefined && cur.acceptWords('STARTS', 'WITH')) opts.startsWith = cur.string();
    else if (opts.limit === undefined && cur.acceptWords('LIMIT')) {
      const t = cur.next();
      if (t.type !== 'number' || !/^\d+$/.test(t.value)) throw cur.unexpectedAt(t, 'expected a row count');
      opts.limit = Number(t.value);
      if (cur.acceptWords('FROM')) opts.limitFrom = cur.string();
    } else throw cur.unexpected('expected LIKE, IN, STARTS WITH or LIMIT');
  }
  return opts;
}

function parseIn(cur: TokenCursor): InClause {
  if (cur.acceptWords('ACCOUNT')) return { kind: 'ACCOUNT' };
  // The kind word may stand alone ("IN DATABASE" = the current one), so only read a name if one follows.
  const hasName = (): boolean => !cur.atEnd() && !cur.isWord('LIKE', 'STARTS', 'LIMIT');
  if (cur.acceptWords('DATABASE')) return hasName() ? { kind: 'DATABASE', name: cur.identifier().name } : { kind: 'DATABASE' };
  if (cur.acceptWords('SCHEMA')) return hasName() ? { kind: 'SCHEMA', name: cur.objectName() } : { kind: 'SCHEMA' };
  if (cur.acceptWords('TABLE')) return { kind: 'TABLE', name: cur.objectName() };
  if (cur.acceptWords('VIEW')) return { kind: 'VIEW', name: cur.objectName() };
  return { kind: 'NAME', name: cur.objectName() };
}

export type Scope =
  | { level: 'ACCOUNT' }
  | { level: 'DATABASE'; database: string }
  | { level: 'SCHEMA'; database: string; schema: string }
  | { level: 'TABLE'; table: TableDef };

/**
 * Resolve IN to a scope that exists. `bare` says what a kind-less `IN x` names for this command;
 * `fallback` is the scope without IN (Snowflake: the current schema, else database, else account,
 * cut off at `fallback`'s level).
 */
export function resolveScope(
  ctx: ExecContext,
  clause: InClause | undefined,
  command: string,
  fallback: 'ACCOUNT' | 'DATABASE' | 'SCHEMA',
  bare: 'DATABASE' | 'SCHEMA' | 'TABLE' = 'SCHEMA',
): Scope {
  const { session } = ctx;
  if (clause === undefined) {
    if (fallback === 'SCHEMA' && session.database !== undefined && session.schema !== undefined) {
      return schemaScope(ctx, session.database, session.schema);
    }
    if (fallback !== 'ACCOUNT' && session.database !== undefined) return databaseScope(ctx, session.database);
    return { level: 'ACCOUNT' };
  }
  switch (clause.kind) {
    case 'ACCOUNT':
      return { level: 'ACCOUNT' };
    case 'DATABASE': {
      const db = clause.name ?? session.database;
      if (db === undefined) throw noCurrent(command, 'database', 'DATABASE');
      return databaseScope(ctx, db);
    }
    case 'SCHEMA':
      if (clause.name === undefined) {
        if (session.schema === undefined) throw noCurrent(command, 'schema', 'SCHEMA');
        return schemaScope(ctx, session.database, session.schema);
      }
      return schemaScope(ctx, schemaDatabase(ctx, clause.name), clause.name.name);
    case 'TABLE':
    case 'VIEW':
      return tableScope(ctx, clause.name, clause.kind);
    case 'NAME': {
      const n = clause.name;
      if (bare === 'TABLE') return tableScope(ctx, n, 'TABLE');
      if (n.schema !== undefined) return schemaScope(ctx, schemaDatabase(ctx, n), n.name);
      if (bare === 'DATABASE') return databaseScope(ctx, n.name);
      // A one-part name: a schema of the current database if there is one, else a database.
      const cur = session.database;
      if ((cur === undefined || !ctx.engine.catalog.schema(cur, n.name)) && ctx.engine.catalog.database(n.name)) {
        return databaseScope(ctx, n.name);
      }
      return schemaScope(ctx, cur, n.name);
    }
  }
}

/** The database of a schema name written `[db.]schema` (objectName() right-aligns it). */
function schemaDatabase(ctx: ExecContext, n: ObjectName): string | undefined {
  if (n.database !== undefined) throw compilationError(`invalid schema name '${displayName(n)}'`);
  return n.schema ?? ctx.session.database;
}

const noCurrent = (command: string, what: string, kw: string) =>
  compilationError(`Cannot perform ${command}. This session does not have a current ${what}. Call 'USE ${kw}', or use a qualified name.`);

function databaseScope(ctx: ExecContext, database: string): Scope {
  if (!ctx.engine.catalog.database(database)) throw notFound('Database', displayIdent(database));
  return { level: 'DATABASE', database };
}

function schemaScope(ctx: ExecContext, database: string | undefined, schema: string): Scope {
  if (database === undefined) throw notFound('Schema', displayIdent(schema));
  if (!ctx.engine.catalog.database(database)) throw notFound('Database', displayIdent(database));
  // INFORMATION_SCHEMA is not a catalog entry, but every database has it.
  if (schema !== INFORMATION_SCHEMA && !ctx.engine.catalog.schema(database, schema)) throw notFound('Schema', displayName({ database, name: schema }));
  return { level: 'SCHEMA', database, schema };
}

function tableScope(ctx: ExecContext, n: ObjectName, kind: 'TABLE' | 'VIEW'): Scope {
  const database = n.database ?? ctx.session.database;
  const schema = n.schema ?? ctx.session.schema;
  const missing = (): never => {
    throw notFound(kind === 'VIEW' ? 'View' : 'Table', displayName(n));
  };
  if (database === undefined || schema === undefined) return missing();
  const def = lookupTable(ctx, { database, schema, name: n.name });
  // Snowflake lets IN TABLE name a view (and the reverse is an error).
  if (!def || (kind === 'VIEW' && def.kind !== 'VIEW')) return missing();
  return { level: 'TABLE', table: def };
}

/**
 * Tables and/or views in a scope, sorted by database, schema, name: the session's temporary tables too (a
 * temporary table and the permanent table it hides are both listed, as Snowflake does).
 */
export function tablesInScope(ctx: ExecContext, scope: Scope): TableDef[] {
  switch (scope.level) {
    case 'ACCOUNT':
      return [...ctx.engine.catalog.tables(), ...sessionTempTables(ctx)].sort(byQualifiedName);
    case 'DATABASE':
      return [...ctx.engine.catalog.tables(scope.database), ...sessionTempTables(ctx, scope.database)].sort(byQualifiedName);
    case 'SCHEMA':
      return [...ctx.engine.catalog.tables(scope.database, scope.schema), ...sessionTempTables(ctx, scope.database, scope.schema)].sort(byQualifiedName);
    case 'TABLE':
      return [scope.table];
  }
}

/** Snowflake orders SHOW output by binary name comparison (upper case before lower case). */
export const binaryCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byQualifiedName = (a: TableDef, b: TableDef): number =>
  binaryCompare(a.database, b.database) || binaryCompare(a.schema, b.schema) || binaryCompare(a.name, b.name);

/** Snowflake SHOW … LIKE: case-insensitive SQL LIKE with % and _, and \ escaping either. */
export function likeMatcher(pattern: string): (s: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  const rx = new RegExp(`^${re}$`, 'iu');
  return (s) => rx.test(s);
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export type ColumnSpecs = Record<string, ResultTypeName>;
export type Row = Record<string, FloeValue>;

export function resultColumns(specs: ColumnSpecs): ResultColumn[] {
  return Object.entries(specs).map(([name, type]) => (type === 'NUMBER' ? { name, type, precision: 38, scale: 0 } : { name, type }));
}

/**
 * Apply LIKE / STARTS WITH / LIMIT [FROM] to rows already in Snowflake's order, filtering on `nameKey`,
 * and shape them into a result. Missing fields become NULL.
 */
export function showResult(specs: ColumnSpecs, rows: Row[], opts: Partial<ShowOptions>, nameKey = 'name'): HandlerResult {
  const name = (r: Row): string => String(r[nameKey] ?? '');
  let out = rows;
  if (opts.like !== undefined) {
    const m = likeMatcher(opts.like);
    out = out.filter((r) => m(name(r)));
  }
  if (opts.startsWith !== undefined) {
    const prefix = opts.startsWith;
    out = out.filter((r) => name(r).startsWith(prefix));
  }
  if (opts.limitFrom !== undefined) {
    // LIMIT … FROM 'x' is a cursor: rows from the first name at or after 'x'.
    const from = opts.limitFrom;
    out = out.filter((r) => binaryCompare(name(r), from) >= 0);
  }
  if (opts.limit !== undefined) out = out.slice(0, opts.limit);
  const keys = Object.keys(specs);
  return { columns: resultColumns(specs), rows: out.map((r) => keys.map((k) => r[k] ?? null)) };
}

/** An ISO instant as a TIMESTAMP_LTZ value in the session time zone. */
export function ltz(ctx: ExecContext, iso: string): string {
  return formatMicrosInZone(BigInt(Date.parse(iso)) * 1000n, ctx.session.params.get('TIMEZONE'));
}

export const yn = (b: boolean | undefined): string => (b ? 'Y' : 'N');

/** Columns of SHOW TERSE <objects>. */
export const TERSE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  kind: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
};
