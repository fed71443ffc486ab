/**
 * Snowflake name resolution against the session's current database and schema.
 */
import { compilationError, notFound } from '../core/errors.js';
import { displayName, type FullName, type ObjectName } from '../core/catalog/identifiers.js';
import type { SchemaDef, TableDef } from '../core/catalog/catalog-model.js';
import type { ExecContext } from './exec-context.js';
import { lookupTable } from './temp-tables.js';

/** Fill in the current database/schema. `action` names the statement in Snowflake's "Cannot perform" error. */
export function qualify(ctx: ExecContext, n: ObjectName, action = 'this operation'): FullName {
  const database = n.database ?? ctx.session.database;
  if (database === undefined) {
    throw compilationError(`Cannot perform ${action}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`);
  }
  const schema = n.schema ?? ctx.session.schema;
  if (schema === undefined) {
    throw compilationError(`Cannot perform ${action}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`);
  }
  return { database, schema, name: n.name };
}

export function requireSchema(ctx: ExecContext, database: string, schema: string): SchemaDef {
  if (!ctx.engine.catalog.database(database)) throw notFound('Database', displayName({ name: database }));
  const s = ctx.engine.catalog.schema(database, schema);
  if (!s) throw notFound('Schema', displayName({ database, name: schema }));
  return s;
}

/**
 * Find a table or view (the session's temporary table first); missing → Snowflake's "Object '…' does not exist
 * or not authorized."
 */
export function findTable(ctx: ExecContext, n: ObjectName, kindForError = 'Object'): { full: FullName; def: TableDef } {
  const full = qualify(ctx, n);
  const def = lookupTable(ctx, full);
  if (!def) throw notFound(kindForError, displayName(n));
  return { full, def };
}
