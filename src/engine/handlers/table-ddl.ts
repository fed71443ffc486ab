/**
 * CREATE TABLE (columns or AS SELECT), CREATE VIEW, ALTER TABLE, DROP TABLE/VIEW, TRUNCATE. The catalog
 * holds the Snowflake definition; the backend gets a physical table built from it, never the user's DDL text.
 */
import { alreadyExists, compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName, resolveIdent } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { ClusterKey, ColumnDef, TableDef } from '../../core/catalog/catalog-model.js';
import type { ColumnSpec } from '../../core/ports/warehouse.js';
import { sfTypeFromResult } from '../../core/types/result-to-sf-type.js';
import { nodeKind, type AstNode, type Ident } from '../../sql/ast/ast-node.js';
import { objectNameOf } from '../../sql/translate/bind-statement.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { addSnowflakeOutputNames } from '../output-names.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { parseStatement, prepareForBackend, print } from '../translate.js';
import { columnSpecsOf, parseColumn, parseTableConstraints } from './column-defs.js';
import { parseProperties } from './properties.js';
import { clearLoadHistory } from '../load/load-history.js';
import { dropTrackedSql, trackedNames, viewSql } from '../changes/change-store.js';
import { analyzeChanges, enterTableGate, offsetUpdateSql } from '../changes/statement-changes.js';
import { captureRows, stampWrites } from '../changes/tracked-dml.js';
import { newObjectId } from '../changes/stream-source.js';
import { endTransaction, inTransaction } from '../transactions.js';
import { disableTracking, enableTracking } from './stream-ddl.js';
import { loadHistoryKey, lookupTable, physicalTableOf, sessionTempTable, temporaryModifier } from '../temp-tables.js';
import type { CatalogChange } from '../../core/catalog/catalog.js';
import { alterClusteringKey, checkClusterKeys, createClusterIndexSql, dropClusterIndexSql, extractClusterBy, hasClusterIndex } from './clustering-key.js';

const ident = (i: Ident): string => resolveIdent(i.name, i.quoted);
const title = (k: string): string => k[0] + k.slice(1).toLowerCase();
/** A temporary table's DDL changes nothing in the shared catalog (see temp-tables.ts). */
const NO_SHARED_CHANGE: CatalogChange = { put: [], remove: [] };

/** Commit a table DDL: a temporary table's change goes to the session's overlay, any other to the catalog. */
async function commitTableDdl(
  ctx: ExecContext,
  physical: string[],
  before: TableDef | undefined,
  after: TableDef | undefined,
  remove: CatalogChange['remove'] = [],
  first: string[] = [],
): Promise<void> {
  const def = before ?? after;
  if (def?.temporary) {
    await commitDdl(ctx, physical, NO_SHARED_CHANGE, { before: first, temporary: { ...(before ? { remove: before } : {}), ...(after ? { put: after } : {}) } });
    return;
  }
  await commitDdl(ctx, physical, { remove, put: after ? [{ kind: 'TABLE', def: after }] : [] }, { before: first });
}

function tableComment(body: AstNode): string | undefined {
  for (const opt of (body.mysql_table_options ?? []) as [string, string][]) {
    if (String(opt[0]).toUpperCase() === 'COMMENT') return String(opt[1]).replace(/^'(.*)'$/s, '$1').replace(/''/g, "'");
  }
  return typeof body.comment === 'string' ? body.comment : undefined;
}

/** Run a query with LIMIT 0 to learn its result columns (names and types) without reading data. */
async function probeColumns(ctx: ExecContext, querySql: string): Promise<ColumnSpec[]> {
  const r = await ctx.session.conn.query(`SELECT * FROM (${querySql}) AS floe_probe LIMIT 0`);
  return r.columns.map((c) => ({ name: c.name, type: sfTypeFromResult(c), nullable: true }));
}

export async function handleCreateTableOrView(ctx: ExecContext): Promise<HandlerResult> {
  // LOCAL/GLOBAL TEMPORARY and VOLATILE are Snowflake's synonyms of TEMPORARY; the parser knows TEMP[ORARY] only.
  const temp = temporaryModifier(ctx.stmt.sql, ctx.stmt.tokens);
  const cluster = extractClusterBy(temp?.sql ?? ctx.stmt.sql, ctx.stmt.tokens);
  const sql = cluster?.sql ?? temp?.sql;
  const ast = parseStatement(sql !== undefined ? { ...ctx, stmt: { ...ctx.stmt, sql } } : ctx);
  const kind = nodeKind(ast);
  if (kind === 'create_table') return createTable(ctx, ast.create_table, cluster?.keys);
  if (cluster) throw compilationError('CLUSTER BY is only valid for tables.');
  if (kind === 'create_view') return createView(ctx, ast.create_view);
  throw unsupported(`CREATE statement '${kind}'`);
}

