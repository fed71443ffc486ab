/**
 * SHOW TABLES and SHOW VIEWS from the catalog. Row counts come from the backend, since the catalog does
 * not track data; every other column is catalog metadata or one of Snowflake's fixed values for
 * features floe does not have (clustering, search optimization, hybrid/iceberg tables, …).
 */
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { FloeValue } from '../../core/result.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { physicalTableOf } from '../temp-tables.js';
import { showClusterBy } from './clustering-key.js';
import { parseShowOptions, resolveScope, showResult, tablesInScope, ltz, TERSE_COLUMNS, type ColumnSpecs, type Row, type ShowOptions } from './show-common.js';

export { showColumns } from './show-columns.js';

const TABLE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  kind: 'TEXT',
  comment: 'TEXT',
  cluster_by: 'TEXT',
  rows: 'NUMBER',
  bytes: 'NUMBER',
  owner: 'TEXT',
  retention_time: 'TEXT',
  automatic_clustering: 'TEXT',
  change_tracking: 'TEXT',
  search_optimization: 'TEXT',
  search_optimization_progress: 'NUMBER',
  search_optimization_bytes: 'NUMBER',
  is_external: 'TEXT',
  enable_schema_evolution: 'TEXT',
  owner_role_type: 'TEXT',
  is_event: 'TEXT',
  budget: 'TEXT',
  is_hybrid: 'TEXT',
  is_iceberg: 'TEXT',
  is_dynamic: 'TEXT',
  is_immutable: 'TEXT',
};

const VIEW_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  reserved: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  text: 'TEXT',
  is_secure: 'TEXT',
  is_materialized: 'TEXT',
  owner_role_type: 'TEXT',
  change_tracking: 'TEXT',
};

/** Scope and matching objects of one kind, with LIKE/STARTS WITH applied before any backend work. */
function objectsFor(ctx: ExecContext, cur: TokenCursor, terse: boolean, kind: 'TABLE' | 'VIEW'): { opts: ShowOptions; defs: TableDef[] } {
  const opts = parseShowOptions(cur, terse);
  const command = kind === 'TABLE' ? 'SHOW TABLES' : 'SHOW VIEWS';
  const scope = resolveScope(ctx, opts.in, command, 'SCHEMA');
  const defs = tablesInScope(ctx, scope).filter((t) => t.kind === kind);
  return { opts, defs };
}

async function rowCount(ctx: ExecContext, t: TableDef): Promise<FloeValue> {
  const phys = physicalTableOf(ctx.engine.driver.dialect, t);
  const r = await ctx.session.conn.query(`SELECT count(*) FROM ${phys}`);
  return r.rows[0]?.[0] ?? 0;
}

export async function showTables(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const { opts, defs } = objectsFor(ctx, cur, terse, 'TABLE');
  // Filter by name first so LIKE/LIMIT do not pay for counting rows of tables they drop.
  const rows: Row[] = [];
  for (const t of filterDefs(defs, opts)) {
    const base: Row = {
      created_on: ltz(ctx, t.createdOn),
      name: t.name,
      database_name: t.database,
      schema_name: t.schema,
      kind: t.temporary ? 'TEMPORARY' : t.transient ? 'TRANSIENT' : 'TABLE',
    };
    if (terse) {
      rows.push(base);
      continue;
    }
    rows.push({
      ...base,
      comment: t.comment ?? '',
      cluster_by: showClusterBy(t),
      rows: await rowCount(ctx, t),
      bytes: null,
      owner: t.owner,
      retention_time: String(t.retentionTime),
      automatic_clustering: t.clusterBy && !t.reclusterSuspended ? 'ON' : 'OFF',
      change_tracking: t.changeTracking ? 'ON' : 'OFF',
      search_optimization: 'OFF',
      search_optimization_progress: null,
      search_optimization_bytes: null,
      is_external: 'N',
      enable_schema_evolution: 'N',
      owner_role_type: 'ROLE',
      is_event: 'N',
      budget: null,
      is_hybrid: 'N',
      is_iceberg: 'N',
      is_dynamic: 'N',
      is_immutable: 'N',
    });
  }
  return showResult(terse ? TERSE_COLUMNS : TABLE_COLUMNS, rows, {});
}

/** The defs LIKE / STARTS WITH / LIMIT keep, in order. */
function filterDefs(defs: TableDef[], opts: ShowOptions): TableDef[] {
  const rows = defs.map((t, i) => ({ name: t.name, i }));
  const kept = showResult({ i: 'NUMBER' }, rows, opts).rows;
  return kept.map(([i]) => defs[Number(i)]);
}

export async function showViews(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const { opts, defs } = objectsFor(ctx, cur, terse, 'VIEW');
  const rows: Row[] = defs.map((v) => ({
    created_on: ltz(ctx, v.createdOn),
    name: v.name,
    kind: 'VIEW',
    reserved: '',
    database_name: v.database,
    schema_name: v.schema,
    owner: v.owner,
    comment: v.comment ?? '',
    text: v.text ?? '',
    is_secure: 'false',
    is_materialized: 'false',
    owner_role_type: 'ROLE',
    change_tracking: v.changeTracking ? 'ON' : 'OFF',
  }));
  return showResult(terse ? TERSE_COLUMNS : VIEW_COLUMNS, rows, opts);
}
