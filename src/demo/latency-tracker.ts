/**
 * End-to-end latency of the customer pipeline: from a file's rename into `data/landing/` to its rows being
 * visible in both SCD tables. Pure bookkeeping over three kinds of events, no I/O, so a benchmark can reuse it:
 *
 * - `landed(name, t)`: the file appeared in the landing folder (its rename);
 * - `loaded(files, t)`: a pipe load committed (t = the commit of the staging table, not the later onLoad
 *   callback: a task run may start in between);
 * - `taskRun(run)`: the SCD task ended. Its body is one transaction that starts after `startedMs`, so every load
 *   committed at or before `startedMs` is in it: when the run SUCCEEDED its files are visible in both tables at
 *   `completedMs`. A triggered check that found the stream empty (SKIPPED) proves the same: an earlier run applied
 *   them (an upper bound on their visibility time, used only when no successful run covers the file).
 *
 * Runs are kept for a while because a run can end before the load's callback arrives (the commit event wakes
 * the task before the pipe reports the load).
 */

export interface LoadedFile {
  name: string;
  /** false: the pipe could not load it (LOAD_FAILED); it will never become visible. */
  ok: boolean;
  rows: number;
}

export interface TaskRunInfo {
  state: string;
  startedMs: number;
  completedMs: number;
}

export interface VisibleFile {
  name: string;
  rows: number;
  /** Rename → visible, when this tracker saw the file land. */
  latencyMs?: number;
}

export interface LatencyStats {
  samples: number;
  last?: number;
  p50?: number;
  p99?: number;
  max?: number;
}

interface Pending {
  name: string;
  rows: number;
  committedMs: number;
}

/** Nearest-rank percentile of sorted values (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** A sliding window of the last `size` samples. */
export class SampleWindow {
  private readonly values: number[] = [];
  private count = 0;

  constructor(private readonly size: number) {}

  add(v: number): void {
    this.values.push(v);
    if (this.values.length > this.size) this.values.shift();
    this.count++;
  }

  stats(): LatencyStats {
    if (this.values.length === 0) return { samples: this.count };
    const sorted = [...this.values].sort((a, b) => a - b);
    return {
      samples: this.count,
      last: this.values[this.values.length - 1],
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1],
    };
  }
}

export interface LatencyTrackerOptions {
  /** Samples in the sliding window of the percentiles (default 1000). */
  window?: number;
  /** Recent runs remembered for loads reported after their run ended (default 64). */
  keepRuns?: number;
}

export class LatencyTracker {
  private readonly landedAt = new Map<string, number>();
  private readonly pending: Pending[] = [];
  private readonly runs: TaskRunInfo[] = [];
  private readonly endToEnd: SampleWindow;
  private readonly toLoad: SampleWindow;
  private readonly keepRuns: number;
  private visibleFiles = 0;
  private failedFiles = 0;

  constructor(options: LatencyTrackerOptions = {}) {
    this.endToEnd = new SampleWindow(options.window ?? 1000);
    this.toLoad = new SampleWindow(options.window ?? 1000);
    this.keepRuns = options.keepRuns ?? 64;
  }

  landed(name: string, atMs: number): void {
    this.landedAt.set(name, atMs);
  }

  /** Files of one committed load; returns those already covered by a run that ended earlier. */
  loaded(files: readonly LoadedFile[], committedMs: number): VisibleFile[] {
    const visible: VisibleFile[] = [];
    for (const f of files) {
      const landed = this.landedAt.get(f.name);
      if (!f.ok) {
        this.failedFiles++;
        this.landedAt.delete(f.name);
        continue;
      }
      if (landed !== undefined) this.toLoad.add(Math.max(0, committedMs - landed));
      const p: Pending = { name: f.name, rows: f.rows, committedMs };
      const covering = this.coveringRun(p);
      if (covering) visible.push(this.reveal(p, covering.completedMs));
      else this.pending.push(p);
    }
    return visible;
  }

  /** A run of the SCD task ended; returns the files that became visible with it. */
  taskRun(run: TaskRunInfo): VisibleFile[] {
    if (!proves(run)) return [];
    this.runs.push(run);
    if (this.runs.length > this.keepRuns) this.runs.shift();
    const visible: VisibleFile[] = [];
    for (let i = 0; i < this.pending.length; ) {
      const p = this.pending[i]!;
      if (p.committedMs <= run.startedMs) {
        this.pending.splice(i, 1);
        visible.push(this.reveal(p, run.completedMs));
      } else i++;
    }
    return visible;
  }

  /** Files this tracker saw land that are neither visible nor failed yet. */
  outstanding(): number {
    return this.landedAt.size;
  }

  /** Loaded files (and their rows) not yet visible in the SCD tables: what waits in the stream. */
  pendingFiles(): number {
    return this.pending.length;
  }

  pendingRows(): number {
    return this.pending.reduce((s, p) => s + p.rows, 0);
  }

  counts(): { visible: number; failed: number } {
    return { visible: this.visibleFiles, failed: this.failedFiles };
  }

  /** Rename → visible in both SCD tables. */
  latency(): LatencyStats {
    return this.endToEnd.stats();
  }

  /** Rename → committed in the staging table (the flow and pipe part of the latency). */
  loadLatency(): LatencyStats {
    return this.toLoad.stats();
  }

  private coveringRun(p: Pending): TaskRunInfo | undefined {
    // A successful run is exact; an empty check is an upper bound, so prefer the earliest end of either.
    let best: TaskRunInfo | undefined;
    for (const r of this.runs) if (p.committedMs <= r.startedMs && (!best || r.completedMs < best.completedMs)) best = r;
    return best;
  }

  private reveal(p: Pending, atMs: number): VisibleFile {
    this.visibleFiles++;
    const landed = this.landedAt.get(p.name);
    this.landedAt.delete(p.name);
    if (landed === undefined) return { name: p.name, rows: p.rows };
    const latencyMs = Math.max(0, atMs - landed);
    this.endToEnd.add(latencyMs);
    return { name: p.name, rows: p.rows, latencyMs };
  }
}

const proves = (run: TaskRunInfo): boolean => run.state === 'SUCCEEDED' || run.state === 'SKIPPED';
