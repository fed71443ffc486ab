/**
 * CREATE / DROP / ALTER / USE for databases and schemas — objects DuckDB does not have, so floe owns them:
 * a Snowflake schema is a backend schema "DB.SCHEMA"; a database is the set of its schemas plus its
 * INFORMATION_SCHEMA views.
 */
import { alreadyExists, compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import { keys, type CatalogChange } from '../../core/catalog/catalog.js';
import type { DatabaseDef, SchemaDef } from '../../core/catalog/catalog-model.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { changeTables, dropTrackedSql } from '../changes/change-store.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { INFORMATION_SCHEMA } from '../information-schema.js';
import { METADATA_SCHEMA } from '../metadata-store.js';
import { parseProperties } from './properties.js';

const now = (): string => new Date().toISOString();

function metadataTable(ctx: ExecContext): string {
  const d = ctx.engine.driver.dialect;
  return `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('catalog')}`;
}

/** Physical DDL to drop every backend schema of a database (its schemas and INFORMATION_SCHEMA). */
function dropDatabasePhysical(ctx: ExecContext, db: string): string[] {
  const d = ctx.engine.driver.dialect;
  const schemas = ctx.engine.catalog.schemas(db).map((s) => s.name);
  return [...trackedContentsDropSql(ctx, db), ...[...schemas, INFORMATION_SCHEMA].map((s) => d.dropSchema(d.physicalSchema(db, s)))];
}

/** Tracked storage and stream offsets live in the internal schema: a dropped database/schema takes them along. */
function trackedContentsDropSql(ctx: ExecContext, db: string, schema?: string): string[] {
  const { catalog, driver } = ctx.engine;
  const d = driver.dialect;
  const out = catalog.tables(db, schema).filter((t) => t.tracked).flatMap((t) => dropTrackedSql(d, t, false));
  for (const s of catalog.streams(db, schema)) out.push(`DELETE FROM ${changeTables(d).offsets} WHERE stream_id = ${d.quoteString(s.id)}`);
  return out;
}

/** Catalog removals for everything inside a database or schema. */
function removeContents(ctx: ExecContext, db: string, schema?: string): CatalogChange['remove'] {
  const { catalog } = ctx.engine;
  const out = catalog.tables(db, schema).map((t) => keys.table(t.database, t.schema, t.name));
  for (const k of ['STAGE', 'FILE_FORMAT', 'PIPE'] as const) {
    out.push(...catalog.schemaObjects(k, db, schema).map((o) => keys.schemaObject(k, o.database, o.schema, o.name)));
  }
  out.push(...catalog.schemaObjects('PROCEDURE', db, schema).map((p) => keys.procedure(p.database, p.schema, p.name, p.signature)));
  out.push(...catalog.streams(db, schema).map((t) => keys.stream(t.database, t.schema, t.name)));
  if (schema === undefined) out.push(...catalog.schemas(db).map((s) => keys.schema(db, s.name)));
  return out;
}

export async function handleCreateDatabaseOrSchema(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  cur.acceptWords('TRANSIENT'); // recorded by Snowflake as a kind; no storage difference here
  const kind = cur.next().value as 'DATABASE' | 'SCHEMA';
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const name = cur.objectName();
  if (cur.isWord('CLONE')) throw unsupported(`CREATE ${kind} … CLONE`);
  const props = parseProperties(cur);
  const d = ctx.engine.driver.dialect;
  const { catalog } = ctx.engine;
  const base = { createdOn: now(), owner: ctx.session.role, retentionTime: Number(props.DATA_RETENTION_TIME_IN_DAYS ?? 1), ...(props.COMMENT !== undefined ? { comment: props.COMMENT } : {}) };

  if (kind === 'DATABASE') {
    if (name.schema !== undefined) throw compilationError(`invalid database name '${displayName(name)}'`);
    const db = name.name;
    const exists = catalog.database(db) !== undefined;
    if (exists && ifNotExists) return statusResult(`${displayIdent(db)} already exists, statement succeeded.`);
    if (exists && !orReplace) throw alreadyExists('Database', displayIdent(db));
    const def: DatabaseDef = { name: db, ...base };
    // PUBLIC gets the database's ownership and retention, not its comment.
    const pub: SchemaDef = { database: db, name: 'PUBLIC', createdOn: base.createdOn, owner: base.owner, retentionTime: base.retentionTime };
    const physical = [
      ...(exists ? dropDatabasePhysical(ctx, db) : []),
      d.createSchema(d.physicalSchema(db, 'PUBLIC')),
      ...d.informationSchemaViews(db, metadataTable(ctx)),
    ];
    await commitDdl(ctx, physical, {
      remove: exists ? removeContents(ctx, db) : [],
      put: [
        { kind: 'DATABASE', def },
        { kind: 'SCHEMA', def: pub },
      ],
    });
    ctx.session.database = db;
    ctx.session.schema = 'PUBLIC';
    return statusResult(`Database ${displayIdent(db)} successfully created.`);
  }

  if (name.database !== undefined && name.schema !== undefined) throw compilationError(`invalid schema name '${displayName(name)}'`);
  const db = name.schema ?? ctx.session.database;
  if (db === undefined) throw compilationError("Cannot perform CREATE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
  if (!catalog.database(db)) throw notFound('Database', displayIdent(db));
  const schema = name.name;
  if (schema === INFORMATION_SCHEMA) throw compilationError(`Schema '${INFORMATION_SCHEMA}' is reserved.`);
  const exists = catalog.schema(db, schema) !== undefined;
  if (exists && ifNotExists) return statusResult(`${displayIdent(schema)} already exists, statement succeeded.`);
  if (exists && !orReplace) throw alreadyExists('Schema', displayIdent(schema));
  const phys = d.physicalSchema(db, schema);
  await commitDdl(ctx, [...(exists ? [...trackedContentsDropSql(ctx, db, schema), d.dropSchema(phys)] : []), d.createSchema(phys)], {
    remove: exists ? removeContents(ctx, db, schema) : [],
    put: [{ kind: 'SCHEMA', def: { database: db, name: schema, ...base } }],
  });
  ctx.session.database = db;
  ctx.session.schema = schema;
  return statusResult(`Schema ${displayIdent(schema)} successfully created.`);
}

export async function handleDropDatabaseOrSchema(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP');
  const kind = cur.next().value as 'DATABASE' | 'SCHEMA';
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  if (!cur.acceptWords('CASCADE')) cur.acceptWords('RESTRICT');
  cur.expectEnd();
  const { catalog } = ctx.engine;
  const d = ctx.engine.driver.dialect;
  if (kind === 'DATABASE') {
    const db = name.name;
    if (!catalog.database(db)) {
      if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(db)} already dropped).`);
      throw notFound('Database', displayIdent(db));
    }
    await commitDdl(ctx, dropDatabasePhysical(ctx, db), { remove: [...removeContents(ctx, db), keys.database(db)], put: [] });
    if (ctx.session.database === db) {
      ctx.session.database = undefined;
      ctx.session.schema = undefined;
    }
    return statusResult(`${displayIdent(db)} successfully dropped.`);
  }
  const db = name.schema ?? ctx.session.database;
  const schema = name.name;
  if (db === undefined || !catalog.schema(db, schema)) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(schema)} already dropped).`);
    if (db !== undefined && !catalog.database(db)) throw notFound('Database', displayIdent(db));
    throw notFound('Schema', displayName(name));
  }
  await commitDdl(ctx, [...trackedContentsDropSql(ctx, db, schema), d.dropSchema(d.physicalSchema(db, schema))], { remove: [...removeContents(ctx, db, schema), keys.schema(db, schema)], put: [] });
  if (ctx.session.database === db && ctx.session.schema === schema) ctx.session.schema = undefined;
  return statusResult(`${displayIdent(schema)} successfully dropped.`);
}

