/** What the routes work with: the running project's application services, and the server's own state. */
import type { Engine } from '../engine/engine-api.js';
import type { FlowEngine } from '../flow/flow-engine.js';
import type { ApiSessions } from './api-sessions.js';

export interface ApiContext {
  readonly projectDir: string;
  readonly engine: Engine;
  /** The project's flows by name, as `floe run` opened them. */
  readonly flows: ReadonlyMap<string, FlowEngine>;
  readonly sessions: ApiSessions;
  readonly startedAt: Date;
  /** Aborted when the server stops: streaming responses end after their current statement. */
  readonly stopping: AbortSignal;
}
