/**
 * The reference semantics of scd-semantics.md §4.3 in plain TypeScript: per key, sort the set of accepted events
 * and fold them into versions. It is the oracle for the property tests and for `floe verify`; it is deliberately
 * simple (row by row) and is never used to *apply* changes.
 */
export type Scalar = string | number | bigint | boolean | null;

export interface FoldEvent {
  key: Scalar[];
  /** Sequence tuple, compared lexicographically (numbers, bigints, strings; pre-normalise timestamps to UTC). */
  seq: Scalar[];
  op: 'U' | 'D';
  values: Record<string, Scalar>;
}

export interface FoldOptions {
  columns: string[];
  /** Columns whose change opens a version (default: all). */
  tracked?: string[];
  /** Columns where NULL in an upsert means "not provided". */
  ignoreNull?: string[];
}

export interface FoldVersion {
  key: Scalar[];
  values: Record<string, Scalar>;
  /** Sequence tuple of the version's last event (what SCD1 shows). */
  seq: Scalar[];
  /** First sequence component of the run's first event / of the next event (null: current). */
  from: Scalar;
  to: Scalar;
}

export interface FoldResult {
  scd2: FoldVersion[];
  scd1: FoldVersion[];
}

export class FoldConflictError extends Error {}

export function compareScalar(a: Scalar, b: Scalar): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : 1;
  return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
}

const compareTuple = (a: Scalar[], b: Scalar[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareScalar(a[i] ?? null, b[i] ?? null);
    if (d !== 0) return d;
  }
  return 0;
};

/** Identity of an exact duplicate: deletes carry no payload. */
const eventId = (e: FoldEvent, columns: string[]): string =>
  JSON.stringify([e.key, e.seq, e.op, e.op === 'U' ? columns.map((c) => e.values[c] ?? null) : []], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

export function referenceFold(events: FoldEvent[], options: FoldOptions): FoldResult {
  const tracked = options.tracked ?? options.columns;
  const ignoreNull = new Set(options.ignoreNull ?? []);
  const byKey = new Map<string, FoldEvent[]>();
  const seen = new Set<string>();
  for (const e of events) {
    const id = eventId(e, options.columns);
    if (seen.has(id)) continue;
    seen.add(id);
    const k = JSON.stringify(e.key, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const list = byKey.get(k) ?? [];
    list.push(e);
    byKey.set(k, list);
  }
  const result: FoldResult = { scd2: [], scd1: [] };
  for (const list of byKey.values()) {
    list.sort((a, b) => compareTuple(a.seq, b.seq) || (a.op === b.op ? 0 : a.op === 'U' ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const [p, e] = [list[i - 1]!, list[i]!];
      if (p.op === 'U' && e.op === 'U' && compareTuple(p.seq, e.seq) === 0) {
        throw new FoldConflictError(`conflicting events for key ${JSON.stringify(e.key)} at sequence ${JSON.stringify(e.seq)}`);
      }
    }
    let cur: FoldVersion | undefined;
    const versions: FoldVersion[] = [];
    const close = (at: Scalar): void => {
      if (cur) {
        cur.to = at;
        versions.push(cur);
      }
      cur = undefined;
    };
    for (const e of list) {
      const at = e.seq[0] ?? null;
      if (e.op === 'D') {
        close(at);
        continue;
      }
      const values: Record<string, Scalar> = {};
      for (const c of options.columns) {
        const v = e.values[c] ?? null;
        values[c] = v === null && ignoreNull.has(c) && cur ? (cur.values[c] ?? null) : v;
      }
      const changed = !cur || tracked.some((c) => !sameValue(cur!.values[c] ?? null, values[c] ?? null));
      if (changed) {
        close(at);
        cur = { key: e.key, values, seq: e.seq, from: at, to: null };
      } else {
        cur!.values = values;
        cur!.seq = e.seq;
      }
    }
    if (cur) {
      versions.push(cur);
      result.scd1.push(cur);
    }
    // Zero-width versions (an upsert overtaken at the same sequence) are dropped.
    result.scd2.push(...versions.filter((v) => v.to === null || compareScalar(v.from, v.to) < 0));
  }
  return result;
}

function sameValue(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  return typeof a === typeof b ? a === b : String(a) === String(b);
}