export async function handleAlterDatabaseOrSchema(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('ALTER');
  const kind = cur.next().value as 'DATABASE' | 'SCHEMA';
  cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  const { catalog } = ctx.engine;
  const db = kind === 'DATABASE' ? name.name : (name.schema ?? ctx.session.database);
  if (db === undefined || !catalog.database(db)) throw notFound('Database', displayIdent(db ?? name.name));
  const schemaDef = kind === 'SCHEMA' ? catalog.schema(db, name.name) : undefined;
  if (kind === 'SCHEMA' && !schemaDef) throw notFound('Schema', displayName(name));
  if (cur.isWord('RENAME', 'SWAP')) throw unsupported(`ALTER ${kind} … ${cur.peek()?.value}`);
  const set = cur.acceptWords('SET');
  const unset = !set && cur.acceptWords('UNSET');
  if (!set && !unset) throw cur.unexpected('expected SET or UNSET');
  const props = set ? parseProperties(cur) : Object.fromEntries(cur.rest().filter((t) => t.type === 'word').map((t) => [t.value, '']));
  const apply = <T extends { comment?: string; retentionTime: number }>(def: T): T => {
    const next = { ...def };
    for (const [k, v] of Object.entries(props)) {
      if (k === 'COMMENT') {
        if (set) next.comment = v;
        else delete next.comment;
      } else if (k === 'DATA_RETENTION_TIME_IN_DAYS') next.retentionTime = set ? Number(v) : 1;
    }
    return next;
  };
  const put = kind === 'DATABASE' ? [{ kind: 'DATABASE' as const, def: apply(catalog.database(db) as DatabaseDef) }] : [{ kind: 'SCHEMA' as const, def: apply(schemaDef as SchemaDef) }];
  await commitDdl(ctx, [], { remove: [], put });
  return statusResult('Statement executed successfully.');
}

