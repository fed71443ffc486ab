/**
 * Keeps a periodic query's share of the process small however slow it gets: the live view's row counts and its
 * query hint scan tables that grow for as long as the demo runs (3M history rows after 10 minutes), so a fixed
 * refresh rate would make the view's own cost grow with them. After a run that took `d` ms, the next one is due
 * no sooner than `d / share` ms after it began (and never sooner than `minGapMs`).
 */
export class QueryBudget {
  private nextAt = 0;

  constructor(
    private readonly minGapMs: number,
    private readonly share: number,
  ) {}

  due(now: number): boolean {
    return now >= this.nextAt;
  }

  /** A run that began at `startedAt` took `tookMs`. */
  spent(startedAt: number, tookMs: number): void {
    this.nextAt = startedAt + Math.max(this.minGapMs, tookMs / this.share);
  }
}
