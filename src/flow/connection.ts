/**
 * A connection: the queue between two processors. The durable copy of its contents lives in the repository;
 * this is the in-memory view the scheduler polls. Flowfiles handed to a running session stay counted
 * ("unacknowledged", as NiFi) until the session commits, so back pressure sees them.
 *
 * Back pressure is soft (NiFi): `isFull()` only stops the *producer* from being scheduled; a single run may
 * overshoot the thresholds.
 */
import { isPenalized, type FlowFile } from './flowfile.js';

export type Prioritizer = 'FirstInFirstOut' | 'OldestFlowFileFirst' | 'NewestFlowFileFirst' | 'PriorityAttribute';

export interface ConnectionConfig {
  readonly id: string;
  readonly source: string;
  readonly destination: string;
  readonly relationships: readonly string[];
  /** 0 disables. Defaults 10 000 objects / 1 GB. */
  readonly backPressureObjectThreshold: number;
  readonly backPressureDataSizeThreshold: number;
  /** Milliseconds since the flowfile entered the flow; 0 = never expire. */
  readonly flowFileExpiration: number;
  readonly prioritizers: readonly Prioritizer[];
}

export class Connection {
  private ready: FlowFile[] = [];
  private head = 0;
  private penalized: FlowFile[] = [];
  private unacked = 0;
  private unackedBytes = 0;
  private bytes = 0;
  private sorted = true;

  constructor(readonly config: ConnectionConfig) {}

  get id(): string {
    return this.config.id;
  }

  /** Queued + in-flight. */
  get count(): number {
    return this.ready.length - this.head + this.penalized.length + this.unacked;
  }

  get size(): number {
    return this.bytes + this.unackedBytes;
  }

  isFull(): boolean {
    const { backPressureObjectThreshold: n, backPressureDataSizeThreshold: b } = this.config;
    return (n > 0 && this.count >= n) || (b > 0 && this.size >= b);
  }

  enqueue(ff: FlowFile): void {
    if (ff.penaltyExpiration > 0) this.penalized.push(ff);
    else this.ready.push(ff);
    this.bytes += ff.size;
    this.sorted = false;
  }

  /** True when a flowfile could be polled now. */
  hasReady(now: number): boolean {
    if (this.ready.length > this.head) return true;
    return this.penalized.some((f) => !isPenalized(f, now));
  }

  /** Earliest time a penalized flowfile becomes available (Infinity if none). */
  nextPenaltyExpiry(): number {
    let min = Infinity;
    for (const f of this.penalized) min = Math.min(min, f.penaltyExpiration);
    return min;
  }

  /**
   * Takes up to `max` available flowfiles; they count as in-flight until `acknowledge`. Flowfiles older than
   * the expiration are returned in `expired` (the caller drops them with an EXPIRE event).
   */
  poll(max: number, now: number): { flowFiles: FlowFile[]; expired: FlowFile[] } {
    this.releasePenalties(now);
    if (!this.sorted) this.sort();
    const flowFiles: FlowFile[] = [];
    const expired: FlowFile[] = [];
    const expiration = this.config.flowFileExpiration;
    while (flowFiles.length < max && this.head < this.ready.length) {
      const ff = this.ready[this.head++]!;
      this.bytes -= ff.size;
      this.unacked++;
      this.unackedBytes += ff.size;
      if (expiration > 0 && now - ff.entryDate > expiration) expired.push(ff);
      else flowFiles.push(ff);
    }
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    return { flowFiles, expired };
  }

  /** The session committed: in-flight flowfiles are gone. */
  acknowledge(ffs: readonly FlowFile[]): void {
    for (const ff of ffs) {
      this.unacked--;
      this.unackedBytes -= ff.size;
    }
  }

  /** The session rolled back: the flowfiles return to the queue. */
  requeue(ffs: readonly FlowFile[]): void {
    this.acknowledge(ffs);
    for (const ff of ffs) this.enqueue(ff);
  }

  /** Snapshot of queued (not in-flight) flowfiles, for listing a queue. */
  list(): FlowFile[] {
    return [...this.ready.slice(this.head), ...this.penalized];
  }

  /** Removes every queued (not in-flight) flowfile and returns them; FlowEngine.emptyQueue makes it durable. */
  drainAll(): FlowFile[] {
    const all = this.list();
    this.ready = [];
    this.head = 0;
    this.penalized = [];
    this.bytes = 0;
    return all;
  }

  private releasePenalties(now: number): void {
    if (this.penalized.length === 0) return;
    const still: FlowFile[] = [];
    for (const f of this.penalized) {
      if (isPenalized(f, now)) still.push(f);
      else {
        this.ready.push(f);
        this.sorted = false;
      }
    }
    this.penalized = still;
  }

  private sort(): void {
    this.sorted = true;
    const prioritizers = this.config.prioritizers;
    if (prioritizers.length === 0) return; // unspecified order: arrival order is good enough
    const rest = this.ready.slice(this.head);
    rest.sort((a, b) => {
      for (const p of prioritizers) {
        const c = compare(p, a, b);
        if (c !== 0) return c;
      }
      return 0;
    });
    this.ready = rest;
    this.head = 0;
  }
}

function compare(p: Prioritizer, a: FlowFile, b: FlowFile): number {
  switch (p) {
    case 'FirstInFirstOut':
      return a.id - b.id;
    case 'OldestFlowFileFirst':
      return a.lineageStartDate - b.lineageStartDate || a.id - b.id;
    case 'NewestFlowFileFirst':
      return b.lineageStartDate - a.lineageStartDate || b.id - a.id;
    case 'PriorityAttribute': {
      // NiFi: lower `priority` first; numeric when both parse, else string order; missing last.
      const pa = a.attributes['priority'];
      const pb = b.attributes['priority'];
      if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
      const na = Number(pa);
      const nb = Number(pb);
      if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    }
  }
}
