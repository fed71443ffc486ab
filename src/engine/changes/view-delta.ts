/**
 * Streams on views that join tables or UNION ALL several SELECTs (reference §1.11). The view is evaluated over
 * the state of its tables at the offset and at the read point; each result row carries a key made of its
 * source rows' ids (and, separately, their versions). Rows whose ids+versions appear only at the read point
 * are INSERTs, only at the offset DELETEs; the same ids on both sides make an update pair. This reads whole
 * tables (two evaluations of the view), so single-table views keep their cheaper path (view-expansion.ts).
 */
import { unsupported } from '../../core/errors.js';
import type { StreamMode, TableDef } from '../../core/catalog/catalog-model.js';
import { fullKey } from '../../core/catalog/identifiers.js';
import type { StreamInterval } from '../../core/stream/net-changes.js';
import { nodeKind, type AstNode } from '../../sql/ast/ast-node.js';
import { objectNameOf } from '../../sql/translate/bind-statement.js';
import type { ExecContext } from '../exec-context.js';
import { addSnowflakeOutputNames } from '../output-names.js';
import { prepareForBackend, print } from '../translate.js';
import { qualify } from '../resolve-names.js';
import { CREATED, END, ROW_ID, VERSION, trackedNames } from './change-store.js';
import { viewContext, viewQuery } from './view-expansion.js';

const RID = 'FLOE$RID';
const VER = 'FLOE$VER';
const KEY = 'FLOE$KEY';
const VKEY = 'FLOE$VKEY';

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** The SELECTs of a view query: one, or the branches of UNION ALL (anything else is not allowed on a stream). */
function branches(query: AstNode, view: TableDef): AstNode[] {
  const kind = nodeKind(query);
  if (kind === 'select') {
    const s = query.select as AstNode;
    if (s.group_by || s.having || s.distinct || s.qualify || s.limit || s.windows || s.with || s.order_by) {
      throw unsupported(`a stream on view ${view.name}: the view uses GROUP BY, DISTINCT, QUALIFY, LIMIT, ORDER BY or WITH`);
    }
    for (const j of (s.joins ?? []) as AstNode[]) {
      if (j.kind !== 'Inner' && j.kind !== 'Cross') throw unsupported(`a stream on view ${view.name}: only inner and cross joins are allowed`);
    }
    return [s];
  }
  if (kind === 'union' && query.union.all) return [...branches(query.union.left, view), ...branches(query.union.right, view)];
  throw unsupported(`a stream on view ${view.name}: the view uses ${kind === 'union' ? 'UNION (use UNION ALL)' : kind}`);
}

/** Table references of one SELECT with the alias column references will use. */
function refsOf(sel: AstNode): { ref: AstNode; alias: string }[] {
  const items: AstNode[] = [...((sel.from?.expressions ?? []) as AstNode[]), ...((sel.joins ?? []) as AstNode[]).map((j) => j.this)];
  return items.map((item) => {
    if (nodeKind(item) !== 'table') throw unsupported('a stream on a view whose FROM has subqueries or table functions');
    const ref = item.table as AstNode;
    const alias = ref.alias ? (ref.alias.quoted ? ref.alias.name : String(ref.alias.name).toUpperCase()) : objectNameOf(ref).name;
    return { ref, alias };
  });
}

/** The base tables of a view (for CREATE STREAM … ON VIEW and staleness). */
export function viewBaseTables(ctx: ExecContext, view: TableDef): TableDef[] {
  const vctx = viewContext(ctx, view);
  const out = new Map<string, TableDef>();
  for (const sel of branches(viewQuery(view), view)) {
    for (const { ref } of refsOf(sel)) {
      const full = qualify(vctx, objectNameOf(ref));
      const t = ctx.engine.catalog.table(full.database, full.schema, full.name);
      if (!t) throw unsupported(`a stream on view ${view.name}: ${full.name} is not a table`);
      if (t.kind !== 'TABLE') throw unsupported(`a stream on view ${view.name}: ${full.name} is a view (streams on views over views)`);
      out.set(fullKey(full), t);
    }
  }
  return [...out.values()];
}

