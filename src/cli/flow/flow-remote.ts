/**
 * `floe flow …` against a live `floe run` of the project (its flow state is locked by that process): the
 * same FlowEngine operations over the HTTP API.
 */
import type { FlowStatus } from '../../flow/flow-status.js';
import type { ProvenanceEvent } from '../../flow/provenance.js';
import type { ApiClient } from '../../server/client/api-client.js';

const flowPath = (flow: string): string => `/v1/flows/${encodeURIComponent(flow)}`;

export type LiveFlowStatus = FlowStatus & { runningPid?: number; live: boolean; state?: Record<string, Record<string, string>> };

export function remoteFlowStatus(client: ApiClient, flow: string, withState: boolean): Promise<LiveFlowStatus> {
  return client.json<LiveFlowStatus>('GET', `${flowPath(flow)}${withState ? '?state=true' : ''}`);
}

export async function remoteProvenance(
  client: ApiClient,
  flow: string,
  q: { lineage?: boolean; uuid?: string; filename?: string; processor?: string; type?: string; limit?: number },
): Promise<ProvenanceEvent[]> {
  const params = new URLSearchParams();
  const add = (k: string, v: string | number | undefined): void => {
    if (v !== undefined) params.set(k, String(v));
  };
  add('uuid', q.uuid);
  add('filename', q.filename);
  if (!q.lineage) {
    add('processor', q.processor);
    add('type', q.type);
    add('limit', q.limit);
  }
  const res = await client.json<{ events: ProvenanceEvent[] }>('GET', `${flowPath(flow)}/${q.lineage ? 'lineage' : 'provenance'}?${params}`);
  return res.events;
}

/** A processor action (`start`, `stop`, `enable`, `disable`, `run-once`, `clear-state`); returns its run status. */
export async function remoteProcessorAction(client: ApiClient, flow: string, processor: string, action: string): Promise<string> {
  const res = await client.json<{ runStatus: string }>('POST', `${flowPath(flow)}/processors/${encodeURIComponent(processor)}/${action}`, {});
  return res.runStatus;
}

export async function remoteEmptyQueue(client: ApiClient, flow: string, connection: string): Promise<number> {
  const res = await client.json<{ dropped: number }>('POST', `${flowPath(flow)}/connections/${encodeURIComponent(connection)}/empty-queue`, {});
  return res.dropped;
}
