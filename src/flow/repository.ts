/**
 * The flow's durable state (NiFi's FlowFile repository + local state provider in one): an append-only journal
 * of session commits, fsynced, plus a periodic snapshot. A commit record holds the flowfiles a session put
 * on queues, the ones it consumed, processor state changes and run-state changes, so they become durable
 * together — a crash loses nothing that was committed and nothing half-committed is replayed.
 *
 * Commits are grouped: records that arrive while a write is in progress go out in the next write with one
 * fsync. Provenance events of a batch are handed to `beforeJournal` first (NiFi's order); on recovery the
 * provenance store drops events whose commit never reached the journal (see provenance.ts).
 */
import { mkdir, open, readFile, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { FlowFile } from './flowfile.js';

export type ScheduledState = 'RUNNING' | 'STOPPED' | 'DISABLED';

export interface CommitRecord {
  /** Commit sequence, assigned by the repository. */
  seq?: number;
  enq?: Array<[connection: string, flowFile: FlowFile]>;
  deq?: Array<[connection: string, flowFileId: number]>;
  /** Processor state maps replaced by this commit (null = cleared). */
  state?: Record<string, Record<string, string> | null>;
  /** Keys set and removed in processor state maps (applied after `state`). */
  statePatch?: Record<string, { set: Record<string, string>; remove: string[] }>;
  run?: Record<string, ScheduledState>;
}

interface Snapshot {
  version: 1;
  gen: number;
  commitSeq: number;
  nextId: number;
  queues: Record<string, FlowFile[]>;
  state: Record<string, Record<string, string>>;
  run: Record<string, ScheduledState>;
}

/** Journal size that triggers a checkpoint (snapshot + fresh journal). */
const CHECKPOINT_BYTES = 32 * 1024 * 1024;

export class FlowRepository {
  readonly queues = new Map<string, Map<number, FlowFile>>();
  readonly state = new Map<string, Record<string, string>>();
  readonly run = new Map<string, ScheduledState>();
  private gen = 0;
  private commitSeq = 0;
  private nextId = 1;
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private pending: Array<{ record: CommitRecord; extra: unknown; resolve: () => void; reject: (e: unknown) => void }> = [];
  private writing: Promise<void> | undefined;
  private failed: unknown;

  private constructor(
    readonly dir: string,
    private readonly beforeJournal: (seq: number, extras: unknown[]) => Promise<void>,
  ) {}

  /** Opens (and recovers) the repository in `dir`. */
  static async open(dir: string, beforeJournal: (seq: number, extras: unknown[]) => Promise<void> = async () => {}): Promise<FlowRepository> {
    await mkdir(dir, { recursive: true });
    const repo = new FlowRepository(dir, beforeJournal);
    await repo.recover(false);
    return repo;
  }

  /** Reads the durable state without changing anything (the flow may be running in another process). */
  static async inspect(dir: string): Promise<FlowRepository> {
    const repo = new FlowRepository(dir, async () => {
      throw new FloeError('FLOW', 'repository opened read-only');
    });
    await repo.recover(true);
    return repo;
  }

  get lastCommitSeq(): number {
    return this.commitSeq;
  }

  /** Reserves `count` flowfile ids. */
  allocateIds(count = 1): number {
    const first = this.nextId;
    this.nextId += count;
    return first;
  }

  /** Makes `record` durable; `extra` (provenance events) is passed to beforeJournal with the batch. */
  commit(record: CommitRecord, extra?: unknown): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ record, extra, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Waits for queued commits, then closes the journal. */
  async close(): Promise<void> {
    while (this.writing) await this.writing;
    await this.journal?.close();
    this.journal = undefined;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          for (const item of batch) item.record.seq = ++this.commitSeq;
          const extras = batch.map((b) => b.extra).filter((e) => e !== undefined);
          await this.beforeJournal(this.commitSeq, extras);
          const text = batch.map((b) => JSON.stringify(b.record)).join('\n') + '\n';
          await this.journal!.write(text);
          await this.journal!.datasync();
          this.journalBytes += Buffer.byteLength(text);
          for (const item of batch) this.apply(item.record);
          for (const item of batch) item.resolve();
          // Checkpoints get rarer as the snapshot grows, so writing snapshots stays a fraction of the journal.
          if (this.journalBytes > Math.max(CHECKPOINT_BYTES, 2 * this.snapshotBytes)) await this.checkpoint();
        } catch (error) {
          // The journal may now end in a torn record; refuse further commits (recovery truncates it).
          this.failed = new FloeError('FLOW', `flow repository write failed: ${(error as Error).message}`, { cause: error });
          for (const item of [...batch, ...this.pending.splice(0)]) item.reject(this.failed);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private apply(record: CommitRecord): void {
    for (const [conn, id] of record.deq ?? []) this.queues.get(conn)?.delete(id);
    for (const [conn, ff] of record.enq ?? []) {
      let q = this.queues.get(conn);
      if (!q) this.queues.set(conn, (q = new Map()));
      q.set(ff.id, ff);
      if (ff.id >= this.nextId) this.nextId = ff.id + 1;
    }
    for (const [proc, map] of Object.entries(record.state ?? {})) {
      if (map === null) this.state.delete(proc);
      else this.state.set(proc, map);
    }
    for (const [proc, patch] of Object.entries(record.statePatch ?? {})) {
      let map = this.state.get(proc);
      if (!map) this.state.set(proc, (map = {}));
      Object.assign(map, patch.set);
      for (const key of patch.remove) delete map[key];
    }
    for (const [proc, s] of Object.entries(record.run ?? {})) this.run.set(proc, s);
    if (record.seq !== undefined && record.seq > this.commitSeq) this.commitSeq = record.seq;
  }

  /** Writes a snapshot of the current model and starts a fresh journal generation. */
  async checkpoint(): Promise<void> {
    const snapshot: Snapshot = {
      version: 1,
      gen: this.gen + 1,
      commitSeq: this.commitSeq,
      nextId: this.nextId,
      queues: Object.fromEntries([...this.queues].map(([c, q]) => [c, [...q.values()]])),
      state: Object.fromEntries(this.state),
      run: Object.fromEntries(this.run),
    };
    const tmp = join(this.dir, 'snapshot.json.partial');
    const handle = await open(tmp, 'w');
    try {
      const text = JSON.stringify(snapshot);
      this.snapshotBytes = text.length;
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const fresh = await open(this.journalPath(snapshot.gen), 'a');
    // The rename is the switch-over: before it, recovery uses the old snapshot + old journal.
    await rename(tmp, join(this.dir, 'snapshot.json'));
    await syncDir(this.dir);
    const old = this.gen;
    await this.journal?.close();
    this.journal = fresh;
    this.journalBytes = 0;
    this.gen = snapshot.gen;
    await rm(this.journalPath(old), { force: true });
  }

  private journalPath(gen: number): string {
    return join(this.dir, `journal-${gen}.log`);
  }

  private async recover(readOnly: boolean): Promise<void> {
    let snapshot: Snapshot | undefined;
    try {
      snapshot = JSON.parse(await readFile(join(this.dir, 'snapshot.json'), 'utf8')) as Snapshot;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new FloeError('FLOW', `cannot read flow snapshot in ${this.dir}: ${(error as Error).message}`);
      }
    }
    if (snapshot) {
      this.gen = snapshot.gen;
      this.commitSeq = snapshot.commitSeq;
      this.nextId = snapshot.nextId;
      for (const [conn, ffs] of Object.entries(snapshot.queues)) this.queues.set(conn, new Map(ffs.map((f) => [f.id, f])));
      for (const [proc, map] of Object.entries(snapshot.state)) this.state.set(proc, map);
      for (const [proc, s] of Object.entries(snapshot.run)) this.run.set(proc, s);
    }
    const path = this.journalPath(this.gen);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let good = 0;
    for (const line of text.split('\n')) {
      if (line === '') break;
      let record: CommitRecord;
      try {
        record = JSON.parse(line) as CommitRecord;
      } catch {
        break; // a torn last record from a crash mid-write: it was never acknowledged
      }
      this.apply(record);
      good += Buffer.byteLength(line) + 1;
    }
    if (readOnly) return;
    if (good < Buffer.byteLength(text)) await truncate(path, good);
    this.journal = await open(path, 'a');
    this.journalBytes = (await stat(path)).size;
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