async function createTable(ctx: ExecContext, body: AstNode, clusterBy: ClusterKey[] | undefined): Promise<HandlerResult> {
  const name = objectNameOf(body.name);
  const full = qualify(ctx, name, 'CREATE TABLE');
  requireSchema(ctx, full.database, full.schema);
  if (body.or_replace && body.if_not_exists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  if (body.clone_source) throw unsupported('CREATE TABLE … CLONE');
  const { catalog, driver } = ctx.engine;
  const d = driver.dialect;
  // A temporary table only meets the session's temporary tables: it may hide a permanent one of the same name.
  const temporary = body.temporary === true;
  const existing = temporary ? sessionTempTable(ctx.engine, ctx.session, full) : catalog.table(full.database, full.schema, full.name);
  if (existing && body.if_not_exists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !body.or_replace) throw alreadyExists('Table', displayIdent(full.name));
  if (existing && existing.kind !== 'TABLE') throw compilationError(`Object found is of type '${existing.kind}', not specified type 'TABLE'.`);
  const phys = physicalTableOf(d, { ...full, temporary });
  // The backend table of a temporary table whose schema was dropped since still exists: replace it.
  const replace = temporary ? ctx.session.temporary?.get(full) !== undefined : existing !== undefined && !existing.tracked;
  // A replaced tracked table takes its history along; its streams go stale (they follow the old id).
  const physical: string[] = existing?.tracked ? dropTrackedSql(d, existing, true) : [];

  const columns: ColumnDef[] = [];
  let specs: ColumnSpec[] = [];
  const untypedNames: string[] = [];
  for (const c of (body.columns ?? []) as AstNode[]) {
    // CTAS may list bare column names: `CREATE TABLE t (a, b) AS SELECT …`.
    if (body.as_select && (!c.data_type || c.data_type.data_type === 'unknown' || c.no_type)) {
      untypedNames.push(ident(c.name));
      continue;
    }
    const p = parseColumn(ctx, c);
    if (columns.some((x) => x.name === p.def.name)) throw compilationError(`duplicate column name '${p.def.name}'`);
    columns.push(p.def);
    specs.push(p.spec);
  }
  let querySql: string | undefined;
  if (body.as_select) {
    addSnowflakeOutputNames(body.as_select);
    // DDL commits an open transaction first; the query then reads (and consumes) streams as of now.
    if (ctx.session.inTransaction) await endTransaction(ctx.engine, ctx.session, true);
    ctx.changes = await analyzeChanges(ctx, body.as_select, true);
    prepareForBackend(ctx, body.as_select);
    querySql = print(body.as_select);
    let probed = await probeColumns(ctx, querySql);
    if (untypedNames.length > 0) {
      if (untypedNames.length !== probed.length) throw compilationError(`Invalid column definition list: expected ${probed.length} columns, got ${untypedNames.length}.`);
      probed = probed.map((p, i) => ({ ...p, name: untypedNames[i] }));
    }
    if (specs.length === 0) {
      specs = probed;
      for (const s of probed) columns.push({ name: s.name, type: s.type, nullable: true });
    } else if (specs.length !== probed.length) {
      throw compilationError(`Invalid column definition list: expected ${probed.length} columns, got ${specs.length}.`);
    }
  }
  if (columns.length === 0) throw compilationError('Table must have at least one column.');
  const constraints = parseTableConstraints(body.constraints);
  for (const c of constraints) {
    for (const col of c.columns) if (!columns.some((x) => x.name === col)) throw compilationError(`invalid identifier '${col}'`);
    if (c.kind === 'PRIMARY KEY') for (const col of c.columns) {
      const cd = columns.find((x) => x.name === col) as ColumnDef;
      cd.nullable = false;
      const sp = specs.find((x) => x.name === col);
      if (sp) sp.nullable = false;
    }
  }
  physical.push(d.createTable(phys, specs, replace, { temporary, readByKey: hasClusterIndex({ clusterBy, temporary }) }));
  if (querySql !== undefined) physical.push(`INSERT INTO ${phys} SELECT * FROM (${querySql}) AS floe_ctas`);
  if (ctx.changes?.consumes) physical.push(...offsetUpdateSql(ctx, ctx.changes));
  const props = parseRawProperties(body);
  if (clusterBy) checkClusterKeys(clusterBy, { columns });
  const comment = tableComment(body);
  let def: TableDef = {
    id: newObjectId(),
    kind: 'TABLE',
    database: full.database,
    schema: full.schema,
    name: full.name,
    columns,
    constraints,
    createdOn: new Date().toISOString(),
    owner: ctx.session.role,
    changeTracking: /^TRUE$/i.test(props.CHANGE_TRACKING ?? ''),
    retentionTime: Number(props.DATA_RETENTION_TIME_IN_DAYS ?? 1),
    ...(String(body.table_modifier ?? '').toUpperCase() === 'TRANSIENT' ? { transient: true } : {}),
    ...(temporary ? { temporary: true } : {}),
    ...(comment !== undefined ? { comment } : {}),
    ...(props.MAX_DATA_EXTENSION_TIME_IN_DAYS !== undefined ? { maxDataExtension: Number(props.MAX_DATA_EXTENSION_TIME_IN_DAYS) } : {}),
    ...(clusterBy ? { clusterBy } : {}),
  };
  if (def.changeTracking && temporary) throw unsupported('CHANGE_TRACKING = TRUE on a temporary table (floe has no streams on temporary tables)');
  if (def.changeTracking) {
    const tracking = enableTracking(ctx, { ...def, changeTracking: false }, specs);
    physical.push(...tracking.physical);
    def = tracking.def;
  }
  physical.push(...createClusterIndexSql(d, def));
  await commitTableDdl(ctx, physical, existing?.temporary ? existing : undefined, def);
  return statusResult(`Table ${displayIdent(full.name)} successfully created.`);
}

/** Table properties polyglot leaves raw (`DATA_RETENTION_TIME_IN_DAYS=3`). */
function parseRawProperties(body: AstNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of (body.properties ?? []) as AstNode[]) {
    const raw = p?.raw?.sql;
    if (typeof raw !== 'string') continue;
    const m = raw.match(/^\s*([A-Za-z_]+)\s*=\s*'?([^']*)'?\s*$/);
    if (m) out[m[1].toUpperCase()] = m[2];
  }
  return out;
}

