/**
 * MERGE with Snowflake's semantics on a backend MERGE: clauses in order, per-action counts, and the
 * nondeterminism rule (ERROR_ON_NONDETERMINISTIC_MERGE, default TRUE): a target row joined by several
 * source rows that would update it, or update and delete it, is an error. A classification query over the
 * same join computes both the counts and the check, in the same transaction as the MERGE itself.
 */
import { FloeError, unsupported } from '../../core/errors.js';
import { resolveIdent } from '../../core/catalog/identifiers.js';
import type { FloeValue } from '../../core/result.js';
import { nodeKind, type AstNode, type Ident } from '../../sql/ast/ast-node.js';
import { countsResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { parseStatement, prepareForBackend, print } from '../translate.js';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import { analyzeChanges } from '../changes/statement-changes.js';
import { advanceOffsets, captureRows, stampWrites } from '../changes/tracked-dml.js';
import { bindStreamFunctions } from '../changes/stream-functions.js';
import { VERSION } from '../changes/change-store.js';
import { inTransaction } from '../transactions.js';

interface WhenClause {
  matched: boolean;
  condition?: string;
  action: 'UPDATE' | 'DELETE' | 'INSERT';
  /** UPDATE: [column, expression SQL]; INSERT: columns (maybe empty) and values. */
  assignments?: [string, string][];
  insertColumns?: string[];
  insertValues?: string[];
}

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

function assignedColumn(node: AstNode): string {
  const kind = nodeKind(node);
  const id: Ident | undefined = kind === 'identifier' ? node.identifier : kind === 'column' ? node.column.name : undefined;
  if (!id) throw unsupported('MERGE UPDATE SET target that is not a column');
  // The binder already resolved the case; DuckDB rejects qualified names here, so drop any qualifier.
  return id.quoted ? id.name : resolveIdent(id.name, false);
}

function parseWhens(merge: AstNode): WhenClause[] {
  const list: AstNode[] = merge.whens?.whens?.expressions ?? [];
  return list.map((w) => {
    const when = w.when as AstNode;
    const matched = when.matched?.boolean?.value === true;
    if (when.source) throw unsupported('MERGE … WHEN NOT MATCHED BY SOURCE');
    const clause: Partial<WhenClause> = { matched };
    if (when.condition) clause.condition = print(when.condition);
    const then = when.then as AstNode;
    if (nodeKind(then) === 'var' && String(then.var.this).toUpperCase() === 'DELETE') {
      clause.action = 'DELETE';
    } else if (nodeKind(then) === 'tuple') {
      const parts: AstNode[] = then.tuple.expressions;
      const verb = String(parts[0]?.var?.this ?? '').toUpperCase();
      if (verb === 'UPDATE') {
        clause.action = 'UPDATE';
        clause.assignments = (parts[1].tuple.expressions as AstNode[]).map((eq) => [assignedColumn(eq.eq.left), print(eq.eq.right)]);
      } else if (verb === 'INSERT') {
        clause.action = 'INSERT';
        const hasColumns = parts.length === 3;
        clause.insertColumns = hasColumns ? (parts[1].tuple.expressions as AstNode[]).map(assignedColumn) : [];
        clause.insertValues = (parts[hasColumns ? 2 : 1].tuple.expressions as AstNode[]).map((e) => print(e));
      } else throw unsupported(`MERGE action ${verb || print(then)}`);
    } else throw unsupported(`MERGE action ${print(then)}`);
    return clause as WhenClause;
  });
}

function clauseSql(c: WhenClause): string {
  const head = `WHEN ${c.matched ? 'MATCHED' : 'NOT MATCHED'}${c.condition ? ` AND ${c.condition}` : ''} THEN `;
  if (c.action === 'DELETE') return head + 'DELETE';
  if (c.action === 'UPDATE') return head + 'UPDATE SET ' + (c.assignments ?? []).map(([col, e]) => `${q(col)} = ${e}`).join(', ');
  const cols = c.insertColumns && c.insertColumns.length > 0 ? ` (${c.insertColumns.map(q).join(', ')})` : '';
  return head + `INSERT${cols} VALUES (${(c.insertValues ?? []).join(', ')})`;
}

/** CASE expression giving the action ('I'/'U'/'D'/NULL) each joined row takes: the first clause that applies. */
function actionCase(clauses: WhenClause[], matched: boolean): string {
  const arms = clauses
    .filter((c) => c.matched === matched)
    .map((c) => `WHEN ${c.condition ?? 'TRUE'} THEN '${c.action[0]}'`);
  return arms.length === 0 ? 'NULL' : `CASE ${arms.join(' ')} END`;
}

export async function handleMerge(ctx: ExecContext): Promise<HandlerResult> {
  const ast = parseStatement(ctx);
  if (nodeKind(ast) !== 'merge') throw unsupported('this MERGE form');
  await bindStreamFunctions(ctx, ast);
  ctx.changes = await analyzeChanges(ctx, ast, true);
  prepareForBackend(ctx, ast);
  const m = ast.merge as AstNode;
  const rowId = ctx.engine.driver.capabilities.rowIdentity;
  if (!rowId) throw unsupported('MERGE on a backend without row identity');

  const targetNode = m.this as AstNode;
  const targetTable: AstNode = nodeKind(targetNode) === 'alias' ? targetNode.alias.this.table : targetNode.table;
  const aliasIdent: Ident | undefined = nodeKind(targetNode) === 'alias' ? targetNode.alias.alias : targetNode.table?.alias ?? undefined;
  const targetSql = print(targetNode);
  const targetRef = aliasIdent ? q(aliasIdent.name) : q(targetTable.name.name);
  const physicalTarget = `${q(targetTable.schema.name)}.${q(targetTable.name.name)}`;
  const sourceSql = print(m.using);
  const onSql = print(m.on);
  const clauses = parseWhens(m);
  if (clauses.length === 0) throw unsupported('MERGE without WHEN clauses');
  const changes = ctx.changes;
  const tracked = changes.writes[0];
  if (tracked) stampClauses(ctx, clauses, tracked);

  const mergeSql = `MERGE INTO ${targetSql} USING ${sourceSql} ON ${onSql} ${clauses.map(clauseSql).join(' ')}`;
  const joinSql = `SELECT ${targetRef}.${rowId} AS floe_rid,
      CASE WHEN ${targetRef}.${rowId} IS NULL THEN ${actionCase(clauses, false)} ELSE ${actionCase(clauses, true)} END AS floe_act
    FROM ${sourceSql} LEFT JOIN ${targetSql} ON ${onSql}`;
  // The join is materialized once: the check, the counts and (for tracked targets) the capture all read it.
  const joined = q(`floe_merge_${ctx.session.user}_${process.pid}`.toLowerCase());
  const checkSql = `WITH j AS (SELECT * FROM ${joined}),
    dup AS (SELECT floe_rid FROM j WHERE floe_rid IS NOT NULL GROUP BY floe_rid
            HAVING count(*) FILTER (WHERE floe_act = 'U') > 1
                OR (count(*) FILTER (WHERE floe_act = 'U') >= 1 AND count(*) FILTER (WHERE floe_act = 'D') >= 1)
            LIMIT 1)
    SELECT (SELECT count(*) FROM j WHERE floe_act = 'I'),
           (SELECT count(DISTINCT floe_rid) FROM j WHERE floe_act = 'U'),
           (SELECT count(DISTINCT floe_rid) FROM j WHERE floe_act = 'D'),
           (SELECT floe_rid FROM dup)`;

  const conn = ctx.session.conn;
  return inTransaction(ctx.engine, ctx.session, async (txn) => {
    await conn.execute(`CREATE OR REPLACE TEMP TABLE ${joined} AS ${joinSql}`);
    const check = await conn.query(checkSql);
    const [ins, upd, del, dupRid] = check.rows[0] as FloeValue[];
    if (dupRid !== null && ctx.session.params.bool('ERROR_ON_NONDETERMINISTIC_MERGE')) {
      const cols = tracked ? tracked.columns.map((c) => q(c.name)).join(', ') : '*';
      const row = await conn.query(`SELECT ${cols} FROM ${physicalTarget} WHERE ${rowId} = ?`, [dupRid]);
      const values = (row.rows[0] ?? []).map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
      throw new FloeError('NONDETERMINISTIC_MERGE', `Duplicate row detected during DML action\nRow Values: [${values.join(', ')}]`);
    }
    const version = await stampWrites(ctx, txn, changes.writes);
    if (tracked && version !== undefined && (Number(upd) > 0 || Number(del) > 0)) {
      await captureRows(ctx, tracked, version, `b.${rowId} IN (SELECT floe_rid FROM ${joined} WHERE floe_act IN ('U', 'D'))`);
    }
    await conn.execute(`DROP TABLE ${joined}`);
    await conn.execute(mergeSql);
    await advanceOffsets(ctx, changes);
    const counts: [string, number][] = [];
    if (clauses.some((c) => c.action === 'INSERT')) counts.push(['number of rows inserted', Number(ins)]);
    if (clauses.some((c) => c.action === 'UPDATE')) counts.push(['number of rows updated', Number(upd)]);
    if (clauses.some((c) => c.action === 'DELETE')) counts.push(['number of rows deleted', Number(del)]);
    return countsResult(counts);
  });
}

/** A tracked target: updates stamp the row version; inserts name the user columns (the base has hidden ones). */
function stampClauses(ctx: ExecContext, clauses: WhenClause[], table: TableDef): void {
  for (const c of clauses) {
    if (c.action === 'UPDATE') c.assignments = [...(c.assignments ?? []), [VERSION, ctx.engine.driver.dialect.changeTracking.currentVersion]];
    if (c.action === 'INSERT' && (c.insertColumns ?? []).length === 0) c.insertColumns = table.columns.map((col) => col.name);
  }
}
