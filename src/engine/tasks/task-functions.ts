/**
 * Task SYSTEM$ functions, answered before the statement runs (like SYSTEM$STREAM_HAS_DATA):
 * SYSTEM$SET_RETURN_VALUE / SYSTEM$GET_PREDECESSOR_RETURN_VALUE / SYSTEM$GET_TASK_GRAPH_CONFIG read and write the
 * running task's context; SYSTEM$TASK_DEPENDENTS_ENABLE resumes a task and everything after it;
 * SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS interrupts a graph's running tasks.
 */
import { compilationError, notFound } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { TaskDef } from '../../core/catalog/catalog-model.js';
import { functionName, make, transform, type AstNode } from '../../sql/ast/ast-node.js';
import { commitDdl, type ExecContext } from '../exec-context.js';
import { nameInString } from '../handlers/stream-name.js';
import { qualify } from '../resolve-names.js';
import { childrenOf, finalizerOf, rootOf, taskKey } from './task-graph.js';

type TaskFunction = (ctx: ExecContext, args: (string | null)[]) => Promise<string | null>;

const FUNCTIONS: Record<string, TaskFunction> = {
  SYSTEM$SET_RETURN_VALUE: async (ctx, [value]) => {
    const task = ctx.session.task;
    if (!task) throw compilationError('SYSTEM$SET_RETURN_VALUE can only be called from a task.');
    task.returnValue = value ?? '';
    return '';
  },
  SYSTEM$GET_PREDECESSOR_RETURN_VALUE: async (ctx, [name]) => {
    const task = ctx.session.task;
    if (!task) throw compilationError('SYSTEM$GET_PREDECESSOR_RETURN_VALUE can only be called from a task.');
    if (name === undefined || name === null) return task.predecessorValues.size === 1 ? [...task.predecessorValues.values()][0] : null;
    return task.predecessorValues.get(name) ?? null;
  },
  SYSTEM$GET_TASK_GRAPH_CONFIG: async (ctx, [key]) => {
    const config = ctx.session.task?.config;
    if (!config) return null;
    const v = key === undefined || key === null ? config : config[key];
    return v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
  },
  SYSTEM$TASK_DEPENDENTS_ENABLE: async (ctx, [name]) => {
    const task = lookup(ctx, name);
    const { catalog } = ctx.engine;
    const all: TaskDef[] = [];
    const seen = new Set<string>();
    const visit = (t: TaskDef): void => {
      if (seen.has(taskKey(t))) return;
      seen.add(taskKey(t));
      all.push(t);
      childrenOf(catalog, t).forEach(visit);
      const fin = finalizerOf(catalog, t);
      if (fin) visit(fin);
    };
    visit(task);
    const at = new Date(ctx.engine.now()).toISOString();
    const put = all
      .filter((t) => t.state !== 'started')
      .map((t): TaskDef => ({ ...t, state: 'started', scheduleBase: ctx.engine.now(), lastCommittedOn: at, modified: false, graphVersion: t.modified ? t.graphVersion + 1 : Math.max(t.graphVersion, 1) }));
    await commitDdl(ctx, [], { remove: [], put: put.map((def) => ({ kind: 'TASK' as const, def })) });
    await ctx.engine.tasks.taskChanged(taskKey(rootOf(catalog, task)));
    return '';
  },
  SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS: async (ctx, [name]) => {
    const task = lookup(ctx, name);
    const n = ctx.engine.tasks.cancelOngoing(rootOf(ctx.engine.catalog, task));
    return `${n} task run(s) cancelled.`;
  },
};

export const isTaskFunction = (name: string): boolean => name.toUpperCase() in FUNCTIONS;

function lookup(ctx: ExecContext, name: string | null | undefined): TaskDef {
  if (!name) throw compilationError('expected the task name as a string');
  const n = nameInString(name);
  const full = qualify(ctx, n);
  const t = ctx.engine.catalog.task(full.database, full.schema, full.name);
  if (!t) throw notFound('Task', displayName(n));
  return t;
}

function literalArg(node: AstNode): string | null {
  if (node?.literal?.literal_type === 'string') return String(node.literal.value);
  if (node?.literal?.literal_type === 'number') return String(node.literal.value);
  if (node?.null !== undefined) return null;
  throw compilationError('task SYSTEM$ functions take literal arguments');
}

export async function bindTaskFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const calls: { node: AstNode; fn: TaskFunction; args: (string | null)[] }[] = [];
  transform(ast, (node) => {
    const name = functionName(node);
    const fn = name ? FUNCTIONS[name] : undefined;
    if (!fn) return undefined;
    const replacement = make.raw('NULL');
    calls.push({ node: replacement, fn, args: ((node.function.args ?? []) as AstNode[]).map(literalArg) });
    return replacement;
  });
  for (const c of calls) {
    const v = await c.fn(ctx, c.args);
    c.node.var.this = v === null ? 'NULL' : ctx.engine.driver.dialect.quoteString(v);
  }
}