function stateSql(ctx: ExecContext, t: TableDef, v: number): string {
  const d = ctx.engine.driver.dialect;
  const n = trackedNames(d, t);
  const cols = t.columns.map((c) => d.quoteIdent(c.name)).join(', ');
  const hidden = `${q(ROW_ID)} AS ${q(RID)}, ${q(VERSION)} AS ${q(VER)}, ${q(CREATED)} AS "FLOE$CRE"`;
  return `SELECT ${cols}, ${hidden} FROM ${n.base} WHERE ${q(VERSION)} <= ${v}
    UNION ALL SELECT ${cols}, ${hidden} FROM ${n.log} WHERE ${q(VERSION)} <= ${v} AND ${q(END)} > ${v}`;
}

/** The view at version `v`: its columns plus KEY (source row ids) and VKEY (ids and versions). */
function viewAt(ctx: ExecContext, view: TableDef, tables: TableDef[], v: number): string {
  const query = viewQuery(view);
  branches(query, view).forEach((sel, i) => {
    const refs = refsOf(sel);
    const ids = refs.map((r) => `CAST(${q(r.alias)}.${q(RID)} AS VARCHAR)`);
    const vers = refs.map((r) => `CAST(${q(r.alias)}.${q(VER)} AS VARCHAR)`);
    const key = `'${i}:' || ${ids.join(` || ':' || `)}`;
    (sel.expressions as AstNode[]).push(
      { alias: { this: { var: { this: key } }, alias: { name: KEY, quoted: true }, column_aliases: [], alias_explicit_as: true, pre_alias_comments: [], trailing_comments: [] } },
      { alias: { this: { var: { this: `${key} || '@' || ${vers.join(` || ':' || `)}` } }, alias: { name: VKEY, quoted: true }, column_aliases: [], alias_explicit_as: true, pre_alias_comments: [], trailing_comments: [] } },
    );
  });
  addSnowflakeOutputNames(query);
  const overrides = new Map(tables.map((t) => [fullKey(t), stateSql(ctx, t, v)]));
  const vctx: ExecContext = { ...viewContext(ctx, view), changes: undefined, overrides };
  prepareForBackend(vctx, query);
  return print(query);
}

export function viewDeltaSql(ctx: ExecContext, view: TableDef, tables: TableDef[], mode: StreamMode, iv: StreamInterval, tableHex: string): string {
  const cols = view.columns.map((c) => q(c.name));
  const out = (alias: string): string => cols.map((c) => `${alias}.${c}`).join(', ');
  const rowId = (alias: string): string => `'${tableHex}' || md5(${alias}.${q(KEY)})`;
  const now = viewAt(ctx, view, tables, iv.to);
  const before = iv.from < 0 ? `SELECT * FROM (${now}) AS floe_empty WHERE FALSE` : viewAt(ctx, view, tables, iv.from);
  const ins = `SELECT ${out('n')}, 'INSERT' AS "METADATA$ACTION", (n.${q(KEY)} IN (SELECT ${q(KEY)} FROM floe_old)) AS "METADATA$ISUPDATE", ${rowId('n')} AS "METADATA$ROW_ID"
    FROM floe_new AS n WHERE n.${q(VKEY)} NOT IN (SELECT ${q(VKEY)} FROM floe_old)`;
  if (mode === 'APPEND_ONLY') {
    // Appended rows: combinations of source rows that did not exist at the offset, with their current values.
    return `WITH floe_new AS (${now}), floe_old AS (${before})
      SELECT ${out('n')}, 'INSERT' AS "METADATA$ACTION", FALSE AS "METADATA$ISUPDATE", ${rowId('n')} AS "METADATA$ROW_ID"
      FROM floe_new AS n WHERE n.${q(KEY)} NOT IN (SELECT ${q(KEY)} FROM floe_old)`;
  }
  const del = `SELECT ${out('o')}, 'DELETE', (o.${q(KEY)} IN (SELECT ${q(KEY)} FROM floe_new)), ${rowId('o')}
    FROM floe_old AS o WHERE o.${q(VKEY)} NOT IN (SELECT ${q(VKEY)} FROM floe_new)`;
  return `WITH floe_new AS (${now}), floe_old AS (${before}) ${ins} UNION ALL ${del}`;
}
