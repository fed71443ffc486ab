/**
 * Coalesces object-created events that arrive while the pipe service is busy into one queue write: a burst of
 * small files becomes one INSERT (one commit) instead of one per file. Each caller's promise settles when its
 * item's batch has committed, so an SQS message is still acknowledged only after its file is queued.
 */
export class Coalescer<T> {
  private items: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly schedule: (work: () => Promise<void>) => Promise<void>,
    private readonly flush: (items: T[]) => Promise<void>,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      this.schedule(() => this.run()).catch(() => undefined);
    });
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    const batch = this.items;
    this.items = [];
    try {
      await this.flush(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }
}
