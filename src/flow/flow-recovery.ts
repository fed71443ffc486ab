/**
 * Bringing a flow back after a restart (or kill -9): queued flowfiles back on their connections in creation
 * order, each processor in its last saved run state (NiFi's auto-resume), state wiped where a
 * reset-triggering property changed, and content files no flowfile references removed.
 */
import type { BulletinBoard } from './bulletins.js';
import type { Connection } from './connection.js';
import type { ContentStore } from './content-store.js';
import type { ProcessorNode } from './processor-node.js';
import type { FlowRepository } from './repository.js';

interface RecoverableFlow {
  readonly repo: FlowRepository;
  readonly content: ContentStore;
  readonly nodes: ReadonlyMap<string, ProcessorNode>;
  readonly connections: ReadonlyMap<string, Connection>;
  readonly bulletins: BulletinBoard;
  now(): number;
}

export async function recoverFlow(flow: RecoverableFlow): Promise<void> {
  for (const [id, queue] of flow.repo.queues) {
    const connection = flow.connections.get(id);
    if (connection) for (const ff of [...queue.values()].sort((a, b) => a.id - b.id)) connection.enqueue(ff);
    else if (queue.size > 0) {
      flow.bulletins.add(flow.now(), 'WARN', id, `connection '${id}' is no longer in the flow but holds ${queue.size} flowfile(s); they are kept until it is configured again`);
    }
  }
  for (const [id, state] of flow.repo.run) {
    const node = flow.nodes.get(id);
    if (node) node.scheduledState = state;
  }
  await resetChangedState(flow);
  await flow.content.gc(liveContent(flow.repo));
}

/** ListFile and friends: changing a filter property wipes the processor's state (NiFi). */
async function resetChangedState(flow: RecoverableFlow): Promise<void> {
  const state: Record<string, Record<string, string> | null> = {};
  for (const node of flow.nodes.values()) {
    const keys = node.spec.resetStateOn;
    if (!keys) continue;
    const fingerprint = JSON.stringify(keys.map((k) => node.context.properties[k] ?? null));
    const metaKey = `${node.id}#properties`;
    const saved = flow.repo.state.get(metaKey)?.['fingerprint'];
    if (saved === fingerprint) continue;
    if (saved !== undefined) state[node.id] = null;
    state[metaKey] = { fingerprint };
  }
  if (Object.keys(state).length > 0) await flow.repo.commit({ state });
}

/** Content files referenced by queued flowfiles (in-flight ones are still queued in the repository). */
export function liveContent(repo: FlowRepository): Set<string> {
  const live = new Set<string>();
  for (const q of repo.queues.values()) for (const ff of q.values()) if (ff.claim) live.add(ff.claim.file);
  return live;
}
