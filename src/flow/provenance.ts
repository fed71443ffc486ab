/**
 * Provenance: one event per thing that happened to a flowfile (CREATE, FETCH, SEND, DROP, ROUTE, …), with an
 * attribute snapshot, so a file's path through the flow can be shown after the fact. Events are appended as
 * JSON lines to `provenance/events-<n>.log` by the repository's commit writer just before the journal write;
 * each line carries its commit sequence, and on recovery lines from a commit that never reached the journal
 * are cut off — so a committed hop has exactly one event, even across kill -9.
 * Files roll at 64 MB; the oldest are deleted beyond the retention (30 days / 1 GB, NiFi's defaults are
 * 30 days / 10 GB).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type ProvenanceEventType =
  | 'CREATE' | 'RECEIVE' | 'FETCH' | 'SEND' | 'DOWNLOAD' | 'DROP' | 'EXPIRE' | 'FORK' | 'JOIN' | 'CLONE'
  | 'CONTENT_MODIFIED' | 'ATTRIBUTES_MODIFIED' | 'ROUTE' | 'ADDINFO' | 'REPLAY';

export interface ProvenanceEvent {
  eventId: number;
  eventType: ProvenanceEventType;
  /** Epoch ms. */
  eventTime: number;
  componentId: string;
  componentType: string;
  flowFileUuid: string;
  parentUuids?: string[];
  childUuids?: string[];
  attributes: Record<string, string>;
  size: number;
  lineageStartDate: number;
  transitUri?: string;
  durationMillis?: number;
  details?: string;
  relationship?: string;
  /** Commit sequence of the session that recorded it. */
  commit: number;
}

export type NewProvenanceEvent = Omit<ProvenanceEvent, 'eventId' | 'commit'>;

export interface ProvenanceQuery {
  flowFileUuid?: string;
  filename?: string;
  componentId?: string;
  eventType?: ProvenanceEventType;
  since?: number;
  /** Newest events first, at most this many (default 1000, as NiFi's cap). */
  limit?: number;
}

const ROLL_BYTES = 64 * 1024 * 1024;

export class ProvenanceStore {
  private handle: FileHandle | undefined;
  private fileNo = 0;
  private fileBytes = 0;
  private nextEventId = 1;
  /** Events of later commits are not (yet) part of the journal: queries skip them. */
  private visibleCommit = Infinity;

  private constructor(
    readonly dir: string,
    private readonly retention: { maxAgeMs: number; maxBytes: number },
  ) {}

