/**
 * ListFile: lists a directory and emits one empty flowfile per new/changed file, with NiFi's attributes.
 * The listing state is written with the session commit that emits the flowfiles (crash → re-listing, never
 * loss). floe's defaults differ from NiFi's on purpose (docs/flow.md "Safer defaults"): Tracking Entities
 * without a time window (files moved in with an old mtime are listed) and Minimum File Age 10 sec (a file
 * still being written is not listed).
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { formatDate } from '../el/date-format.js';
import { parseTimePeriod } from '../units.js';
import type { ProcessContext, ProcessorSpec } from '../processor-api.js';
import type { ProcessSession } from '../session.js';
import { walk, type ListedFile, type WalkResult } from './list-file-walk.js';
import { planEntities, planTimestamps, type EntityLookup, type Precision, type TimestampState, type TrackedEntity } from './listing-strategies.js';
import { groupName, permissions, userName } from './posix-names.js';

const FILTER_PROPERTIES = [
  'Input Directory', 'Recurse Subdirectories', 'File Filter', 'Path Filter', 'Minimum File Age', 'Maximum File Age',
  'Minimum File Size', 'Maximum File Size', 'Ignore Hidden Files', 'Listing Strategy', 'Entity Tracking Time Window',
];

export const listFileSpec: ProcessorSpec = {
  type: 'ListFile',
  description:
    'Lists files in a local directory and emits one flowfile (no content) per new or changed file, with its path in attributes. Pair with FetchFile.',
  tags: ['file', 'list', 'source', 'filesystem', 'ingest'],
  input: 'forbidden',
  triggerSerially: true,
  defaultSchedule: '1 min',
  relationships: [{ name: 'success', description: 'One flowfile per listed file.' }],
  resetStateOn: FILTER_PROPERTIES,
  properties: [
    { name: 'Input Directory', description: 'Directory to list; relative paths are relative to the project folder.', required: true, kind: 'non-empty', expressionScope: 'environment' },
    {
      name: 'Listing Strategy',
      description: 'How files already listed are remembered. floe default: Tracking Entities (NiFi: Tracking Timestamps).',
      default: 'Tracking Entities',
      allowedValues: ['Tracking Timestamps', 'Tracking Entities', 'No Tracking'],
    },
    { name: 'Recurse Subdirectories', description: 'List files in subdirectories too.', default: 'true', kind: 'boolean' },
    { name: 'Input Directory Location', description: 'Local (node-local state). Remote (cluster state) is not supported by floe.', default: 'Local', allowedValues: ['Local', 'Remote'], check: (v) => (v === 'Remote' ? 'unsupported: Input Directory Location Remote (floe has no cluster state)' : undefined) },
    { name: 'File Filter', description: 'Java regular expression the whole file name must match.', default: '[^\\.].*', kind: 'regex' },
    { name: 'Path Filter', description: 'When recursing, regular expression the relative directory must match ("" for files in the root).', kind: 'regex' },
    { name: 'Include File Attributes', description: 'Add file.owner, file.group, file.permissions, file.creationTime and file.lastAccessTime.', default: 'true', kind: 'boolean' },
    { name: 'Minimum File Age', description: 'Files modified more recently than this are not listed yet. floe default 10 sec (NiFi: 0 sec).', default: '10 sec', kind: 'time-period' },
    { name: 'Maximum File Age', description: 'Files older than this are ignored (at least 100 millis).', kind: 'time-period', check: (v) => (parseTimePeriod(v) < 100 ? 'must be at least 100 millis' : undefined) },
    { name: 'Minimum File Size', description: 'Smaller files are ignored.', default: '0 B', kind: 'data-size' },
    { name: 'Maximum File Size', description: 'Larger files are ignored.', kind: 'data-size' },
    { name: 'Ignore Hidden Files', description: 'Skip names starting with a dot.', default: 'true', kind: 'boolean' },
    {
      name: 'Target System Timestamp Precision',
      description: 'Modification-time precision of the file system; decides the listing lag (100 ms / 1 s / 1 min). Tracking Timestamps only.',
      default: 'auto-detect',
      allowedValues: ['auto-detect', 'millis', 'seconds', 'minutes'],
    },
    {
      name: 'Entity Tracking Time Window',
      description: 'Tracking Entities: only files modified within this window are listed and remembered. Unset (floe default) = every file present, forgotten when it disappears. NiFi default: 3 hours.',
      kind: 'time-period',
      expressionScope: 'environment',
    },
    {
      name: 'Entity Tracking Initial Listing Target',
      description: 'Tracking Entities with a time window: list everything on the first run (All Available) or only the window.',
      default: 'All Available',
      allowedValues: ['All Available', 'Tracking Time Window'],
    },
    {
      name: 'Respect Back Pressure',
      description:
        'floe extension. true: a run emits at most as many files as the success connection takes before its back-pressure object threshold; the rest are listed by the next runs, which start as soon as there is room (queued flowfiles stay bounded by the threshold). false: NiFi — a run emits the whole listing (back pressure is soft and only delays the next run).',
      default: 'true',
      kind: 'boolean',
    },
    { name: 'Max Disk Operation Time', description: 'A warning bulletin is raised when one stat takes longer.', default: '10 secs', kind: 'time-period' },
    { name: 'Max Directory Listing Time', description: 'A warning bulletin is raised when listing takes longer.', default: '3 mins', kind: 'time-period' },
  ],
  writesAttributes: [
    { name: 'filename', description: 'The file name.' },
    { name: 'path', description: "Directory relative to Input Directory with a trailing '/', './' for the root." },
    { name: 'absolute.path', description: "Absolute parent directory with a trailing '/'." },
    { name: 'file.size', description: 'Size in bytes.' },
    { name: 'file.lastModifiedTime', description: "yyyy-MM-dd'T'HH:mm:ssZ in the local time zone." },
    { name: 'file.creationTime', description: 'Same format (Include File Attributes).' },
    { name: 'file.lastAccessTime', description: 'Same format (Include File Attributes).' },
    { name: 'file.owner', description: 'Owner name (Include File Attributes).' },
    { name: 'file.group', description: 'Group name (Include File Attributes).' },
    { name: 'file.permissions', description: 'e.g. rw-r--r-- (Include File Attributes).' },
  ],
  create: () => new ListFile(),
};

const TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ssZ";
const COMMIT_EVERY = 10_000;

class ListFile {
  /** Monotonic time of the previous run (Case A's lag check); unknown after a restart. */
  private lastRun: number | undefined;
  /**
   * The previous run was cut short by back pressure: the files it did not emit yet. The next run continues
   * with them instead of walking the folder again — one walk per listing, as NiFi, however many runs its
   * emission takes. Files that changed meanwhile are caught by the next walk.
   */
  private pending: ListedFile[] | undefined;

  onStopped(): Promise<void> {
    this.pending = undefined; // the state may be cleared while stopped: walk afresh
    return Promise.resolve();
  }

  async onTrigger(ctx: ProcessContext, session: ProcessSession): Promise<void> {
    const dirValue = ctx.property('Input Directory').evaluate() ?? '';
    if (dirValue.trim() === '') throw new Error('Input Directory evaluated to an empty value');
    const root = isAbsolute(dirValue) ? dirValue : resolve(ctx.projectDir, dirValue);
    const info = await stat(root).catch(() => undefined);
    if (!info?.isDirectory()) {
      ctx.log.error(`Input Directory ${root} does not exist or is not a directory`);
      ctx.yield();
      return;
    }
    const limit = ctx.property('Respect Back Pressure').asBoolean() ? ctx.room('success') : Infinity;
    if (limit <= 0) return; // RUN_ONCE while the queue is full: nothing may be emitted, the state stays as it is
    const strategy = ctx.property('Listing Strategy').evaluate();
    const saved = session.getState() ?? {};
    const now = ctx.now();
    const timestamps: TimestampState = {
      listingTimestamp: Number(saved['listing.timestamp'] ?? 0),
      processedTimestamp: Number(saved['processed.timestamp'] ?? 0),
      ids: Object.keys(saved).filter((k) => k.startsWith('id.')).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3))).map((k) => saved[k]!),
    };
    const windowMs = ctx.property('Entity Tracking Time Window').asTimePeriod();
    const firstEntityRun = saved[TRACKING_KEY] === undefined && saved['entities'] === undefined;
    let minTimestamp = 0;
    if (strategy === 'Tracking Timestamps') minTimestamp = timestamps.listingTimestamp;
    else if (strategy === 'Tracking Entities' && windowMs !== undefined) {
      const all = firstEntityRun && ctx.property('Entity Tracking Initial Listing Target').evaluate() === 'All Available';
      minTimestamp = all ? 0 : now - windowMs;
    }

    const continuing = this.pending;
    this.pending = undefined;
    // Continuing with Entities or No Tracking, the files not emitted yet are all still due (only this processor
    // changes the state): hand the planner one batch, not the whole rest. Timestamps re-plans the whole rest.
    let carry: ListedFile[] = [];
    let files = continuing;
    if (continuing && strategy !== 'Tracking Timestamps' && continuing.length > limit) {
      [files, carry] = [continuing.slice(0, limit), continuing.slice(limit)];
    }
    const listing = files ? { files, visited: undefined } : await this.walk(ctx, root, minTimestamp, now);
    const sinceLastRun = this.lastRun === undefined || continuing ? Infinity : performance.now() - this.lastRun;
    this.lastRun = performance.now();

    let emit: ListedFile[];
    let rest: ListedFile[] | undefined;
    let newState: Record<string, string> | null | undefined;
    if (strategy === 'Tracking Timestamps') {
      const precision = (ctx.property('Target System Timestamp Precision').evaluate() ?? 'auto-detect') as Precision;
      const plan = planTimestamps(listing.files, timestamps, now, sinceLastRun, precision, limit);
      emit = plan.emit;
      rest = plan.rest;
      if (plan.state) {
        newState = { 'listing.timestamp': String(plan.state.listingTimestamp), 'processed.timestamp': String(plan.state.processedTimestamp) };
        plan.state.ids.forEach((id, i) => (newState![`id.${i}`] = id));
      }
    } else if (strategy === 'Tracking Entities') {
      const known = entityState(saved);
      const plan = planEntities(listing.files, listing.visited, known, now, windowMs, limit);
      emit = plan.emit;
      rest = plan.rest;
      if (saved['entities'] !== undefined) {
        newState = migrateEntities(known, plan.added, plan.removed); // the one-JSON-value layout of earlier versions
      } else if (firstEntityRun || emit.length > 0 || plan.removed.length > 0) {
        const set: Record<string, string> = firstEntityRun ? { [TRACKING_KEY]: 'entities' } : {};
        for (const [id, e] of Object.entries(plan.added)) set[ENTITY_PREFIX + id] = `${e.ts} ${e.size}`;
        session.patchState(set, plan.removed.map((id) => ENTITY_PREFIX + id));
      }
    } else {
      emit = continuing ? listing.files : [...listing.files].sort((a, b) => a.mtime - b.mtime);
      if (emit.length > limit) [emit, rest] = [emit.slice(0, limit), emit.slice(limit)];
      if (Object.keys(saved).length > 0) newState = null;
    }

    const includeAttrs = ctx.property('Include File Attributes').asBoolean();
    for (let i = 0; i < emit.length; i++) {
      const ff = session.create();
      session.transfer(session.putAllAttributes(ff, await attributesFor(emit[i]!, includeAttrs)), 'success');
      // A huge listing is committed in parts to bound memory; the state goes with the last part, so a crash
      // in between lists the committed parts again (duplicates, never loss).
      if ((i + 1) % COMMIT_EVERY === 0 && i + 1 < emit.length) await session.commit();
    }
    if (newState !== undefined) session.setState(newState);
    if (carry.length > 0) rest = rest ? [...rest, ...carry] : carry;
    if (rest) {
      this.pending = rest;
      ctx.triggerAgain(); // the rest of the listing goes out as soon as the queue has room
    } else if (emit.length === 0) ctx.yield();
  }

  /** Walks the folder with the configured filters and reports what NiFi reports about slow or odd listings. */
  private async walk(ctx: ProcessContext, root: string, minTimestamp: number, now: number): Promise<WalkResult> {
    const started = performance.now();
    const result = await walk(
      root,
      {
        recurse: ctx.property('Recurse Subdirectories').asBoolean(),
        fileFilter: new RegExp(ctx.property('File Filter').evaluate() ?? '[^\\.].*'),
        pathFilter: ctx.property('Path Filter').raw ? new RegExp(ctx.property('Path Filter').evaluate()!) : undefined,
        minAge: ctx.property('Minimum File Age').asTimePeriod() ?? 0,
        maxAge: ctx.property('Maximum File Age').asTimePeriod(),
        minSize: ctx.property('Minimum File Size').asDataSize() ?? 0,
        maxSize: ctx.property('Maximum File Size').asDataSize(),
        ignoreHidden: ctx.property('Ignore Hidden Files').asBoolean(),
        minTimestamp,
      },
      now,
    );
    const elapsed = performance.now() - started;
    if (elapsed > (ctx.property('Max Directory Listing Time').asTimePeriod() ?? Infinity)) {
      ctx.log.warn(`listing ${root} took ${Math.round(elapsed)} ms (${result.visited.size} files)`);
    }
    if (result.future.count > 0) {
      const when = formatDate(new Date(result.future.mtime), "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
      ctx.log.warn(
        `${result.future.count} file(s) have a modification time in the future (e.g. ${result.future.path} at ${when}): ` +
          'they are not listed before that time (file ages count from the modification time; check the writer’s clock)',
      );
    }
    if (result.slowest.millis > (ctx.property('Max Disk Operation Time').asTimePeriod() ?? Infinity)) {
      ctx.log.warn(`one file-system call on ${result.slowest.path} took ${Math.round(result.slowest.millis)} ms during the listing`);
    }
    return result;
  }
}

