/**
 * The engine's view of a flow: processors with their scheduling/retry settings and connections, with every
 * default filled in. floe.yaml (src/config/flows-config.ts) and the JSON flow definition (flow-export.ts)
 * both become this.
 */
import type { Prioritizer } from './connection.js';
import type { LogLevel } from './processor-api.js';
import type { ScheduledState } from './repository.js';

export interface ProcessorDefinition {
  readonly id: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly schedulingStrategy: 'TIMER_DRIVEN' | 'CRON_DRIVEN';
  /** Timer: a time period ('0 sec' = as soon as there is work); cron: a 6-field cron expression. */
  readonly schedulingPeriod: string;
  readonly concurrentTasks: number;
  /** floe's analogue of NiFi's Run Duration: flowfiles a processor may take per session (one commit). */
  readonly batchSize: number;
  readonly penaltyDuration: string;
  readonly yieldDuration: string;
  readonly bulletinLevel: LogLevel;
  readonly autoTerminatedRelationships: readonly string[];
  readonly retriedRelationships: readonly string[];
  readonly retryCount: number;
  readonly backoffMechanism: 'PENALIZE_FLOWFILE' | 'YIELD_PROCESSOR';
  readonly maxBackoffPeriod: string;
  /** Desired state when the flow has no saved run state yet (a restart resumes the saved state). */
  readonly scheduledState: ScheduledState;
}

export interface ConnectionDefinition {
  readonly id: string;
  readonly source: string;
  readonly destination: string;
  readonly relationships: readonly string[];
  readonly backPressureObjectThreshold: number;
  readonly backPressureDataSizeThreshold: string;
  readonly flowFileExpiration: string;
  readonly prioritizers: readonly Prioritizer[];
}

export interface FlowDefinition {
  readonly name: string;
  readonly processors: readonly ProcessorDefinition[];
  readonly connections: readonly ConnectionDefinition[];
}

export const PROCESSOR_DEFAULTS = {
  schedulingStrategy: 'TIMER_DRIVEN',
  schedulingPeriod: '0 sec',
  concurrentTasks: 1,
  batchSize: 100,
  penaltyDuration: '30 sec',
  yieldDuration: '1 sec',
  bulletinLevel: 'WARN',
  retryCount: 10,
  backoffMechanism: 'PENALIZE_FLOWFILE',
  maxBackoffPeriod: '10 mins',
  scheduledState: 'RUNNING',
} as const;

export const CONNECTION_DEFAULTS = {
  backPressureObjectThreshold: 10_000,
  backPressureDataSizeThreshold: '1 GB',
  flowFileExpiration: '0 sec',
} as const;

/** Stable connection id: survives restarts as long as the connection is configured the same way. */
export function connectionId(source: string, relationships: readonly string[], destination: string): string {
  return `${source}.${[...relationships].sort().join('+')}.${destination}`;
}