  /** Opens the store and cuts off events of commits after `lastCommitSeq` (never journalled). */
  static async open(dir: string, lastCommitSeq: number, retention = { maxAgeMs: 30 * 86_400_000, maxBytes: 1024 ** 3 }): Promise<ProvenanceStore> {
    await mkdir(dir, { recursive: true });
    const store = new ProvenanceStore(dir, retention);
    store.visibleCommit = lastCommitSeq;
    const files = await store.files();
    store.fileNo = files.at(-1)?.no ?? 1;
    const path = store.path(store.fileNo);
    let keep = 0;
    try {
      for await (const line of createInterface({ input: createReadStream(path) })) {
        let event: ProvenanceEvent;
        try {
          event = JSON.parse(line) as ProvenanceEvent;
        } catch {
          break;
        }
        if (event.commit > lastCommitSeq) break;
        store.nextEventId = event.eventId + 1;
        keep += Buffer.byteLength(line) + 1;
      }
      if (keep < (await stat(path)).size) await truncate(path, keep);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (keep === 0 && files.length > 1) store.nextEventId = (await store.lastEventId(files.at(-2)!.no)) + 1;
    store.handle = await open(path, 'a');
    store.fileBytes = keep;
    store.visibleCommit = Infinity;
    return store;
  }

  /** Read-only access for queries while the flow may be running in another process. */
  static inspect(dir: string, lastCommitSeq: number): ProvenanceStore {
    const store = new ProvenanceStore(dir, { maxAgeMs: Infinity, maxBytes: Infinity });
    store.visibleCommit = lastCommitSeq;
    return store;
  }

  /** Appends the events of one commit batch and fsyncs (called by the repository before its journal write). */
  async append(commit: number, events: NewProvenanceEvent[]): Promise<void> {
    if (events.length === 0) return;
    let text = '';
    for (const e of events) text += JSON.stringify({ eventId: this.nextEventId++, ...e, commit }) + '\n';
    await this.handle!.write(text);
    await this.handle!.datasync();
    this.fileBytes += Buffer.byteLength(text);
    if (this.fileBytes > ROLL_BYTES) await this.roll();
  }

  async query(q: ProvenanceQuery = {}): Promise<ProvenanceEvent[]> {
    const limit = q.limit ?? 1000;
    const out: ProvenanceEvent[] = [];
    for (const { no } of (await this.files()).reverse()) {
      const matches: ProvenanceEvent[] = [];
      for await (const event of this.read(no)) {
        if (q.flowFileUuid && event.flowFileUuid !== q.flowFileUuid) continue;
        if (q.filename && event.attributes['filename'] !== q.filename) continue;
        if (q.componentId && event.componentId !== q.componentId) continue;
        if (q.eventType && event.eventType !== q.eventType) continue;
        if (q.since && event.eventTime < q.since) continue;
        matches.push(event);
      }
      out.push(...matches.reverse());
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  /** Every event of the flowfile's lineage: the file itself, its parents and children, transitively. */
  async lineage(uuid: string): Promise<ProvenanceEvent[]> {
    const all: ProvenanceEvent[] = [];
    for (const { no } of await this.files()) for await (const e of this.read(no)) all.push(e);
    const wanted = new Set([uuid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of all) {
        const related = [e.flowFileUuid, ...(e.parentUuids ?? []), ...(e.childUuids ?? [])];
        if (related.some((u) => wanted.has(u))) {
          for (const u of related) {
            if (!wanted.has(u)) {
              wanted.add(u);
              grew = true;
            }
          }
        }
      }
    }
    return all.filter((e) => wanted.has(e.flowFileUuid));
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async *read(no: number): AsyncGenerator<ProvenanceEvent> {
    try {
      for await (const line of createInterface({ input: createReadStream(this.path(no)) })) {
        if (!line) continue;
        let event: ProvenanceEvent;
        try {
          event = JSON.parse(line) as ProvenanceEvent;
        } catch {
          return; // a line being written by the running flow
        }
        if (event.commit > this.visibleCommit) return;
        yield event;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private async lastEventId(no: number): Promise<number> {
    let last = 0;
    for await (const e of this.read(no)) last = e.eventId;
    return last;
  }

  private path(no: number): string {
    return join(this.dir, `events-${String(no).padStart(6, '0')}.log`);
  }

  private async files(): Promise<Array<{ no: number; name: string }>> {
    return (await readdir(this.dir).catch(() => [] as string[]))
      .map((name) => ({ name, m: /^events-(\d+)\.log$/.exec(name) }))
      .filter((f) => f.m)
      .map((f) => ({ name: f.name, no: Number(f.m![1]) }))
      .sort((a, b) => a.no - b.no);
  }

  private async roll(): Promise<void> {
    await this.handle!.close();
    this.fileNo++;
    this.handle = await open(this.path(this.fileNo), 'a');
    this.fileBytes = 0;
    // Retention: drop whole old files beyond the age or size budget.
    const files = await this.files();
    let total = 0;
    const now = Date.now();
    for (const f of files.reverse()) {
      const s = await stat(join(this.dir, f.name));
      total += s.size;
      if (f.no !== this.fileNo && (total > this.retention.maxBytes || now - s.mtimeMs > this.retention.maxAgeMs)) {
        await rm(join(this.dir, f.name), { force: true });
      }
    }
  }
}
