/**
 * In-process notifications of committed changes to tracked tables. Triggered tasks and the dashboard
 * subscribe instead of polling (issue: "commits on a tracked table raise an in-process event").
 */
import { EventEmitter } from 'node:events';

export interface TableCommit {
  /** The committed change version. */
  version: number;
  tables: { id: string; database: string; schema: string; name: string }[];
}

export class ChangeEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Any number of tasks may listen; a listener leak would be a bug elsewhere, not many subscribers.
    this.emitter.setMaxListeners(0);
  }

  onCommit(listener: (c: TableCommit) => void): () => void {
    this.emitter.on('commit', listener);
    return () => this.emitter.off('commit', listener);
  }

  emitCommit(c: TableCommit): void {
    // A failing subscriber must not fail the writer's statement, which has already committed.
    for (const l of this.emitter.listeners('commit') as ((c: TableCommit) => void)[]) {
      try {
        l(c);
      } catch {
        /* listeners report their own errors */
      }
    }
  }
}
