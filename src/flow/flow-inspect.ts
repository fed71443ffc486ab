/**
 * Read-only views of a flow's durable state, usable while the flow runs in another process: queue contents
 * from the repository, run states, processor state, provenance, and the live status the running process
 * publishes to `status.json` every few seconds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONNECTION_DEFAULTS, type FlowDefinition } from './flow-definition.js';
import { lockOwner } from './flow-lock.js';
import type { FlowStatus } from './flow-status.js';
import { validateFlow } from './flow-validate.js';
import { knownProcessorTypes, processorSpec } from './processors/registry.js';
import { ProvenanceStore } from './provenance.js';
import { FlowRepository } from './repository.js';
import { parseDataSize } from './units.js';

export interface InspectedFlow {
  readonly status: FlowStatus & { runningPid?: number; live: boolean };
  readonly repo: FlowRepository;
  readonly provenance: ProvenanceStore;
}

export async function inspectFlow(def: FlowDefinition, stateDir: string): Promise<InspectedFlow> {
  const repo = await FlowRepository.inspect(join(stateDir, 'repository'));
  const provenance = ProvenanceStore.inspect(join(stateDir, 'provenance'), repo.lastCommitSeq);
  const runningPid = await lockOwner(stateDir);
  if (runningPid !== undefined) {
    const published = await readFile(join(stateDir, 'status.json'), 'utf8').then((t) => JSON.parse(t) as FlowStatus, () => undefined);
    if (published) return { status: { ...published, runningPid, live: true }, repo, provenance };
  }
  const { invalid } = validateFlow(def, processorSpec, knownProcessorTypes());
  const zero = { inCount: 0, inBytes: 0, readBytes: 0, writtenBytes: 0, outCount: 0, outBytes: 0, tasks: 0, taskMillis: 0 };
  const connections = def.connections.map((c) => {
    const queued = [...(repo.queues.get(c.id)?.values() ?? [])];
    const bytes = queued.reduce((s, f) => s + f.size, 0);
    const maxBytes = parseDataSize(c.backPressureDataSizeThreshold || CONNECTION_DEFAULTS.backPressureDataSizeThreshold);
    const n = c.backPressureObjectThreshold;
    return {
      id: c.id,
      source: c.source,
      destination: c.destination,
      relationships: c.relationships,
      queuedCount: queued.length,
      queuedBytes: bytes,
      backPressureObjectThreshold: n,
      backPressureDataSizeThreshold: maxBytes,
      percentUseCount: n > 0 ? Math.floor((100 * queued.length) / n) : 0,
      percentUseBytes: maxBytes > 0 ? Math.floor((100 * bytes) / maxBytes) : 0,
      backPressured: (n > 0 && queued.length >= n) || (maxBytes > 0 && bytes >= maxBytes),
    };
  });
  const status: FlowStatus = {
    flow: def.name,
    processors: def.processors.map((p) => {
      const state = repo.run.get(p.id) ?? p.scheduledState;
      const issues = invalid.get(p.id) ?? [];
      return {
        id: p.id,
        type: p.type,
        runStatus: state === 'DISABLED' ? 'Disabled' : issues.length > 0 ? 'Invalid' : state === 'RUNNING' ? 'Running' : 'Stopped',
        validationErrors: issues.map((i) => i.message),
        revision: 0,
        activeTasks: 0,
        fiveMinutes: { ...zero },
      };
    }),
    connections,
    flowFilesQueued: connections.reduce((s, c) => s + c.queuedCount, 0),
    bytesQueued: connections.reduce((s, c) => s + c.queuedBytes, 0),
    bulletins: [],
  };
  return { status: { ...status, runningPid, live: false }, repo, provenance };
}
