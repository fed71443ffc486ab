/**
 * Provenance searches and lineage as `floe flow provenance` and `GET /v1/flows/:flow/provenance|lineage`
 * answer them, over a flow's provenance store (the live engine's, or one opened read-only).
 */
import { FloeError } from '../core/errors.js';
import type { ProvenanceEvent, ProvenanceEventType, ProvenanceStore } from '../flow/provenance.js';

export const PROVENANCE_EVENT_TYPES: readonly ProvenanceEventType[] = [
  'CREATE', 'RECEIVE', 'FETCH', 'SEND', 'DOWNLOAD', 'DROP', 'EXPIRE', 'FORK', 'JOIN', 'CLONE', 'CONTENT_MODIFIED',
  'ATTRIBUTES_MODIFIED', 'ROUTE', 'ADDINFO', 'REPLAY',
];

export interface ProvenanceSearch {
  uuid?: string;
  filename?: string;
  processor?: string;
  type?: ProvenanceEventType;
  limit?: number;
}

/** Events newest first (at most `limit`, default 1000). */
export function searchProvenance(store: ProvenanceStore, s: ProvenanceSearch): Promise<ProvenanceEvent[]> {
  return store.query({ flowFileUuid: s.uuid, filename: s.filename, componentId: s.processor, eventType: s.type, limit: s.limit });
}

/**
 * A flowfile's whole lineage in time order (parents and children too), by uuid or by the newest flowfile with
 * that filename.
 */
export async function flowFileLineage(store: ProvenanceStore, by: { uuid?: string; filename?: string }): Promise<ProvenanceEvent[]> {
  let uuid = by.uuid;
  if (!uuid && by.filename) uuid = (await store.query({ filename: by.filename, limit: 1 }))[0]?.flowFileUuid;
  if (!uuid) {
    if (by.filename) throw new FloeError('CONFIG', `no provenance events for filename '${by.filename}'`);
    throw new FloeError('CONFIG', 'lineage needs a uuid or a filename');
  }
  return store.lineage(uuid);
}
