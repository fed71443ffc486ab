/**
 * SHOW TASKS and DESCRIBE TASK (reference §2.9): Snowflake's columns in order; `state` is lower case,
 * `predecessors` a JSON array of qualified names, `task_relations` a JSON object.
 */
import { displayName } from '../../core/catalog/identifiers.js';
import type { TaskDef } from '../../core/catalog/catalog-model.js';
import { notFound } from '../../core/errors.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { qualify } from '../resolve-names.js';
import { finalizerOf } from '../tasks/task-graph.js';
import { binaryCompare, ltz, parseShowOptions, resolveScope, showResult, TERSE_COLUMNS, type ColumnSpecs, type Row } from './show-common.js';

export const TASK_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  id: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  warehouse: 'TEXT',
  schedule: 'TEXT',
  scheduling_mode: 'TEXT',
  target_completion_interval: 'TEXT',
  predecessors: 'TEXT',
  state: 'TEXT',
  definition: 'TEXT',
  condition: 'TEXT',
  allow_overlapping_execution: 'TEXT',
  error_integration: 'TEXT',
  success_integration: 'TEXT',
  last_committed_on: 'TIMESTAMP_LTZ',
  last_suspended_on: 'TIMESTAMP_LTZ',
  owner_role_type: 'TEXT',
  config: 'TEXT',
  last_suspended_reason: 'TEXT',
  task_relations: 'TEXT',
  execute_as_user: 'TEXT',
};

export function taskRow(ctx: ExecContext, t: TaskDef): Row {
  const preds = t.predecessors.map((p) => displayName(p));
  const fin = finalizerOf(ctx.engine.catalog, t);
  const relations: Record<string, unknown> = { Predecessors: preds };
  if (fin) relations.FinalizerTask = displayName(fin);
  if (t.finalize) relations.FinalizedRootTask = displayName(t.finalize);
  return {
    created_on: ltz(ctx, t.createdOn),
    name: t.name,
    id: t.id,
    database_name: t.database,
    schema_name: t.schema,
    owner: t.owner,
    comment: t.comment ?? '',
    warehouse: t.warehouse ?? null,
    schedule: t.schedule ?? null,
    scheduling_mode: t.schedule !== undefined ? 'FIXED' : null,
    target_completion_interval: t.params.TARGET_COMPLETION_INTERVAL ?? null,
    predecessors: JSON.stringify(preds),
    state: t.state,
    definition: t.definition,
    condition: t.condition ?? null,
    allow_overlapping_execution: String(t.overlapPolicy !== 'NO_OVERLAP'),
    error_integration: t.params.ERROR_INTEGRATION ?? null,
    success_integration: t.params.SUCCESS_INTEGRATION ?? null,
    last_committed_on: t.lastCommittedOn ? ltz(ctx, t.lastCommittedOn) : null,
    last_suspended_on: t.lastSuspendedOn ? ltz(ctx, t.lastSuspendedOn) : null,
    owner_role_type: 'ROLE',
    config: t.config ?? null,
    last_suspended_reason: t.lastSuspendedReason ?? null,
    task_relations: JSON.stringify(relations),
    execute_as_user: null,
    kind: 'TASK',
  };
}

export async function showTasks(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW TASKS', 'SCHEMA', 'SCHEMA');
  const { catalog } = ctx.engine;
  const defs = scope.level === 'ACCOUNT' ? catalog.tasks() : scope.level === 'DATABASE' ? catalog.tasks(scope.database) : scope.level === 'SCHEMA' ? catalog.tasks(scope.database, scope.schema) : [];
  const rows = defs.sort((a, b) => binaryCompare(a.database, b.database) || binaryCompare(a.schema, b.schema) || binaryCompare(a.name, b.name)).map((t) => taskRow(ctx, t));
  return showResult(terse ? TERSE_COLUMNS : TASK_COLUMNS, rows, opts);
}

export async function describeTask(ctx: ExecContext, cur: TokenCursor): Promise<HandlerResult> {
  const n = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, n);
  const def = ctx.engine.catalog.task(full.database, full.schema, full.name);
  if (!def) throw notFound('Task', displayName(n));
  return showResult(TASK_COLUMNS, [taskRow(ctx, def)], {});
}
