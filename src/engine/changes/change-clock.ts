/**
 * The warehouse change clock. Every transaction that writes a change-tracked table (or moves a stream
 * offset) gets the next version number while holding the engine's change lock, and keeps the lock until it
 * ends. Versions therefore commit in order, and "everything at or below the committed version" is a
 * consistent table state — which is what stream offsets point at.
 *
 * The lock lives in this process: one embedded warehouse has one writer process (a DuckDB file allows
 * only one), so in-process ordering is total ordering.
 */
export class ChangeClock {
  private committedVersion: number;
  private nextVersion: number;
  private owner: object | undefined;
  private readonly waiters: { owner: object; resolve: () => void }[] = [];

  constructor(committed: number) {
    this.committedVersion = committed;
    this.nextVersion = committed + 1;
  }

  /** The last version whose transaction committed (a snapshot taken after reading it contains it). */
  get committed(): number {
    return this.committedVersion;
  }

  holds(owner: object): boolean {
    return this.owner === owner;
  }

  /** Wait for the change lock; re-entrant for its owner. */
  async acquire(owner: object): Promise<void> {
    if (this.owner === owner) return;
    if (this.owner === undefined) {
      this.owner = owner;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push({ owner, resolve }));
  }

  /** A new version for the lock owner's transaction. */
  allocate(owner: object): number {
    if (this.owner !== owner) throw new Error('change clock: version allocated without holding the change lock');
    return this.nextVersion++;
  }

  /** The owner's transaction ended; `version` is what it committed (undefined on rollback or no writes). */
  release(owner: object, version?: number): void {
    if (this.owner !== owner) return;
    if (version !== undefined && version > this.committedVersion) this.committedVersion = version;
    const next = this.waiters.shift();
    this.owner = next?.owner;
    next?.resolve();
  }
}
