/**
 * In-process fan-out of object-created events shared by the adapters: writes made through the port are
 * announced here, and external sources (folder watcher, SQS poller) publish into the same hub.
 */
import type { ObjectCreatedEvent, ObjectEventListener } from '../../core/ports/object-store.js';

export class EventHub {
  private readonly listeners = new Set<ObjectEventListener>();

  get size(): number {
    return this.listeners.size;
  }

  add(listener: ObjectEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls every listener and waits for all; rejects with the first failure so a caller that acknowledges
   * (SQS delete) can keep the message for redelivery.
   */
  async publish(event: ObjectCreatedEvent): Promise<void> {
    const results = await Promise.allSettled([...this.listeners].map(async (l) => l(event)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Publishes without making the writer wait or fail for a listener's error (the write itself succeeded). */
  notify(event: ObjectCreatedEvent, onError: (error: unknown) => void): void {
    this.publish(event).catch(onError);
  }
}
