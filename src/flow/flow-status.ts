/** Status of a flow as NiFi's summary shows it: processors with 5-minute stats, queues, bulletins. */
import type { Bulletin } from './bulletins.js';
import type { StatCounters } from './statistics.js';
import type { ProcessorNode } from './processor-node.js';
import type { Connection } from './connection.js';
import type { BulletinBoard } from './bulletins.js';

export interface ProcessorStatus {
  id: string;
  type: string;
  runStatus: 'Running' | 'Stopped' | 'Disabled' | 'Invalid';
  validationErrors: string[];
  revision: number;
  activeTasks: number;
  fiveMinutes: StatCounters;
}

export interface ConnectionStatus {
  id: string;
  source: string;
  destination: string;
  relationships: readonly string[];
  queuedCount: number;
  queuedBytes: number;
  backPressureObjectThreshold: number;
  backPressureDataSizeThreshold: number;
  /** Percent of the nearer threshold (NiFi colours: green ≤ 60, yellow ≤ 85, red above). */
  percentUseCount: number;
  percentUseBytes: number;
  backPressured: boolean;
}

export interface FlowStatus {
  flow: string;
  processors: ProcessorStatus[];
  connections: ConnectionStatus[];
  flowFilesQueued: number;
  bytesQueued: number;
  bulletins: Bulletin[];
}

interface StatusSource {
  readonly def: { readonly name: string };
  readonly nodes: ReadonlyMap<string, ProcessorNode>;
  readonly connections: ReadonlyMap<string, Connection>;
  readonly bulletins: BulletinBoard;
  now(): number;
}

export function flowStatus(engine: StatusSource): FlowStatus {
  const now = engine.now();
  const connections = [...engine.connections.values()].map((c): ConnectionStatus => {
    const { backPressureObjectThreshold: n, backPressureDataSizeThreshold: b } = c.config;
    return {
      id: c.id,
      source: c.config.source,
      destination: c.config.destination,
      relationships: c.config.relationships,
      queuedCount: c.count,
      queuedBytes: c.size,
      backPressureObjectThreshold: n,
      backPressureDataSizeThreshold: b,
      percentUseCount: n > 0 ? Math.floor((100 * c.count) / n) : 0,
      percentUseBytes: b > 0 ? Math.floor((100 * c.size) / b) : 0,
      backPressured: c.isFull(),
    };
  });
  return {
    flow: engine.def.name,
    processors: [...engine.nodes.values()].map((n) => ({
      id: n.id,
      type: n.spec.type,
      runStatus: n.runStatus,
      validationErrors: n.invalid.map((i) => i.message),
      revision: n.revision,
      activeTasks: n.activeTasks,
      fiveMinutes: n.stats.fiveMinutes(now),
    })),
    connections,
    flowFilesQueued: connections.reduce((s, c) => s + c.queuedCount, 0),
    bytesQueued: connections.reduce((s, c) => s + c.queuedBytes, 0),
    bulletins: engine.bulletins.list(now),
  };
}