export async function handleUse(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('USE');
  const { catalog } = ctx.engine;
  if (cur.acceptWords('ROLE')) {
    const role = cur.identifier().name;
    if (!['ACCOUNTADMIN', 'SYSADMIN', 'SECURITYADMIN', 'USERADMIN', 'PUBLIC', 'ORGADMIN'].includes(role) && !catalog.accountObject('ROLE', role)) {
      throw notFound('Role', displayIdent(role));
    }
    ctx.session.role = role;
    return statusResult('Statement executed successfully.');
  }
  if (cur.acceptWords('WAREHOUSE')) {
    const wh = cur.identifier().name;
    if (!catalog.accountObject('WAREHOUSE', wh)) throw notFound('Warehouse', displayIdent(wh));
    ctx.session.warehouse = wh;
    return statusResult('Statement executed successfully.');
  }
  if (cur.acceptWords('SECONDARY', 'ROLES')) return statusResult('Statement executed successfully.');
  const kind = cur.acceptWords('DATABASE') ? 'DATABASE' : cur.acceptWords('SCHEMA') ? 'SCHEMA' : undefined;
  const name = cur.objectName();
  cur.expectEnd();
  if (kind === 'DATABASE' || (kind === undefined && name.schema === undefined && catalog.database(name.name) && !(ctx.session.database && catalog.schema(ctx.session.database, name.name)))) {
    if (!catalog.database(name.name)) throw notFound('Database', displayIdent(name.name));
    ctx.session.database = name.name;
    ctx.session.schema = catalog.schema(name.name, 'PUBLIC') ? 'PUBLIC' : undefined;
    return statusResult('Statement executed successfully.');
  }
  const db = name.schema ?? ctx.session.database;
  if (db === undefined) throw compilationError("Cannot perform USE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
  if (!catalog.database(db)) throw notFound('Database', displayIdent(db));
  if (!catalog.schema(db, name.name) && name.name !== INFORMATION_SCHEMA) throw notFound('Schema', displayName({ database: db, name: name.name }));
  ctx.session.database = db;
  ctx.session.schema = name.name;
  return statusResult('Statement executed successfully.');
}