async function createView(ctx: ExecContext, body: AstNode): Promise<HandlerResult> {
  const name = objectNameOf(body.name);
  const full = qualify(ctx, name, 'CREATE VIEW');
  requireSchema(ctx, full.database, full.schema);
  if (body.materialized) throw unsupported('CREATE MATERIALIZED VIEW');
  if (body.temporary) throw unsupported('CREATE TEMPORARY VIEW (create a permanent view, or a temporary table with CREATE TEMPORARY TABLE … AS SELECT)');
  const { catalog, driver } = ctx.engine;
  const existing = catalog.table(full.database, full.schema, full.name);
  if (existing && body.if_not_exists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !body.or_replace) throw alreadyExists('View', displayIdent(full.name));
  if (existing && existing.kind !== 'VIEW') throw compilationError(`Object found is of type '${existing.kind}', not specified type 'VIEW'.`);
  const text = ctx.stmt.sql;
  addSnowflakeOutputNames(body.query);
  // A view over a stream is expanded into each statement that reads it (see changes/view-expansion).
  ctx.changes = await analyzeChanges(ctx, body.query, false);
  const readsStreams = ctx.changes.streams.size > 0;
  // A view outlives the session; floe's views are backend views bound when created, which a session's
  // temporary table cannot back.
  const temp = prepareForBackend(ctx, body.query).find((t) => t.temporary);
  if (temp) throw unsupported(`a view over temporary table ${displayName(temp)} (use a permanent or transient table)`);
  const querySql = print(body.query);
  let specs = await probeColumns(ctx, querySql);
  const given = ((body.columns ?? []) as AstNode[]).map((c) => ident((c.name ?? c) as Ident));
  if (given.length > 0) {
    if (given.length !== specs.length) throw compilationError(`Invalid column definition list: expected ${specs.length} columns, got ${given.length}.`);
    specs = specs.map((s, i) => ({ ...s, name: given[i] }));
  }
  const d = driver.dialect;
  const phys = d.physicalTable(full.database, full.schema, full.name);
  const colList = given.length > 0 ? ` (${given.map(d.quoteIdent).join(', ')})` : '';
  const physical = readsStreams
    ? [`DROP VIEW IF EXISTS ${phys}`]
    : [`CREATE ${existing ? 'OR REPLACE ' : ''}VIEW ${phys}${colList} AS ${querySql}`];
  const def: TableDef = {
    id: newObjectId(),
    ...(readsStreams ? { readsStreams } : {}),
    kind: 'VIEW',
    database: full.database,
    schema: full.schema,
    name: full.name,
    columns: specs.map((s) => ({ name: s.name, type: s.type, nullable: true })),
    constraints: [],
    text,
    createdOn: new Date().toISOString(),
    owner: ctx.session.role,
    changeTracking: false,
    retentionTime: 1,
    ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
  };
  await commitDdl(ctx, physical, { remove: [], put: [{ kind: 'TABLE', def }] });
  return statusResult(`View ${displayIdent(full.name)} successfully created.`);
}

