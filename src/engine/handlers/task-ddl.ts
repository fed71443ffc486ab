/**
 * CREATE / ALTER / DROP / EXECUTE TASK (reference §2.1, §2.6, §2.7). Tasks are created suspended; a started
 * standalone or root task must be suspended before its graph is modified; every change re-plans the root in
 * the scheduler after it committed.
 */
import { alreadyExists, compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { QualifiedName, TaskDef } from '../../core/catalog/catalog-model.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { newObjectId } from '../changes/stream-source.js';
import { findTask, isRoot, rootOf, taskKey, wouldCycle } from '../tasks/task-graph.js';
import { parseTaskClauses, type TaskClauses } from '../tasks/task-statement.js';
import { validateTaskParam } from '../tasks/task-params.js';

const now = (ctx: ExecContext): string => new Date(ctx.engine.now()).toISOString();

function resolveTask(ctx: ExecContext, cur: TokenCursor, ifExists = false): { full: QualifiedName; def: TaskDef | undefined } {
  const n = cur.objectName();
  const full = qualify(ctx, n, 'this task operation');
  const def = ctx.engine.catalog.task(full.database, full.schema, full.name);
  if (!def && !ifExists) throw notFound('Task', displayName(n));
  return { full, def };
}

/** Apply parsed clauses to a definition (CREATE, CREATE OR ALTER, ALTER … SET). */
function applyClauses(ctx: ExecContext, def: TaskDef, c: TaskClauses): TaskDef {
  const next: TaskDef = { ...def, params: { ...def.params } };
  for (const [k, v] of Object.entries(c.params)) {
    validateTaskParam(k, v);
    if (k === 'WAREHOUSE') next.warehouse = v;
    else if (k === 'SCHEDULE') next.schedule = v;
    else if (k === 'CONFIG') next.config = v;
    else if (k === 'COMMENT') next.comment = v;
    else if (k === 'OVERLAP_POLICY') next.overlapPolicy = v.toUpperCase() as TaskDef['overlapPolicy'];
    else if (k === 'ALLOW_OVERLAPPING_EXECUTION') next.overlapPolicy = /^TRUE$/i.test(v) ? 'ALLOW_CHILD_OVERLAP' : 'NO_OVERLAP';
    else next.params[k] = v;
  }
  if (c.after) next.predecessors = c.after.map((n) => qualifyTask(ctx, n, def));
  if (c.finalize) next.finalize = qualifyTask(ctx, c.finalize, def);
  if (c.condition !== undefined) next.condition = c.condition;
  if (c.definition !== undefined) next.definition = c.definition;
  return next;
}

function qualifyTask(ctx: ExecContext, n: { database?: string; schema?: string; name: string }, owner: QualifiedName): QualifiedName {
  return { database: n.database ?? owner.database, schema: n.schema ?? owner.schema, name: n.name };
}

/** Graph rules checked on every definition (reference §2.2, §2.10). */
function validateGraph(ctx: ExecContext, t: TaskDef): void {
  const { catalog } = ctx.engine;
  if (t.warehouse !== undefined && t.params.USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE !== undefined) {
    throw compilationError('Cannot specify both WAREHOUSE and USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE.');
  }
  if (t.predecessors.length > 100) throw compilationError('A task can have at most 100 predecessors.');
  for (const p of t.predecessors) {
    if (p.database !== t.database || p.schema !== t.schema) throw compilationError('All tasks of a task graph must be in the same schema.');
    if (!findTask(catalog, p)) throw notFound('Task', displayName(p));
    if (wouldCycle(catalog, t, p)) throw compilationError(`Adding ${displayName(p)} as a predecessor would create a cycle in the task graph.`);
  }
  const isChild = t.predecessors.length > 0;
  if (isChild && t.schedule !== undefined) throw compilationError('A child task (with AFTER) cannot have a SCHEDULE.');
  if (isChild && t.params.TASK_AUTO_RETRY_ATTEMPTS !== undefined) throw compilationError('TASK_AUTO_RETRY_ATTEMPTS can only be set on a root task.');
  if (t.finalize) {
    if (isChild || t.schedule !== undefined) throw compilationError('A finalizer task cannot have a SCHEDULE or predecessors.');
    const root = findTask(catalog, t.finalize);
    if (!root) throw notFound('Task', displayName(t.finalize));
    const other = catalog.tasks(t.database, t.schema).find((x) => x.finalize && taskKey(x.finalize) === taskKey(t.finalize as QualifiedName) && x.name !== t.name);
    if (other) throw compilationError(`Task ${displayName(root)} already has a finalizer (${other.name}).`);
  }
}

/** Snowflake: the root (or standalone task) must be suspended before its graph changes. */
function requireSuspendedRoot(ctx: ExecContext, t: TaskDef): void {
  const root = rootOf(ctx.engine.catalog, t);
  if (root.state === 'started') {
    throw compilationError(`Unable to update graph with root task ${displayName(root)} since that root task is not suspended.`);
  }
}

/** Commit task definitions, then let the scheduler re-plan every affected root. */
async function commitTasks(ctx: ExecContext, put: TaskDef[], remove: QualifiedName[] = []): Promise<void> {
  const { catalog, tasks } = ctx.engine;
  await commitDdl(ctx, [], { put: put.map((def) => ({ kind: 'TASK' as const, def })), remove: remove.map((r) => keys.task(r.database, r.schema, r.name)) });
  const affected = new Set<string>();
  for (const t of [...put, ...remove]) {
    affected.add(taskKey(t));
    const fresh = findTask(catalog, t);
    if (fresh) affected.add(taskKey(rootOf(catalog, fresh)));
  }
  for (const k of affected) await tasks.taskChanged(k);
}

export async function handleCreateTask(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  const orAlter = !orReplace && cur.acceptWords('OR', 'ALTER');
  cur.expectWords('TASK');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const n = cur.objectName();
  const full = qualify(ctx, n, 'CREATE TASK');
  requireSchema(ctx, full.database, full.schema);
  const { catalog } = ctx.engine;
  const existing = catalog.task(full.database, full.schema, full.name);
  if (existing && ifNotExists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !orReplace && !orAlter) throw alreadyExists('Task', displayIdent(full.name));
  if (existing) requireSuspendedRoot(ctx, existing);
  let def: TaskDef;
  if (cur.acceptWords('CLONE')) {
    const src = resolveTask(ctx, cur).def as TaskDef;
    cur.expectEnd();
    def = { ...src, ...full, id: newObjectId(), state: 'suspended', createdOn: now(ctx), graphVersion: 0, modified: true, owner: ctx.session.role };
    delete def.lastCommittedOn;
  } else {
    const clauses = parseTaskClauses(ctx.stmt.sql, ctx.stmt.tokens, cur.pos, true);
    const base: TaskDef =
      orAlter && existing
        ? { ...existing, modified: true }
        : {
            ...full,
            id: newObjectId(),
            overlapPolicy: 'NO_OVERLAP',
            params: {},
            predecessors: [],
            definition: '',
            state: 'suspended',
            graphVersion: 0,
            modified: true,
            createdOn: now(ctx),
            owner: ctx.session.role,
          };
    def = applyClauses(ctx, base, clauses);
    if (orAlter && existing && clauses.after === undefined) def.predecessors = existing.predecessors;
  }
  validateGraph(ctx, def);
  await commitTasks(ctx, [def]);
  return statusResult(`Task ${displayIdent(full.name)} successfully created.`);
}

export async function handleDropTask(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP', 'TASK');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { full, def } = resolveTask(ctx, cur, ifExists);
  cur.expectEnd();
  if (!def) return statusResult(`Drop statement executed successfully (${displayIdent(full.name)} already dropped).`);
  const { catalog } = ctx.engine;
  if (!isRoot(def)) requireSuspendedRoot(ctx, def);
  // Dropping a task severs its links: children left without predecessors become roots (suspended).
  const orphans = catalog.tasks(def.database, def.schema).filter((c) => c.predecessors.some((p) => taskKey(p) === taskKey(def)) || (c.finalize && taskKey(c.finalize) === taskKey(def)));
  const put = orphans.map((c): TaskDef => {
    const predecessors = c.predecessors.filter((p) => taskKey(p) !== taskKey(def));
    const becameRoot = predecessors.length === 0;
    const next: TaskDef = { ...c, predecessors };
    if (c.finalize && taskKey(c.finalize) === taskKey(def)) delete next.finalize;
    if (becameRoot) Object.assign(next, { state: 'suspended', lastSuspendedReason: c.finalize ? 'FINALIZER_BECAME_ROOT' : 'CHILD_BECAME_ROOT', lastSuspendedOn: now(ctx) });
    return next;
  });
  await commitTasks(ctx, put, [full]);
  return statusResult(`${displayIdent(full.name)} successfully dropped.`);
}

export async function handleAlterTask(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('ALTER', 'TASK');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { def } = resolveTask(ctx, cur, ifExists);
  if (!def) return statusResult('Statement executed successfully.');
  const { catalog } = ctx.engine;
  if (cur.acceptWords('RESUME')) {
    cur.expectEnd();
    if (!isRoot(def)) requireSuspendedRoot(ctx, def);
    if (def.finalize && findTask(catalog, def.finalize)?.state === 'started') requireSuspendedRoot(ctx, def);
    if (def.state === 'started') return statusResult('Statement executed successfully.');
    const next: TaskDef = { ...def, state: 'started', scheduleBase: ctx.engine.now(), lastCommittedOn: now(ctx), modified: false, graphVersion: def.modified ? def.graphVersion + 1 : Math.max(def.graphVersion, 1) };
    await commitTasks(ctx, [next]);
    return statusResult('Statement executed successfully.');
  }
  if (cur.acceptWords('SUSPEND')) {
    cur.expectEnd();
    if (!isRoot(def) && !def.finalize) requireSuspendedRoot(ctx, def);
    if (def.state === 'suspended') return statusResult('Statement executed successfully.');
    await commitTasks(ctx, [{ ...def, state: 'suspended', lastSuspendedOn: now(ctx), lastSuspendedReason: 'USER_SUSPENDED' }]);
    return statusResult('Statement executed successfully.');
  }
  // Every other change modifies the task: its graph's root must be suspended (TV-9).
  requireSuspendedRoot(ctx, def);
  if (def.state === 'started') throw compilationError(`Task ${displayName(def)} must be suspended before it can be modified.`);
  let next: TaskDef = { ...def, modified: true, params: { ...def.params } };
  if (cur.acceptWords('SET')) {
    const c = parseTaskClauses(ctx.stmt.sql, ctx.stmt.tokens, cur.pos, false);
    if (c.condition !== undefined || c.after !== undefined) throw compilationError('Use ALTER TASK … MODIFY WHEN / ADD AFTER instead of SET.');
    next = applyClauses(ctx, next, c);
    if (c.params.SCHEDULE !== undefined) next.scheduleBase = ctx.engine.now();
  } else if (cur.acceptWords('UNSET')) {
    while (!cur.atEnd()) {
      const k = cur.next().value;
      if (k === 'SCHEDULE') delete next.schedule;
      else if (k === 'WAREHOUSE') delete next.warehouse;
      else if (k === 'CONFIG') delete next.config;
      else if (k === 'COMMENT') delete next.comment;
      else if (k === 'FINALIZE') delete next.finalize;
      else if (k === 'OVERLAP_POLICY' || k === 'ALLOW_OVERLAPPING_EXECUTION') next.overlapPolicy = 'NO_OVERLAP';
      else delete next.params[k];
      cur.acceptSymbol(',');
    }
  } else if (cur.acceptWords('ADD', 'AFTER') || cur.acceptWords('REMOVE', 'AFTER')) {
    const adding = ctx.stmt.tokens[cur.pos - 2]?.value === 'ADD';
    const names: QualifiedName[] = [];
    do names.push(qualifyTask(ctx, cur.objectName(), def));
    while (cur.acceptSymbol(','));
    cur.expectEnd();
    const has = (n: QualifiedName): boolean => next.predecessors.some((p) => taskKey(p) === taskKey(n));
    next.predecessors = adding ? [...next.predecessors, ...names.filter((n) => !has(n))] : next.predecessors.filter((p) => !names.some((n) => taskKey(n) === taskKey(p)));
    if (!adding && next.predecessors.length === 0) Object.assign(next, { lastSuspendedReason: 'CHILD_BECAME_ROOT' });
  } else if (cur.acceptWords('MODIFY', 'AS')) {
    next.definition = ctx.stmt.sql.slice((ctx.stmt.tokens[cur.pos]?.start ?? 0) - (ctx.stmt.tokens[0]?.start ?? 0)).trim();
  } else if (cur.acceptWords('MODIFY', 'WHEN')) {
    next.condition = ctx.stmt.sql.slice((ctx.stmt.tokens[cur.pos]?.start ?? 0) - (ctx.stmt.tokens[0]?.start ?? 0)).trim();
  } else if (cur.acceptWords('REMOVE', 'WHEN')) {
    delete next.condition;
  } else {
    throw unsupported(`ALTER TASK … ${cur.peek()?.text ?? ''}`);
  }
  validateGraph(ctx, next);
  await commitTasks(ctx, [next]);
  return statusResult('Statement executed successfully.');
}

export async function handleExecuteTask(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('EXECUTE', 'TASK');
  const { def } = resolveTask(ctx, cur);
  const task = def as TaskDef;
  if (!isRoot(task)) throw compilationError(`Cannot execute task ${displayName(task)}: EXECUTE TASK can only run a standalone or root task.`);
  const { tasks } = ctx.engine;
  if (cur.acceptWords('RETRY', 'LAST')) {
    cur.expectEnd();
    if (!tasks.retryLast(task)) throw compilationError(`Cannot perform retry: the last graph run of ${displayName(task)} did not fail.`);
    return statusResult(`Task ${displayIdent(task.name)} is scheduled to run immediately.`);
  }
  let config: Record<string, unknown> | undefined;
  if (cur.acceptWords('USING', 'CONFIG')) {
    cur.expectSymbol('=');
    const text = cur.value();
    try {
      config = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw compilationError('USING CONFIG expects a JSON object.');
    }
  }
  cur.expectEnd();
  // A run after a modification starts a new graph version.
  if (task.modified) {
    const next = { ...task, graphVersion: task.graphVersion + 1, modified: false, lastCommittedOn: task.lastCommittedOn ?? now(ctx) };
    await commitDdl(ctx, [], { remove: [], put: [{ kind: 'TASK', def: next }] });
  }
  tasks.execute(findTask(ctx.engine.catalog, task) as TaskDef, { scheduledFrom: 'EXECUTE_TASK', ...(config ? { config } : {}) });
  return statusResult(`Task ${displayIdent(task.name)} is scheduled to run immediately.`);
}
