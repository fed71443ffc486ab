/**
 * The warehouse change clock. Every transaction that writes a change-tracked table gets the next version
 * number while holding the engine's change lock, and keeps the lock until it ends. Versions therefore commit
 * in order, and "everything at or below the committed version" is a consistent table state — which is what
 * stream offsets point at.
 *
 * A transaction that only consumes streams does not need the change lock: it reads the versions up to its
 * start, which every later writer leaves alone (stream reads filter by version), and holds a lock per stream
 * instead, so two transactions never consume the same stream at once. Pipe loads into a staging table
 * therefore go on while a task consumes the staging table's stream.
 *
 * The locks live in this process: one embedded warehouse has one writer process (a DuckDB file allows
 * only one), so in-process ordering is total ordering.
 */
import { OwnerLocks } from './owner-locks.js';
import { TableGate } from './table-gate.js';

const CHANGES = 'changes';
const streamKey = (streamId: string): string => `stream:${streamId}`;

export class ChangeClock {
  private committedVersion: number;
  private nextVersion: number;
  private readonly locks = new OwnerLocks();
  /** Holds on tables background maintenance may replace; they end with the owner's transaction, like the locks. */
  readonly gate = new TableGate();

  constructor(committed: number) {
    this.committedVersion = committed;
    this.nextVersion = committed + 1;
  }

  /** The last version whose transaction committed (a snapshot taken after reading it contains it). */
  get committed(): number {
    return this.committedVersion;
  }

  holds(owner: object): boolean {
    return this.locks.holds(owner, CHANGES);
  }

  /** Wait for the change lock; re-entrant for its owner. */
  acquire(owner: object): Promise<void> {
    return this.locks.acquire(owner, CHANGES);
  }

  /** Wait for the right to consume (move the offset of) a stream; re-entrant, kept until release. */
  acquireStream(owner: object, streamId: string): Promise<void> {
    return this.locks.acquire(owner, streamKey(streamId));
  }

  /** A new version for the lock owner's transaction. */
  allocate(owner: object): number {
    if (!this.holds(owner)) throw new Error('change clock: version allocated without holding the change lock');
    return this.nextVersion++;
  }

  /** The owner's transaction ended; `version` is what it committed (undefined on rollback or no writes). */
  release(owner: object, version?: number): void {
    if (this.holds(owner) && version !== undefined && version > this.committedVersion) this.committedVersion = version;
    this.locks.release(owner);
    this.gate.release(owner);
  }
}
