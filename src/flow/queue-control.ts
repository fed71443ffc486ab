/** Queue operations a NiFi user expects: list what is queued, and empty a queue (durably, with DROP events). */
import type { Connection } from './connection.js';
import type { FlowFile } from './flowfile.js';
import type { NewProvenanceEvent } from './provenance.js';
import type { FlowRepository } from './repository.js';

export async function emptyQueue(connection: Connection, repo: FlowRepository, now: number): Promise<number> {
  const dropped = connection.drainAll();
  if (dropped.length === 0) return 0;
  const events: NewProvenanceEvent[] = dropped.map((ff) => ({
    eventType: 'DROP',
    eventTime: now,
    componentId: connection.id,
    componentType: 'Connection',
    flowFileUuid: ff.uuid,
    attributes: { ...ff.attributes },
    size: ff.size,
    lineageStartDate: ff.lineageStartDate,
    details: 'FlowFile Queue emptied by user',
  }));
  await repo.commit({ deq: dropped.map((ff) => [connection.id, ff.id]) }, events);
  return dropped.length;
}

export interface QueuedFlowFile {
  position: number;
  uuid: string;
  filename: string | undefined;
  size: number;
  /** Epoch ms the file entered the flow. */
  entryDate: number;
  penalizedUntil: number | undefined;
  attributes: Record<string, string>;
}

/** The durable contents of a queue in flowfile order (NiFi's queue listing). */
export function listQueue(flowFiles: Iterable<FlowFile>, now: number): QueuedFlowFile[] {
  return [...flowFiles]
    .sort((a, b) => a.id - b.id)
    .map((ff, i) => ({
      position: i + 1,
      uuid: ff.uuid,
      filename: ff.attributes['filename'],
      size: ff.size,
      entryDate: ff.entryDate,
      penalizedUntil: ff.penaltyExpiration > now ? ff.penaltyExpiration : undefined,
      attributes: { ...ff.attributes },
    }));
}
