/**
 * One trigger of a processor: a fresh session, onScheduled on the first run, onTrigger, then commit (NiFi's
 * AbstractProcessor commits after onTrigger). An unexpected error rolls back, penalizes the inputs, raises an
 * ERROR bulletin and yields the processor for 30 s (NiFi's administrative yield).
 */
import { commitSession, type CommitDeps } from './commit-session.js';
import type { ProcessorNode } from './processor-node.js';
import { ProcessSession } from './session.js';

const ADMINISTRATIVE_YIELD = 30_000;

export async function runTask(node: ProcessorNode, deps: CommitDeps): Promise<void> {
  node.activeTasks++;
  node.moreWork = false;
  const started = performance.now();
  const session = new ProcessSession({
    componentId: node.id,
    componentType: node.spec.type,
    inputs: node.inputs,
    content: deps.content,
    penaltyMillis: node.penaltyMillis,
    now: deps.now,
    allocateId: () => deps.repo.allocateIds(),
    currentState: () => deps.repo.state.get(node.id),
    commitSession: (result) => commitSession(node, result, deps),
  });
  try {
    if (!node.scheduled) {
      await node.processor.onScheduled?.(node.context);
      node.scheduled = true;
    }
    await node.processor.onTrigger(node.context, session);
    if (session.isOpen && !session.isEmpty) await session.commit();
  } catch (error) {
    session.rollback(true);
    node.log('ERROR', `failed to process session: ${(error as Error).message}`);
    node.yieldUntil = deps.now() + Math.max(node.yieldMillis, ADMINISTRATIVE_YIELD);
  } finally {
    node.activeTasks--;
    node.stats.add(deps.now(), { tasks: 1, taskMillis: performance.now() - started });
  }
}
