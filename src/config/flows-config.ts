/**
 * `flows:` section of floe.yaml — NiFi-style flows with NiFi's processor types and property names:
 *
 *   flows:
 *     ingest:
 *       processors:
 *         list:  { type: ListFile, properties: { Input Directory: data/landing } }
 *         fetch: { type: FetchFile, properties: { Completion Strategy: Delete File } }
 *       connections:
 *         - { from: list, relationship: success, to: fetch }
 *
 * Structural problems (unknown type, property or relationship, values that do not parse) are config errors
 * with the key path and line; problems that make a processor Invalid in NiFi (unconnected relationship,
 * missing required property) are reported by `floe flow validate` and keep that processor from running.
 */
import { z } from 'zod';
import { CONNECTION_DEFAULTS, PROCESSOR_DEFAULTS, connectionId, type FlowDefinition } from '../flow/flow-definition.js';
import { validateFlow } from '../flow/flow-validate.js';
import { knownProcessorTypes, processorSpec } from '../flow/processors/registry.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const processorSchema = z
  .object({
    type: z.string().min(1),
    properties: z.record(z.string(), scalar).default({}),
    schedulingStrategy: z.enum(['TIMER_DRIVEN', 'CRON_DRIVEN']).optional(),
    /** NiFi's "Run Schedule": a time period, or a cron expression with CRON_DRIVEN. */
    runSchedule: z.string().min(1).optional(),
    concurrentTasks: z.number().int().min(1).max(64).optional(),
    batchSize: z.number().int().min(1).max(100_000).optional(),
    penaltyDuration: z.string().optional(),
    yieldDuration: z.string().optional(),
    bulletinLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'NONE']).optional(),
    autoTerminate: z.array(z.string()).default([]),
    retry: z
      .object({
        relationships: z.array(z.string()).min(1),
        count: z.number().int().min(1).max(100).default(PROCESSOR_DEFAULTS.retryCount),
        backoff: z.enum(['PENALIZE_FLOWFILE', 'YIELD_PROCESSOR']).default(PROCESSOR_DEFAULTS.backoffMechanism),
        maxBackoff: z.string().default(PROCESSOR_DEFAULTS.maxBackoffPeriod),
      })
      .strict()
      .optional(),
    state: z.enum(['RUNNING', 'STOPPED', 'DISABLED']).optional(),
  })
  .strict();

const connectionSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    relationship: z.union([z.string(), z.array(z.string()).min(1)]),
    name: z.string().regex(NAME).optional(),
    backPressureObjectThreshold: z.number().int().min(0).optional(),
    backPressureDataSizeThreshold: z.string().optional(),
    flowFileExpiration: z.string().optional(),
    prioritizers: z.array(z.enum(['FirstInFirstOut', 'OldestFlowFileFirst', 'NewestFlowFileFirst', 'PriorityAttribute'])).default([]),
  })
  .strict();

const flowSchema = z
  .object({
    processors: z.record(z.string().regex(NAME, 'processor names start with a letter and use letters, digits, _ and -'), processorSchema),
    connections: z.array(connectionSchema).default([]),
  })
  .strict();

export type FlowConfig = z.infer<typeof flowSchema>;

export const flowsSection = z
  .record(z.string().regex(NAME, 'flow names start with a letter and use letters, digits, _ and -'), flowSchema)
  .superRefine((flows, ctx) => {
    for (const [name, flow] of Object.entries(flows)) {
      const { errors } = validateFlow(toFlowDefinition(name, flow), processorSpec, knownProcessorTypes());
      for (const e of errors) ctx.addIssue({ code: 'custom', path: [name, ...e.path.map(mapPath)], message: e.message });
    }
  });

/** Engine paths use engine names; floe.yaml spells some keys differently. */
function mapPath(segment: string | number): string | number {
  return segment === 'schedulingPeriod' ? 'runSchedule' : segment;
}

export type FlowsConfig = z.infer<typeof flowsSection>;

export function toFlowDefinition(name: string, flow: FlowConfig): FlowDefinition {
  return {
    name,
    processors: Object.entries(flow.processors).map(([id, p]) => {
      const spec = processorSpec(p.type);
      return {
        id,
        type: spec?.type ?? p.type,
        properties: p.properties,
        schedulingStrategy: p.schedulingStrategy ?? PROCESSOR_DEFAULTS.schedulingStrategy,
        schedulingPeriod: p.runSchedule ?? spec?.defaultSchedule ?? PROCESSOR_DEFAULTS.schedulingPeriod,
        concurrentTasks: p.concurrentTasks ?? PROCESSOR_DEFAULTS.concurrentTasks,
        batchSize: p.batchSize ?? PROCESSOR_DEFAULTS.batchSize,
        penaltyDuration: p.penaltyDuration ?? PROCESSOR_DEFAULTS.penaltyDuration,
        yieldDuration: p.yieldDuration ?? PROCESSOR_DEFAULTS.yieldDuration,
        bulletinLevel: p.bulletinLevel ?? PROCESSOR_DEFAULTS.bulletinLevel,
        autoTerminatedRelationships: p.autoTerminate,
        retriedRelationships: p.retry?.relationships ?? [],
        retryCount: p.retry?.count ?? PROCESSOR_DEFAULTS.retryCount,
        backoffMechanism: p.retry?.backoff ?? PROCESSOR_DEFAULTS.backoffMechanism,
        maxBackoffPeriod: p.retry?.maxBackoff ?? PROCESSOR_DEFAULTS.maxBackoffPeriod,
        scheduledState: p.state ?? PROCESSOR_DEFAULTS.scheduledState,
      };
    }),
    connections: flow.connections.map((c) => {
      const relationships = typeof c.relationship === 'string' ? [c.relationship] : c.relationship;
      return {
        id: c.name ?? connectionId(c.from, relationships, c.to),
        source: c.from,
        destination: c.to,
        relationships,
        backPressureObjectThreshold: c.backPressureObjectThreshold ?? CONNECTION_DEFAULTS.backPressureObjectThreshold,
        backPressureDataSizeThreshold: c.backPressureDataSizeThreshold ?? CONNECTION_DEFAULTS.backPressureDataSizeThreshold,
        flowFileExpiration: c.flowFileExpiration ?? CONNECTION_DEFAULTS.flowFileExpiration,
        prioritizers: c.prioritizers,
      };
    }),
  };
}
