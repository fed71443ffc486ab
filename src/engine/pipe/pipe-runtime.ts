/**
 * What statements need from the pipe service (the engine owns one): queue files (REFRESH), learn that pipes
 * changed, and the runtime facts of SYSTEM$PIPE_STATUS. Kept as an interface so handlers do not depend on
 * the service's machinery (subscriptions, loader).
 */
import type { PipeDef } from '../../core/catalog/load-objects.js';
import type { PipeStatusFacts } from '../../core/pipe/pipe-rules.js';
import type { QueuedFile } from './pipe-queue.js';
import type { WarehouseConnection } from '../../core/ports/warehouse.js';

export interface PipeRuntime {
  /** Pipes were created, replaced, dropped, paused or resumed: re-sync subscriptions, wake the loader. */
  changed(): void;
  /** Queue files for a pipe (serialized with event queueing); returns the paths actually queued. */
  enqueue(pipe: PipeDef, files: readonly QueuedFile[]): Promise<string[]>;
  /** Facts for SYSTEM$PIPE_STATUS, read on the caller's connection when given. */
  status(pipe: PipeDef, conn?: WarehouseConnection): Promise<PipeStatusFacts>;
}
