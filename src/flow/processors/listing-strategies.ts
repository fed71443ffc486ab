/**
 * ListFile's listing strategies as pure functions over (listing, saved state, clock), so the exact NiFi
 * algorithm (nifi-semantics.md §1.5, §1.6) is testable without a file system.
 */
import type { ListedFile } from './list-file-walk.js';

export type Precision = 'auto-detect' | 'millis' | 'seconds' | 'minutes';

export interface TimestampState {
  listingTimestamp: number;
  processedTimestamp: number;
  ids: string[];
}

export interface TimestampPlan {
  emit: ListedFile[];
  /** New state to persist, or undefined when unchanged. */
  state: TimestampState | undefined;
  /** Nothing new: the processor yields. */
  yield: boolean;
  /** `limit` cut the emission short: more files are waiting. */
  truncated?: boolean;
  /** The files cut off (in emission order), for the next run to continue with. */
  rest?: ListedFile[];
}

const LAG = { millis: 100, seconds: 1000, minutes: 60_000 } as const;

export function detectPrecision(files: readonly ListedFile[]): keyof typeof LAG {
  if (files.some((f) => f.mtime % 1000 !== 0)) return 'millis';
  if (files.some((f) => f.mtime % 60_000 !== 0)) return 'seconds';
  return 'minutes';
}

/**
 * One Tracking Timestamps run. `files` is the walk result (already filtered by mtime ≥ listingTimestamp);
 * `sinceLastRun` is the monotonic time since the previous run (Infinity after a restart).
 * `limit` (floe: the room under back pressure) emits only the oldest files; the state then records the listing
 * as if it had ended at the newest emitted file, so the next run picks up exactly the rest.
 */
export function planTimestamps(
  files: readonly ListedFile[],
  saved: TimestampState,
  now: number,
  sinceLastRun: number,
  precisionSetting: Precision,
  limit = Infinity,
): TimestampPlan {
  const none: TimestampPlan = { emit: [], state: undefined, yield: true };
  const candidates = files.filter((f) => f.mtime >= saved.listingTimestamp && f.mtime >= saved.processedTimestamp);
  if (candidates.length === 0) return none;
  const precision = precisionSetting === 'auto-detect' ? detectPrecision(files) : precisionSetting;
  const lag = LAG[precision];
  const latest = candidates.reduce((m, f) => Math.max(m, f.mtime), -Infinity);
  let eligible = candidates;
  const emittedIds = new Set(saved.ids);
  if (latest === saved.listingTimestamp) {
    // Case A: nothing newer than the last listing.
    if (sinceLastRun < lag) return none;
    const atLatest = candidates.filter((f) => f.mtime === latest);
    if (latest === saved.processedTimestamp && atLatest.every((f) => emittedIds.has(f.id))) return none;
  } else {
    // Case B: the newest group may still be being written: hold it back one run if it is within the lag.
    const unit = precision === 'millis' ? 1 : precision === 'seconds' ? 1000 : 60_000;
    const cutoff = Math.floor((now - lag) / unit) * unit;
    if (latest > cutoff) eligible = candidates.filter((f) => f.mtime !== latest);
  }
  let emit = eligible
    .filter((f) => !(f.mtime === saved.processedTimestamp && emittedIds.has(f.id)))
    .sort((a, b) => a.mtime - b.mtime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const truncated = emit.length > limit;
  const rest = truncated ? emit.slice(Math.max(0, limit)) : undefined;
  if (truncated) emit = emit.slice(0, Math.max(0, limit));
  let { processedTimestamp, ids } = saved;
  if (emit.length > 0) {
    const maxEmitted = emit[emit.length - 1]!.mtime;
    if (maxEmitted !== processedTimestamp) ids = [];
    ids = [...ids, ...emit.filter((f) => f.mtime === maxEmitted).map((f) => f.id)];
    processedTimestamp = maxEmitted;
  }
  // Cut short: the files after the cut are not "seen" yet (the next walk must not drop them as older).
  const listingTimestamp = truncated ? Math.min(latest, processedTimestamp) : latest;
  const changed = listingTimestamp !== saved.listingTimestamp || emit.length > 0;
  return {
    emit,
    state: changed ? { listingTimestamp, processedTimestamp, ids } : undefined,
    yield: emit.length === 0,
    truncated,
    rest,
  };
}

export interface TrackedEntity {
  ts: number;
  size: number;
}

/** The entities remembered so far (a Map, or a view over ListFile's state keys). */
export interface EntityLookup {
  get(id: string): TrackedEntity | undefined;
  keys(): Iterable<string>;
}

export interface EntityPlan {
  emit: ListedFile[];
  /** Entities to remember (emitted files) and to forget (gone, or older than the window). */
  added: Record<string, TrackedEntity>;
  removed: string[];
  yield: boolean;
  truncated?: boolean;
  rest?: ListedFile[];
}

/**
 * One Tracking Entities run: emit files that are new, have a newer mtime, or changed size. With a time
 * window (NiFi) entries older than the window are forgotten; without one (floe's default) an entry is
 * forgotten once its file is gone, so a file moved in with an old mtime is still listed. `visited` undefined
 * (the continuation of a listing cut short, no new walk) forgets nothing. The result is a change, not the
 * whole set: a folder of a million files costs what changed per run.
 */
export function planEntities(
  files: readonly ListedFile[],
  visited: ReadonlySet<string> | undefined,
  known: EntityLookup,
  now: number,
  windowMs: number | undefined,
  limit = Infinity,
): EntityPlan {
  let emit = files
    .filter((f) => {
      const k = known.get(f.id);
      return !k || f.mtime > k.ts || f.size !== k.size;
    })
    .sort((a, b) => a.mtime - b.mtime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Files beyond `limit` are not remembered, so the next run emits them.
  const truncated = emit.length > limit;
  const rest = truncated ? emit.slice(Math.max(0, limit)) : undefined;
  if (truncated) emit = emit.slice(0, Math.max(0, limit));
  const added: Record<string, TrackedEntity> = {};
  for (const f of emit) added[f.id] = { ts: f.mtime, size: f.size };
  const removed: string[] = [];
  if (visited) {
    for (const id of known.keys()) {
      const stale = windowMs !== undefined ? known.get(id)!.ts < now - windowMs : !visited.has(id);
      if (stale && !added[id]) removed.push(id);
    }
  }
  return { emit, added, removed, yield: emit.length === 0, truncated, rest };
}
