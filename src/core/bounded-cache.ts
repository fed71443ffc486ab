/**
 * A map bounded by the total cost of its values (bytes, characters), least recently used out first. Used where
 * floe keeps results of pure work for the next caller: printed SQL and parsed ASTs (src/sql/ast/polyglot.ts),
 * small flow contents just written (src/flow/content-cache.ts).
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  private total = 0;

  /** `cost` of an entry (its key included if the key is big); entries over a quarter of `budget` are not kept. */
  constructor(
    private readonly budget: number,
    private readonly cost: (key: string, value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    // Refresh: Map iteration order is insertion order, so the first key is the least recently used.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, value: V): void {
    const cost = this.cost(key, value);
    if (cost > this.budget / 4) return; // one huge entry must not evict everything else
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.total -= this.cost(key, old);
    }
    this.map.set(key, value);
    this.total += cost;
    for (const [k, v] of this.map) {
      if (this.total <= this.budget) break;
      this.map.delete(k);
      this.total -= this.cost(k, v);
    }
  }

  /** Total cost of what is kept. */
  get size(): number {
    return this.total;
  }
}