export async function handleDropTableOrView(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP');
  const kind = cur.next().value as 'TABLE' | 'VIEW';
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  if (!cur.acceptWords('CASCADE')) cur.acceptWords('RESTRICT');
  cur.expectEnd();
  const full = qualify(ctx, name, `DROP ${kind}`);
  // DROP TABLE drops the session's temporary table first (the permanent table it hid shows again).
  const temp = kind === 'TABLE' ? sessionTempTable(ctx.engine, ctx.session, full) : undefined;
  if (temp) {
    await commitTableDdl(ctx, [`DROP TABLE ${physicalTableOf(ctx.engine.driver.dialect, temp)}`], temp, undefined);
    return statusResult(`${displayIdent(full.name)} successfully dropped.`);
  }
  const def = ctx.engine.catalog.table(full.database, full.schema, full.name);
  if (!def) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(full.name)} already dropped).`);
    throw notFound(title(kind), displayName(name));
  }
  if (def.kind !== kind) throw compilationError(`Object found is of type '${def.kind}', not specified type '${kind}'.`);
  const d = ctx.engine.driver.dialect;
  const physical = def.tracked
    ? dropTrackedSql(d, def, true)
    : [`DROP ${kind}${def.readsStreams ? ' IF EXISTS' : ''} ${d.physicalTable(full.database, full.schema, full.name)}`];
  await commitDdl(ctx, physical, { remove: [keys.table(full.database, full.schema, full.name)], put: [] });
  return statusResult(`${displayIdent(full.name)} successfully dropped.`);
}

export async function handleTruncate(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('TRUNCATE');
  cur.acceptWords('TABLE');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, name, 'TRUNCATE');
  const def = lookupTable(ctx, full);
  if (!def) {
    if (ifExists) return statusResult('Statement executed successfully.');
    throw notFound('Table', displayName(name));
  }
  if (def.kind !== 'TABLE') throw compilationError(`Object found is of type '${def.kind}', not specified type 'TABLE'.`);
  if (!def.tracked) {
    await enterTableGate(ctx, def, true);
    await ctx.session.conn.execute(`DELETE FROM ${physicalTableOf(ctx.engine.driver.dialect, def)}`);
    await clearLoadHistory(ctx.session.conn, ctx.engine.driver.dialect, loadHistoryKey(def));
    return statusResult('Statement executed successfully.');
  }
  // Standard streams see a TRUNCATE as deletes of every row (reference §1.2).
  await ctx.engine.clock.acquire(ctx.session);
  await inTransaction(ctx.engine, ctx.session, async (txn) => {
    const version = (await stampWrites(ctx, txn, [def])) as number;
    await captureRows(ctx, def, version);
    await ctx.session.conn.execute(`DELETE FROM ${trackedNames(ctx.engine.driver.dialect, def).base}`);
  });
  await clearLoadHistory(ctx.session.conn, ctx.engine.driver.dialect, `${full.database}.${full.schema}.${full.name}`);
  return statusResult('Statement executed successfully.');
}

export async function handleAlterTable(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('ALTER', 'TABLE');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  const full = qualify(ctx, name, 'ALTER TABLE');
  const def = lookupTable(ctx, full);
  if (!def) {
    if (ifExists) return statusResult('Statement executed successfully.');
    throw notFound('Table', displayName(name));
  }
  if (def.kind !== 'TABLE') throw compilationError(`Object found is of type '${def.kind}', not specified type 'TABLE'.`);
  // Property changes are floe's own (comment, change tracking, retention); column changes go through the parser.
  if (cur.isWord('SET', 'UNSET')) return alterTableProperties(ctx, cur, def);
  const clustered = alterClusteringKey(cur, ctx.stmt.sql, def);
  if (clustered) {
    const d = ctx.engine.driver.dialect;
    // The same key again keeps the index rather than rebuilding it (and re-creates it if a crash lost it).
    const same = JSON.stringify(clustered.clusterBy ?? null) === JSON.stringify(def.clusterBy ?? null);
    await commitTableDdl(ctx, [...(same ? [] : dropClusterIndexSql(d, def)), ...createClusterIndexSql(d, clustered)], def, clustered);
    return statusResult('Statement executed successfully.');
  }
  return alterTableStructure(ctx, def);
}

async function alterTableProperties(ctx: ExecContext, cur: TokenCursor, def: TableDef): Promise<HandlerResult> {
  const set = cur.acceptWords('SET');
  if (!set) cur.expectWords('UNSET');
  let next: TableDef = { ...def };
  let physical: string[] = [];
  const props = set ? parseProperties(cur) : Object.fromEntries(cur.rest().filter((t) => t.type === 'word').map((t) => [t.value, '']));
  for (const [k, v] of Object.entries(props)) {
    if (k === 'COMMENT') {
      if (set) next.comment = v;
      else delete next.comment;
    } else if (k === 'CHANGE_TRACKING') {
      if (def.temporary && set && /^TRUE$/i.test(v)) throw unsupported('CHANGE_TRACKING = TRUE on a temporary table (floe has no streams on temporary tables)');
      const r = set && /^TRUE$/i.test(v) ? enableTracking(ctx, next) : disableTracking(ctx, next);
      next = r.def;
      physical = r.physical;
    } else if (k === 'DATA_RETENTION_TIME_IN_DAYS') next.retentionTime = set ? Number(v) : 1;
    else if (k === 'MAX_DATA_EXTENSION_TIME_IN_DAYS') {
      if (set) next.maxDataExtension = Number(v);
      else delete next.maxDataExtension;
    } else if (k !== 'ENABLE_SCHEMA_EVOLUTION') throw unsupported(`ALTER TABLE … ${set ? 'SET' : 'UNSET'} ${k}`);
  }
  await commitTableDdl(ctx, physical, def, next);
  return statusResult('Statement executed successfully.');
}

async function alterTableStructure(ctx: ExecContext, def: TableDef): Promise<HandlerResult> {
  const ast = parseStatement(ctx);
  if (nodeKind(ast) !== 'alter_table') throw unsupported('this ALTER TABLE form');
  const d = ctx.engine.driver.dialect;
  // Tracked: columns live in the base and log tables; the table's own name is a view rebuilt at the end.
  const names = def.tracked ? trackedNames(d, def) : undefined;
  const phys = names ? names.base : physicalTableOf(d, def);
  const onLog = (sql: string): string[] => (names ? [sql.replace(phys, names.log)] : []);
  const next: TableDef = { ...def, columns: def.columns.map((c) => ({ ...c })) };
  // DuckDB refuses to rename or drop columns, or rename the table, under an index — even one dropped earlier in the
  // same transaction: it is dropped on its own first and re-created with the change (adding columns keeps it).
  const actions = ast.alter_table.actions as AstNode[];
  const unindex = actions.every((a) => 'AddColumn' in a) ? [] : dropClusterIndexSql(d, def);
  const physical: string[] = [];
  const remove = [];
  for (const action of actions) {
    const [kind] = Object.keys(action);
    const a = action[kind] as AstNode;
    if (kind === 'AddColumn') {
      const p = parseColumn(ctx, a.column);
      if (next.columns.some((c) => c.name === p.def.name)) {
        if (a.if_not_exists) continue;
        throw compilationError(`column '${p.def.name}' already exists`);
      }
      next.columns.push(p.def);
      const add = `ALTER TABLE ${phys} ADD COLUMN ${d.quoteIdent(p.spec.name)} ${d.columnType(p.spec.type, { readByKey: hasClusterIndex(def) })}`;
      physical.push(add + (p.spec.defaultSql !== undefined ? ` DEFAULT ${p.spec.defaultSql}` : ''), ...onLog(add));
      if (!p.spec.nullable) physical.push(`ALTER TABLE ${phys} ALTER COLUMN ${d.quoteIdent(p.spec.name)} SET NOT NULL`);
    } else if (kind === 'DropColumn') {
      const col = ident(a.name);
      if (!next.columns.some((c) => c.name === col)) {
        if (a.if_exists) continue;
        throw compilationError(`invalid identifier '${col}'`);
      }
      if (next.columns.length === 1) throw compilationError('Cannot drop the only column of a table.');
      if (next.clusterBy?.some((k) => 'column' in k && k.column === col)) throw compilationError(`cannot drop column '${col}' which belongs to a clustering key`);
      next.columns = next.columns.filter((c) => c.name !== col);
      if (names) physical.push(`DROP VIEW ${names.view}`);
      const drop = `ALTER TABLE ${phys} DROP COLUMN ${d.quoteIdent(col)}`;
      physical.push(drop, ...onLog(drop));
    } else if (kind === 'RenameColumn') {
      const from = ident(a.old_name);
      const to = ident(a.new_name);
      const c = next.columns.find((x) => x.name === from);
      if (!c) throw compilationError(`invalid identifier '${from}'`);
      if (next.columns.some((x) => x.name === to)) throw compilationError(`column '${to}' already exists`);
      c.name = to;
      if (next.clusterBy) next.clusterBy = next.clusterBy.map((k) => ('column' in k && k.column === from ? { column: to } : k));
      if (names) physical.push(`DROP VIEW IF EXISTS ${names.view}`);
      const rename = `ALTER TABLE ${phys} RENAME COLUMN ${d.quoteIdent(from)} TO ${d.quoteIdent(to)}`;
      physical.push(rename, ...onLog(rename));
    } else if (kind === 'RenameTable') {
      const target = objectNameOf(a);
      const full = qualify(ctx, { database: target.database ?? def.database, schema: target.schema ?? def.schema, name: target.name });
      const moved = full.database !== def.database || full.schema !== def.schema;
      if (moved) requireSchema(ctx, full.database, full.schema);
      const taken = def.temporary ? sessionTempTable(ctx.engine, ctx.session, full) : ctx.engine.catalog.table(full.database, full.schema, full.name);
      if (taken) throw alreadyExists('Table', displayIdent(full.name));
      remove.push(keys.table(def.database, def.schema, def.name));
      Object.assign(next, { database: full.database, schema: full.schema, name: full.name });
      if (def.temporary) {
        // All of a session's temporary tables share one backend schema: a move is a rename there too.
        physical.push(`ALTER TABLE ${phys} RENAME TO ${d.quoteIdent(d.temporaryParts(full.database, full.schema, full.name).name)}`);
        continue;
      }
      const newName = d.quoteIdent(d.physicalParts(full.database, full.schema, full.name).name);
      if (names) physical.push(`DROP VIEW IF EXISTS ${names.view}`);
      else if (!moved) physical.push(`ALTER TABLE ${phys} RENAME TO ${newName}`);
      else physical.push(...moveTableSql(ctx, phys, next));
    } else {
      throw unsupported(`ALTER TABLE action ${kind}`);
    }
  }
  if (names) physical.push(`DROP VIEW IF EXISTS ${names.view}`, viewSql(d, next));
  physical.push(...createClusterIndexSql(d, next));
  await commitTableDdl(ctx, physical, def, next, remove, unindex);
  return statusResult('Statement executed successfully.');
}

/** DuckDB cannot move a table to another schema: create it there with the same DDL, copy, drop the old one. */
function moveTableSql(ctx: ExecContext, fromPhys: string, to: TableDef): string[] {
  const d = ctx.engine.driver.dialect;
  const toPhys = d.physicalTable(to.database, to.schema, to.name);
  const cols = to.columns.map((c) => d.quoteIdent(c.name)).join(', ');
  return [
    d.createTable(toPhys, columnSpecsOf(ctx, to), false, { readByKey: hasClusterIndex(to) }),
    `INSERT INTO ${toPhys} (${cols}) SELECT ${cols} FROM ${fromPhys}`,
    `DROP TABLE ${fromPhys}`,
  ];
}
