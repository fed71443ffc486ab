/** What the live view shows: one immutable picture of the running demo (see demo-view.ts). */
import type { LatencyStats } from './latency-tracker.js';
import type { ProcessMemory } from '../runtime/process-memory.js';

export type DemoPhase = 'starting' | 'running' | 'draining' | 'stopping' | 'stopped';

export interface DemoError {
  at: number;
  source: 'flow' | 'pipe' | 'task' | 'generator' | 'view';
  message: string;
}

export interface DemoSnapshot {
  project: string;
  phase: DemoPhase;
  elapsedMs: number;
  generator: {
    enabled: boolean;
    files: number;
    /** --files, when the demo stops after that many. */
    target?: number;
    intervalMs: number;
    rowsPerFile: number;
    events: { I: number; U: number; D: number; late: number };
  };
  files: {
    /** CSV files in data/landing/ (not yet taken by the flow). */
    landing: number;
    /** Flowfiles queued in the flows' connections. */
    inFlow: number;
    /** Files in the bucket queued for the pipe (SYSTEM$PIPE_STATUS pendingFileCount); undefined: unknown. */
    pipePending?: number;
    loaded: number;
    failed: number;
  };
  rows: {
    raw?: number;
    /** Rows loaded but not yet applied by the task (what waits in the stream). */
    stream: number;
    scd1?: number;
    scd2?: number;
  };
  tasks: { succeeded: number; failed: number };
  latency: LatencyStats;
  loadLatency: LatencyStats;
  /** Most recent first, a few at most. */
  errors: DemoError[];
  /** The process's and the warehouse's memory, read with the row counts. */
  memory?: ProcessMemory;
  /** A customer with several versions in CUSTOMER_HISTORY, for the "what to query" hint. */
  sampleCustomerId?: number;
}
