/**
 * Named exclusive locks held by owners (sessions) until they release them, handed over in arrival order.
 * An owner waits for one lock at a time, so a wait that would close a cycle (A holds x and waits for y,
 * B holds y and asks for x) is found by following holder → awaited lock → holder; the asker gets a
 * TRANSACTION error instead of waiting forever (its transaction rolls back, the other one goes on).
 */
import { FloeError } from '../../core/errors.js';

interface Waiter {
  owner: object;
  resolve: () => void;
}

export class OwnerLocks {
  private readonly holders = new Map<string, object>();
  private readonly queues = new Map<string, Waiter[]>();
  private readonly awaiting = new Map<object, string>();
  private readonly held = new Map<object, Set<string>>();

  holds(owner: object, key: string): boolean {
    return this.holders.get(key) === owner;
  }

  holder(key: string): object | undefined {
    return this.holders.get(key);
  }

  /** Wait for `key`; re-entrant for its holder. */
  async acquire(owner: object, key: string): Promise<void> {
    const holder = this.holders.get(key);
    if (holder === owner) return;
    if (holder === undefined) {
      this.take(owner, key);
      return;
    }
    for (let o: object | undefined = holder, hops = 0; o !== undefined && hops <= this.awaiting.size; hops++) {
      if (o === owner) {
        throw new FloeError('TRANSACTION', 'Transaction was aborted because of a deadlock: it waits for a lock held by a transaction that waits for one of its own. Retry it.');
      }
      const next = this.awaiting.get(o);
      o = next === undefined ? undefined : this.holders.get(next);
    }
    this.awaiting.set(owner, key);
    await new Promise<void>((resolve) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ owner, resolve });
      this.queues.set(key, queue);
    });
  }

  /** Give back `key`, or every lock of the owner. */
  release(owner: object, key?: string): void {
    const mine = this.held.get(owner);
    if (!mine) return;
    for (const k of key === undefined ? [...mine] : [key]) {
      if (this.holders.get(k) !== owner) continue;
      mine.delete(k);
      this.holders.delete(k);
      const queue = this.queues.get(k);
      const next = queue?.shift();
      if (queue?.length === 0) this.queues.delete(k);
      if (next) {
        this.awaiting.delete(next.owner);
        this.take(next.owner, k);
        next.resolve();
      }
    }
    if (mine.size === 0) this.held.delete(owner);
  }

  private take(owner: object, key: string): void {
    this.holders.set(key, owner);
    const mine = this.held.get(owner) ?? new Set<string>();
    mine.add(key);
    this.held.set(owner, mine);
  }
}
