/** What a ProcessSession hands the engine on commit, and what it needs from the engine (see session.ts). */
import type { Connection } from './connection.js';
import type { ContentStore } from './content-store.js';
import type { FlowFile } from './flowfile.js';
import type { NewProvenanceEvent } from './provenance.js';

export interface SessionResult {
  /** Polled flowfiles and the connection each came from (original versions). */
  readonly inputs: ReadonlyArray<{ flowFile: FlowFile; connection: Connection }>;
  /** Final version of each flowfile still alive, with its relationship. */
  readonly transfers: ReadonlyArray<{ flowFile: FlowFile; relationship: string; input?: FlowFile }>;
  readonly events: NewProvenanceEvent[];
  /** undefined = unchanged; null = cleared. */
  readonly state: Record<string, string> | null | undefined;
  /** Keys set/removed on top of the state (after `state` when both are given). */
  readonly statePatch?: StatePatch;
  readonly created: ReadonlySet<string>;
  readonly readBytes: number;
  readonly writtenBytes: number;
  readonly callbacks: ReadonlyArray<() => Promise<void> | void>;
}

export interface StatePatch {
  set: Record<string, string>;
  remove: string[];
}

export interface SessionHost {
  readonly componentId: string;
  readonly componentType: string;
  readonly inputs: readonly Connection[];
  readonly content: ContentStore;
  readonly penaltyMillis: number;
  now(): number;
  allocateId(): number;
  currentState(): Record<string, string> | undefined;
  commitSession(result: SessionResult): Promise<void>;
}
