/**
 * Flow definitions as JSON, shaped like NiFi's RegisteredFlowSnapshot (flowContents.processors /
 * connections with NiFi's field names) so NiFi users can read them. Sensitive property values are never
 * exported (NiFi strips them too); importing gives back the floe.yaml form of the flow.
 */
import { FloeError } from '../core/errors.js';
import type { FlowConfig } from '../config/flows-config.js';
import type { FlowDefinition } from './flow-definition.js';
import { processorSpec } from './processors/registry.js';

export const FLOW_ENCODING_VERSION = 'floe-flow-1';

export interface ExportedFlow {
  flowEncodingVersion: string;
  flowContents: {
    identifier: string;
    name: string;
    processors: Array<{
      identifier: string;
      name: string;
      type: string;
      properties: Record<string, string>;
      /** Names of sensitive properties that had a value (the value itself is not exported). */
      sensitivePropertiesRemoved?: string[];
      schedulingStrategy: string;
      schedulingPeriod: string;
      concurrentlySchedulableTaskCount: number;
      batchSize: number;
      penaltyDuration: string;
      yieldDuration: string;
      bulletinLevel: string;
      autoTerminatedRelationships: string[];
      retriedRelationships: string[];
      retryCount: number;
      backoffMechanism: string;
      maxBackoffPeriod: string;
      scheduledState: string;
    }>;
    connections: Array<{
      identifier: string;
      source: { id: string };
      destination: { id: string };
      selectedRelationships: string[];
      backPressureObjectThreshold: number;
      backPressureDataSizeThreshold: string;
      flowFileExpiration: string;
      prioritizers: string[];
    }>;
  };
}

export function exportFlow(def: FlowDefinition): ExportedFlow {
  return {
    flowEncodingVersion: FLOW_ENCODING_VERSION,
    flowContents: {
      identifier: def.name,
      name: def.name,
      processors: def.processors.map((p) => {
        const spec = processorSpec(p.type);
        const properties: Record<string, string> = {};
        const removed: string[] = [];
        for (const [k, v] of Object.entries(p.properties)) {
          if (spec?.properties.find((s) => s.name === k)?.sensitive) removed.push(k);
          else properties[k] = v;
        }
        return {
          identifier: p.id,
          name: p.id,
          type: `org.apache.nifi.processors.standard.${p.type}`.replace('standard.PutS3Object', 'aws.s3.PutS3Object').replace('standard.ListS3', 'aws.s3.ListS3').replace('standard.FetchS3Object', 'aws.s3.FetchS3Object'),
          properties,
          ...(removed.length > 0 ? { sensitivePropertiesRemoved: removed } : {}),
          schedulingStrategy: p.schedulingStrategy,
          schedulingPeriod: p.schedulingPeriod,
          concurrentlySchedulableTaskCount: p.concurrentTasks,
          batchSize: p.batchSize,
          penaltyDuration: p.penaltyDuration,
          yieldDuration: p.yieldDuration,
          bulletinLevel: p.bulletinLevel,
          autoTerminatedRelationships: [...p.autoTerminatedRelationships],
          retriedRelationships: [...p.retriedRelationships],
          retryCount: p.retryCount,
          backoffMechanism: p.backoffMechanism,
          maxBackoffPeriod: p.maxBackoffPeriod,
          scheduledState: p.scheduledState,
        };
      }),
      connections: def.connections.map((c) => ({
        identifier: c.id,
        source: { id: c.source },
        destination: { id: c.destination },
        selectedRelationships: [...c.relationships],
        backPressureObjectThreshold: c.backPressureObjectThreshold,
        backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
        flowFileExpiration: c.flowFileExpiration,
        prioritizers: [...c.prioritizers],
      })),
    },
  };
}

/** The floe.yaml form of an exported flow (validated when floe.yaml is loaded). */
export function importFlow(json: unknown): { name: string; flow: FlowConfig } {
  const doc = json as Partial<ExportedFlow>;
  const contents = doc?.flowContents;
  if (!contents || !Array.isArray(contents.processors) || !Array.isArray(contents.connections)) {
    throw new FloeError('CONFIG', 'not a flow definition: expected flowContents.processors and flowContents.connections');
  }
  const processors: FlowConfig['processors'] = {};
  for (const p of contents.processors) {
    const type = p.type.slice(p.type.lastIndexOf('.') + 1);
    processors[p.name ?? p.identifier] = {
      type,
      properties: p.properties ?? {},
      schedulingStrategy: p.schedulingStrategy as 'TIMER_DRIVEN' | 'CRON_DRIVEN',
      runSchedule: p.schedulingPeriod,
      concurrentTasks: p.concurrentlySchedulableTaskCount,
      batchSize: p.batchSize,
      penaltyDuration: p.penaltyDuration,
      yieldDuration: p.yieldDuration,
      bulletinLevel: p.bulletinLevel as 'WARN',
      autoTerminate: p.autoTerminatedRelationships ?? [],
      ...(p.retriedRelationships?.length
        ? { retry: { relationships: p.retriedRelationships, count: p.retryCount, backoff: p.backoffMechanism as 'PENALIZE_FLOWFILE', maxBackoff: p.maxBackoffPeriod } }
        : {}),
      state: p.scheduledState as 'RUNNING',
    };
  }
  const idToName = new Map(contents.processors.map((p) => [p.identifier, p.name ?? p.identifier]));
  const connections: FlowConfig['connections'] = contents.connections.map((c) => ({
    from: idToName.get(c.source.id) ?? c.source.id,
    to: idToName.get(c.destination.id) ?? c.destination.id,
    relationship: c.selectedRelationships.length === 1 ? c.selectedRelationships[0]! : c.selectedRelationships,
    backPressureObjectThreshold: c.backPressureObjectThreshold,
    backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
    flowFileExpiration: c.flowFileExpiration,
    prioritizers: (c.prioritizers ?? []) as FlowConfig['connections'][number]['prioritizers'],
  }));
  return { name: contents.name ?? contents.identifier, flow: { processors, connections } };
}
