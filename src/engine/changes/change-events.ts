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

/**
 * A finished task run (or a triggered check that found no data: state SKIPPED), for live views and latency
 * measurement: a load committed before `startedMs` is visible to a run that SUCCEEDED (or found nothing to do).
 */
export interface TaskRunEvent {
  /** `DB.SCHEMA.TASK` */
  task: string;
  state: 'SUCCEEDED' | 'FAILED' | 'FAILED_AND_AUTO_SUSPENDED' | 'CANCELLED' | 'SKIPPED' | 'SCHEDULED' | 'EXECUTING';
  scheduledFrom: string;
  startedMs: number;
  completedMs: number;
  errorMessage?: string;
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

  onTaskRun(listener: (r: TaskRunEvent) => void): () => void {
    this.emitter.on('task-run', listener);
    return () => this.emitter.off('task-run', listener);
  }

  emitTaskRun(r: TaskRunEvent): void {
    for (const l of this.emitter.listeners('task-run') as ((r: TaskRunEvent) => void)[]) {
      try {
        l(r);
      } catch {
        /* listeners report their own errors */
      }
    }
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
