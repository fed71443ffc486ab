/**
 * Task graphs (reference §2.10): a root (schedule or trigger), children linked by AFTER, and at most one
 * finalizer per root. Links are by qualified name within the catalog; these helpers answer graph questions.
 */
import type { Catalog } from '../../core/catalog/catalog.js';
import type { QualifiedName, TaskDef } from '../../core/catalog/catalog-model.js';

export const taskKey = (t: QualifiedName): string => `${t.database}.${t.schema}.${t.name}`;
const same = (a: QualifiedName, b: QualifiedName): boolean => a.database === b.database && a.schema === b.schema && a.name === b.name;

export function findTask(catalog: Catalog, n: QualifiedName): TaskDef | undefined {
  return catalog.task(n.database, n.schema, n.name);
}

export function childrenOf(catalog: Catalog, t: QualifiedName): TaskDef[] {
  return catalog.tasks(t.database, t.schema).filter((c) => c.predecessors.some((p) => same(p, t)));
}

export function finalizerOf(catalog: Catalog, root: QualifiedName): TaskDef | undefined {
  return catalog.tasks(root.database, root.schema).find((c) => c.finalize !== undefined && same(c.finalize, root));
}

export const isRoot = (t: TaskDef): boolean => t.predecessors.length === 0 && t.finalize === undefined;

/** The root of a task's graph (a finalizer belongs to its root's graph). */
export function rootOf(catalog: Catalog, t: TaskDef): TaskDef {
  let cur = t;
  const seen = new Set<string>();
  while (!seen.has(taskKey(cur))) {
    seen.add(taskKey(cur));
    const up = cur.finalize ?? cur.predecessors[0];
    const next = up ? findTask(catalog, up) : undefined;
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

/** Every task of the root's graph except the finalizer, root first, in dependency order. */
export function graphTasks(catalog: Catalog, root: TaskDef): TaskDef[] {
  const out: TaskDef[] = [];
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const t = queue.shift() as TaskDef;
    if (seen.has(taskKey(t))) continue;
    seen.add(taskKey(t));
    out.push(t);
    queue.push(...childrenOf(catalog, t));
  }
  return out;
}

/** Would adding `predecessor` before `task` close a cycle? */
export function wouldCycle(catalog: Catalog, task: QualifiedName, predecessor: QualifiedName): boolean {
  const stack = [predecessor];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const cur = stack.pop() as QualifiedName;
    if (same(cur, task)) return true;
    if (seen.has(taskKey(cur))) continue;
    seen.add(taskKey(cur));
    stack.push(...(findTask(catalog, cur)?.predecessors ?? []));
  }
  return false;
}

/** Streams named in SYSTEM$STREAM_HAS_DATA('…') calls of a WHEN condition (triggered tasks). */
export function streamsInCondition(condition: string | undefined): string[] {
  if (!condition) return [];
  return [...condition.matchAll(/SYSTEM\$STREAM_HAS_DATA\s*\(\s*'((?:[^']|'')*)'\s*\)/gi)].map((m) => m[1].replace(/''/g, "'"));
}
