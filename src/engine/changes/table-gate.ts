/**
 * Holds on tables that background maintenance may swap out (reclustering rebuilds a table and replaces it,
 * engine/clustering/reclusterer.ts). A transaction whose snapshot predates the swap must not write the table
 * afterwards (the backend would abort it with a conflict), and a snapshot starts with the transaction's first
 * statement, not with its first use of the table. So an autocommit statement holds the tables it touches, and an
 * explicit transaction holds `EXPLICIT_TRANSACTIONS` from BEGIN (it may touch any table later); both until the
 * transaction ends. A swap needs a moment in which none of its keys is held.
 *
 * The maintenance side never waits while it holds anything: it closes keys only at a moment nobody holds them
 * (`tryClose`, which gives up after a deadline), and while they are closed, sessions wait for it but it waits for
 * no lock of theirs. Holders are never held back by a waiting closer, so no wait here can close a cycle with the
 * engine's other locks; the price is that a busy table may have to be retried later.
 */
import type { WarehouseDialect } from '../../core/ports/warehouse.js';

export const EXPLICIT_TRANSACTIONS = '*explicit transactions*';

/** Whether the backend rebuilds tables in the background, so the gate is needed at all. */
export const reclusters = (d: WarehouseDialect): boolean => d.clusterIndex.recluster !== undefined;

export class TableGate {
  private readonly holds = new Map<string, Set<object>>();
  private readonly byOwner = new Map<object, Set<string>>();
  /** Keys closed for maintenance, with the sessions waiting to enter them. */
  private readonly closed = new Map<string, (() => void)[]>();
  /** Closers waiting for some key to lose its last holder. */
  private drained: (() => void)[] = [];
  private readonly edits = new Map<string, number>();
  private readonly deletes = new Map<string, number>();

  /** Hold `key` for `owner` until `release(owner)`; waits while the key is closed for maintenance. */
  async enter(owner: object, key: string): Promise<void> {
    while (this.closed.has(key)) await new Promise<void>((resolve) => this.closed.get(key)!.push(resolve));
    const holders = this.holds.get(key) ?? new Set<object>();
    holders.add(owner);
    this.holds.set(key, holders);
    const mine = this.byOwner.get(owner) ?? new Set<string>();
    mine.add(key);
    this.byOwner.set(owner, mine);
  }

  holders(key: string): number {
    return this.holds.get(key)?.size ?? 0;
  }

  /** Every hold of the owner ends (its transaction ended). */
  release(owner: object): void {
    const mine = this.byOwner.get(owner);
    if (!mine) return;
    this.byOwner.delete(owner);
    let drained = false;
    for (const key of mine) {
      const holders = this.holds.get(key);
      holders?.delete(owner);
      if (holders && holders.size > 0) continue;
      this.holds.delete(key);
      drained = true;
    }
    if (!drained) return;
    const waiters = this.drained;
    this.drained = [];
    for (const wake of waiters) wake();
  }

  /**
   * Close every key of `keys` as soon as none of them is held, waiting at most `timeoutMs`; false when they stayed
   * held (or one is already closed). While closed, `enter` waits until `open`.
   */
  async tryClose(keys: readonly string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (keys.some((k) => this.closed.has(k))) return false;
      if (keys.every((k) => this.holders(k) === 0)) break;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.drained.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    for (const k of keys) this.closed.set(k, []);
    return true;
  }

  open(keys: readonly string[]): void {
    for (const k of keys) {
      const waiters = this.closed.get(k);
      this.closed.delete(k);
      for (const wake of waiters ?? []) wake();
    }
  }

  /**
   * A statement that may change existing rows of `key` other than by deleting them ran (UPDATE, MERGE, TRUNCATE;
   * counted, for `editCount`).
   */
  noteEdit(key: string): void {
    this.edits.set(key, (this.edits.get(key) ?? 0) + 1);
  }

  /** How many edits of `key` were noted: a rebuild that saw it change while copying gives up. */
  editCount(key: string): number {
    return this.edits.get(key) ?? 0;
  }

  /**
   * A DELETE of `key` ran (counted apart from edits, for `deleteCount`): the rows left keep their values, so a rebuild
   * copying the table meanwhile need only drop the deleted ones from its copy.
   */
  noteDelete(key: string): void {
    this.deletes.set(key, (this.deletes.get(key) ?? 0) + 1);
  }

  /** How many DELETEs of `key` were noted: a rebuild whose copy may hold deleted rows looks for them. */
  deleteCount(key: string): number {
    return this.deletes.get(key) ?? 0;
  }
}
