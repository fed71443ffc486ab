/**
 * A small LRU map from text to text, bounded by the total length of its keys and values. polyglot's parse and
 * print cross into WASM with the whole AST serialised both ways (~5 ms for one of the SCD applier's statements),
 * while a pipeline runs the same statements over and over (every task run, every pipe load): memoising the two
 * pure functions on their serialised input turns that into a JSON.stringify / JSON.parse (~0.1 ms).
 */
export class MemoCache {
  private readonly map = new Map<string, string>();
  private size = 0;

  constructor(private readonly maxChars: number) {}

  get(key: string): string | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    // Refresh: Map iteration order is insertion order, so the first key is the least recently used.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, value: string): void {
    const cost = key.length + value.length;
    if (cost > this.maxChars / 4) return; // one huge statement must not evict everything else
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.size -= key.length + old.length;
    }
    this.map.set(key, value);
    this.size += cost;
    for (const [k, v] of this.map) {
      if (this.size <= this.maxChars) break;
      this.map.delete(k);
      this.size -= k.length + v.length;
    }
  }

  get entries(): number {
    return this.map.size;
  }

  get chars(): number {
    return this.size;
  }
}
