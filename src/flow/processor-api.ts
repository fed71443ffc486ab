/**
 * What a processor is: a declarative spec (properties with defaults and validators, relationships, input
 * requirement, scheduling defaults, attributes written) that drives validation, docs and the dashboard — in
 * the spirit of NiFi's property descriptors and Redpanda Connect's component specs — plus the code that runs
 * on each trigger.
 */
import type { ObjectStore } from '../core/ports/object-store.js';
import type { FlowFile } from './flowfile.js';
import type { ProcessSession } from './session.js';

/** Where a property's Expression Language may look: nowhere, environment only, or flowfile attributes too. */
export type ExpressionScope = 'none' | 'environment' | 'flowfile';

export type PropertyKind =
  | 'string'
  | 'non-empty'
  | 'boolean'
  | 'integer'
  | 'time-period'
  | 'data-size'
  | 'regex'
  | 'cron';

export interface PropertySpec {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
  readonly required?: boolean;
  readonly kind?: PropertyKind;
  readonly allowedValues?: readonly string[];
  readonly expressionScope?: ExpressionScope;
  /** Never exported, logged or shown (NiFi's sensitive properties). */
  readonly sensitive?: boolean;
  /** Only relevant (and required when `required`) if another property has one of these values. */
  readonly dependsOn?: { readonly property: string; readonly values: readonly string[] };
  /** Extra bounds check on the parsed value; returns a message when invalid. */
  readonly check?: (value: string) => string | undefined;
}

export interface RelationshipSpec {
  readonly name: string;
  readonly description: string;
}

export interface ProcessorSpec {
  readonly type: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly properties: readonly PropertySpec[];
  readonly relationships: readonly RelationshipSpec[];
  /** When relationships depend on configuration (RouteOnAttribute): the full list for these properties. */
  readonly relationshipsFor?: (properties: ResolvedProperties, dynamicNames: readonly string[]) => RelationshipSpec[];
  /** NiFi's @InputRequirement. */
  readonly input: 'forbidden' | 'required' | 'allowed';
  /** NiFi's @TriggerSerially: at most one concurrent task. */
  readonly triggerSerially?: boolean;
  /** NiFi's @DefaultSchedule (ListFile: every 1 min). */
  readonly defaultSchedule?: string;
  /** Dynamic (user-named) properties and what they mean, when supported. */
  readonly dynamicProperties?: string;
  readonly writesAttributes?: ReadonlyArray<{ readonly name: string; readonly description: string }>;
  /** Properties whose change wipes the processor's state (ListFile's filters). */
  readonly resetStateOn?: readonly string[];
  /** Cross-property validation, after each property passed its own checks. */
  readonly validate?: (props: ResolvedProperties) => string[];
  readonly create: (ctx: ProcessorInitContext) => Processor;
}

/** Raw configured values (defaults applied), by property name, plus dynamic properties. */
export type ResolvedProperties = Readonly<Record<string, string | undefined>>;

export interface PropertyValue {
  /** The configured value (or default), before Expression Language. */
  readonly raw: string | undefined;
  /** Evaluates Expression Language (with the flowfile's attributes when given). */
  evaluate(flowFile?: FlowFile): string | undefined;
  asTimePeriod(flowFile?: FlowFile): number | undefined;
  asDataSize(flowFile?: FlowFile): number | undefined;
  asBoolean(flowFile?: FlowFile): boolean;
  asInteger(flowFile?: FlowFile): number | undefined;
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'NONE';

export interface ComponentLog {
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProcessorInitContext {
  readonly id: string;
  readonly flowName: string;
  readonly properties: ResolvedProperties;
  /** A folder the processor may keep private files in (multipart resume state, entity cache). */
  readonly stateDir: string;
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly services: FlowServices;
}

export interface ProcessContext extends ProcessorInitContext {
  property(name: string): PropertyValue;
  /** Names of dynamic (user-defined) properties. */
  readonly dynamicPropertyNames: readonly string[];
  readonly log: ComponentLog;
  /** Ask not to be triggered again for the yield duration (nothing to do, or a remote system is down). */
  yield(): void;
  /**
   * Flowfiles `relationship` can still take before one of its connections reaches its back-pressure object
   * threshold (Infinity when none has one, or the relationship is auto-terminated).
   */
  room(relationship: string): number;
  /** Ask to be triggered again as soon as back pressure allows, ahead of the run schedule (more work is waiting). */
  triggerAgain(): void;
  now(): number;
  readonly penaltyMillis: number;
  /** Flowfiles to take per session (the processor's `batchSize` setting). */
  readonly batchSize: number;
}

export interface Processor {
  onScheduled?(ctx: ProcessContext): Promise<void>;
  onTrigger(ctx: ProcessContext, session: ProcessSession): Promise<void>;
  onStopped?(ctx: ProcessContext): Promise<void>;
}

/**
 * Environment services processors need, resolved by the composition root (CLI / runtime) so the engine does
 * not import adapters. `objectStore` returns the object-store port for a bucket named in floe.yaml.
 */
export interface FlowServices {
  objectStore?: (bucket: string, overrides?: S3Overrides) => Promise<ObjectStore>;
}

/** Connection settings given on an S3 processor instead of a bucket bound in floe.yaml. */
export interface S3Overrides {
  readonly region?: string;
  readonly endpoint?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}
