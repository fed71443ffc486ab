/**
 * Turns a session's result into one durable commit, in NiFi's order: route transfers to connections (clone
 * for fan-out, DROP for auto-terminated relationships, automatic retry back into the input queue), flush
 * content, append provenance and the journal record (repository), then put flowfiles on the in-memory queues,
 * acknowledge the inputs, update statistics and finally run the completion callbacks.
 */
import { randomUUID } from 'node:crypto';
import { FloeError } from '../core/errors.js';
import type { Connection } from './connection.js';
import type { ContentStore } from './content-store.js';
import type { FlowFile } from './flowfile.js';
import type { ProcessorNode } from './processor-node.js';
import { relationshipNames } from './flow-validate.js';
import { crashPoint } from './fault-injection.js';
import type { NewProvenanceEvent } from './provenance.js';
import type { CommitRecord, FlowRepository } from './repository.js';
import type { SessionResult } from './session.js';

export interface CommitDeps {
  readonly repo: FlowRepository;
  readonly content: ContentStore;
  now(): number;
}

export async function commitSession(node: ProcessorNode, result: SessionResult, deps: CommitDeps): Promise<void> {
  const now = deps.now();
  const enq: Array<[Connection, FlowFile]> = [];
  let events: NewProvenanceEvent[] = [...result.events];
  const relNames = new Set(relationshipNames(node.def, node.spec));
  const inputConn = new Map(result.inputs.map((i) => [i.flowFile.uuid, i.connection]));
  let outCount = 0;
  let outBytes = 0;

  for (const t of result.transfers) {
    if (!relNames.has(t.relationship)) throw new FloeError('FLOW', `${node.id}: ${node.spec.type} has no relationship '${t.relationship}'`);
    const retried = retry(node, t, inputConn, now);
    if (retried) {
      enq.push(retried);
      // The retried attempt did not happen as far as lineage is concerned (NiFi discards its events).
      events = events.filter((e) => e.flowFileUuid !== t.flowFile.uuid);
      continue;
    }
    const { retryCount: _drop, ...ff } = t.flowFile;
    const targets = node.outputs.get(t.relationship) ?? [];
    if (targets.length === 0) {
      if (!node.def.autoTerminatedRelationships.includes(t.relationship)) {
        throw new FloeError('FLOW', `${node.id}: relationship '${t.relationship}' is not connected`);
      }
      events.push(event(node, ff, now, 'DROP', { details: `Auto-Terminated by ${t.relationship} Relationship`, relationship: t.relationship }));
      continue;
    }
    targets.forEach((connection, i) => {
      let out: FlowFile = ff;
      if (i > 0) {
        const uuid = randomUUID();
        out = { ...ff, id: deps.repo.allocateIds(), uuid, attributes: { ...ff.attributes, uuid } };
        events.push(event(node, ff, now, 'CLONE', { childUuids: [uuid] }));
      }
      enq.push([connection, out]);
      outCount++;
      outBytes += out.size;
    });
  }

  const record: CommitRecord = {};
  if (enq.length > 0) record.enq = enq.map(([c, f]) => [c.id, f]);
  if (result.inputs.length > 0) record.deq = result.inputs.map((i) => [i.connection.id, i.flowFile.id]);
  if (result.state !== undefined) record.state = { [node.id]: result.state };
  if (result.statePatch) record.statePatch = { [node.id]: result.statePatch };

  await deps.content.flush();
  crashPoint(`${node.id}:before-commit`);
  await deps.repo.commit(record, events);
  crashPoint(`${node.id}:after-commit`);

  for (const [connection, ff] of enq) connection.enqueue(ff);
  for (const i of result.inputs) i.connection.acknowledge([i.flowFile]);
  node.stats.add(now, {
    inCount: result.inputs.length,
    inBytes: result.inputs.reduce((s, i) => s + i.flowFile.size, 0),
    readBytes: result.readBytes,
    writtenBytes: result.writtenBytes,
    outCount,
    outBytes,
  });
  for (const callback of result.callbacks) {
    try {
      await callback();
    } catch (error) {
      node.log('WARN', `completion action failed: ${(error as Error).message}`);
    }
  }
}

/** NiFi's relationship-level "Automatically Retry": back into the input queue with a doubling back-off. */
function retry(
  node: ProcessorNode,
  t: SessionResult['transfers'][number],
  inputConn: Map<string, Connection>,
  now: number,
): [Connection, FlowFile] | undefined {
  const connection = t.input && inputConn.get(t.input.uuid);
  if (!t.input || !connection || !node.def.retriedRelationships.includes(t.relationship)) return undefined;
  const attempts = (t.input.retryCount ?? 0) + 1;
  if (attempts > node.def.retryCount) return undefined;
  if (node.def.backoffMechanism === 'YIELD_PROCESSOR') {
    const wait = Math.min(node.yieldMillis * 2 ** (attempts - 1), node.maxBackoffMillis);
    node.yieldUntil = Math.max(node.yieldUntil, now + wait);
    return [connection, { ...t.input, retryCount: attempts, penaltyExpiration: 0 }];
  }
  const wait = Math.min(node.penaltyMillis * 2 ** (attempts - 1), node.maxBackoffMillis);
  return [connection, { ...t.input, retryCount: attempts, penaltyExpiration: now + wait }];
}

function event(node: ProcessorNode, ff: FlowFile, now: number, type: NewProvenanceEvent['eventType'], extra: Partial<NewProvenanceEvent>): NewProvenanceEvent {
  return {
    eventType: type,
    eventTime: now,
    componentId: node.id,
    componentType: node.spec.type,
    flowFileUuid: ff.uuid,
    attributes: ff.attributes, // attribute maps are never changed in place: the event can share it
    size: ff.size,
    lineageStartDate: ff.lineageStartDate,
    ...extra,
  };
}