/**
 * Tracking Entities state: one key per remembered file, `entity:<absolute path>` = `<mtime> <size>`, changed by
 * patches (only what changed per run reaches the journal), plus a marker that the first run happened.
 */
const ENTITY_PREFIX = 'entity:';
const TRACKING_KEY = 'tracking';

function entityState(saved: Readonly<Record<string, string>>): EntityLookup {
  if (saved['entities'] !== undefined) {
    const legacy = new Map(Object.entries(JSON.parse(saved['entities']) as Record<string, TrackedEntity>));
    return { get: (id) => legacy.get(id), keys: () => legacy.keys() };
  }
  return {
    get: (id) => {
      const v = saved[ENTITY_PREFIX + id];
      if (v === undefined) return undefined;
      const space = v.indexOf(' ');
      return { ts: Number(v.slice(0, space)), size: Number(v.slice(space + 1)) };
    },
    *keys() {
      for (const k in saved) if (k.startsWith(ENTITY_PREFIX)) yield k.slice(ENTITY_PREFIX.length);
    },
  };
}

function migrateEntities(known: EntityLookup, added: Record<string, TrackedEntity>, removed: readonly string[]): Record<string, string> {
  const state: Record<string, string> = { [TRACKING_KEY]: 'entities' };
  for (const id of known.keys()) {
    const e = known.get(id)!;
    state[ENTITY_PREFIX + id] = `${e.ts} ${e.size}`;
  }
  for (const [id, e] of Object.entries(added)) state[ENTITY_PREFIX + id] = `${e.ts} ${e.size}`;
  for (const id of removed) delete state[ENTITY_PREFIX + id];
  return state;
}

async function attributesFor(file: ListedFile, includeAttrs: boolean): Promise<Record<string, string>> {
  const attrs: Record<string, string> = {
    filename: file.name,
    path: file.relativeDir === '' ? './' : `${file.relativeDir}/`,
    'absolute.path': file.parent.endsWith('/') ? file.parent : `${file.parent}/`,
    'file.size': String(file.size),
    'file.lastModifiedTime': formatDate(new Date(file.mtime), TIME_FORMAT),
  };
  if (includeAttrs) {
    attrs['file.creationTime'] = formatDate(new Date(file.birthtime), TIME_FORMAT);
    attrs['file.lastAccessTime'] = formatDate(new Date(file.atime), TIME_FORMAT);
    attrs['file.owner'] = await userName(file.uid);
    attrs['file.group'] = await groupName(file.gid);
    attrs['file.permissions'] = permissions(file.mode);
  }
  return attrs;
}
