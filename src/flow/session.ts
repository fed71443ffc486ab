/**
 * ProcessSession: a processor's unit of work. It polls flowfiles from the processor's input queues, creates
 * and modifies flowfiles (copy-on-write), records provenance and state changes, and on `commit()` hands the
 * whole result to the engine, which makes it durable in NiFi's order (content → provenance → journal →
 * queues → state → acknowledge inputs → completion callbacks). Every polled flowfile must be transferred or
 * removed before commit, as in NiFi.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { FloeError } from '../core/errors.js';
import type { Connection } from './connection.js';
import { newFlowFile, type FlowFile } from './flowfile.js';
import type { NewProvenanceEvent, ProvenanceEventType } from './provenance.js';
import type { SessionHost, StatePatch } from './session-types.js';

export type { SessionHost, SessionResult, StatePatch } from './session-types.js';

const CREATION_EVENTS = new Set(['CREATE', 'RECEIVE', 'FETCH', 'FORK']);

export class ProcessSession {
  private polled = new Map<string, { flowFile: FlowFile; connection: Connection }>();
  private current = new Map<string, FlowFile>();
  private relationship = new Map<string, string>();
  private removed = new Set<string>();
  private created = new Set<string>();
  private events: NewProvenanceEvent[] = [];
  private callbacks: Array<() => Promise<void> | void> = [];
  private readonly pins: string[] = [];
  private state: Record<string, string> | null | undefined;
  private statePatch: StatePatch | undefined;
  private readBytes = 0;
  private writtenBytes = 0;
  private rr = 0;
  private done = false;

  constructor(private readonly host: SessionHost) {}

  /** Polls up to `max` flowfiles from the input queues (round robin). Expired ones are dropped (EXPIRE). */
  get(max = 1): FlowFile[] {
    const out: FlowFile[] = [];
    const now = this.host.now();
    const inputs = this.host.inputs;
    for (let i = 0; i < inputs.length && out.length < max; i++) {
      const connection = inputs[(this.rr + i) % inputs.length]!;
      const { flowFiles, expired } = connection.poll(max - out.length, now);
      for (const ff of expired) {
        this.polled.set(ff.uuid, { flowFile: ff, connection });
        this.current.set(ff.uuid, ff);
        this.removed.add(ff.uuid);
        this.event('EXPIRE', ff, { details: 'Expiration Threshold exceeded' });
      }
      for (const ff of flowFiles) {
        this.polled.set(ff.uuid, { flowFile: ff, connection });
        this.current.set(ff.uuid, ff);
        out.push(ff);
      }
    }
    this.rr++;
    return out;
  }

  create(parent?: FlowFile): FlowFile {
    const ff = newFlowFile(this.host.allocateId(), this.host.now(), parent && this.latest(parent));
    this.current.set(ff.uuid, ff);
    this.created.add(ff.uuid);
    if (parent) this.event('FORK', parent, { childUuids: [ff.uuid] });
    return ff;
  }

  putAllAttributes(ff: FlowFile, attributes: Record<string, string>): FlowFile {
    const cur = this.latest(ff);
    return this.update({ ...cur, attributes: { ...cur.attributes, ...attributes, uuid: cur.uuid } });
  }

  putAttribute(ff: FlowFile, name: string, value: string): FlowFile {
    return this.putAllAttributes(ff, { [name]: value });
  }

  removeAttributes(ff: FlowFile, names: readonly string[]): FlowFile {
    const cur = this.latest(ff);
    const attributes = { ...cur.attributes };
    for (const n of names) if (n !== 'uuid') delete attributes[n];
    return this.update({ ...cur, attributes });
  }

  async write(ff: FlowFile, data: Buffer): Promise<FlowFile> {
    const claim = await this.host.content.write(data);
    this.pins.push(claim.file);
    this.writtenBytes += data.length;
    return this.update({ ...this.latest(ff), claim, size: data.length });
  }

  async writeStream(ff: FlowFile, source: Readable): Promise<FlowFile> {
    const claim = await this.host.content.writeStream(source);
    this.pins.push(claim.file);
    this.writtenBytes += claim.length;
    return this.update({ ...this.latest(ff), claim, size: claim.length });
  }

  /** Takes the first `size` bytes of a file the caller opened at `path` as the content (ContentStore.importFile). */
  async importFromHandle(handle: FileHandle, ff: FlowFile, path: string, size: number, link = false): Promise<FlowFile> {
    const claim = await this.host.content.importFile(handle, path, size, link);
    this.pins.push(claim.file);
    this.writtenBytes += claim.length;
    return this.update({ ...this.latest(ff), claim, size: claim.length });
  }

  async read(ff: FlowFile): Promise<Buffer> {
    const cur = this.latest(ff);
    const data = await this.host.content.read(cur.claim);
    this.readBytes += data.length;
    return data;
  }

  /** The local file holding exactly this flowfile's content, if there is one (a sink may copy it as a file). */
  async contentFile(ff: FlowFile): Promise<string | undefined> {
    const cur = this.latest(ff);
    const path = await this.host.content.wholeFile(cur.claim);
    if (path) this.readBytes += cur.size;
    return path;
  }

  stream(ff: FlowFile, skip = 0): Readable {
    const cur = this.latest(ff);
    this.readBytes += Math.max(0, cur.size - skip);
    return this.host.content.stream(cur.claim, skip);
  }

  penalize(ff: FlowFile): FlowFile {
    return this.update({ ...this.latest(ff), penaltyExpiration: this.host.now() + this.host.penaltyMillis });
  }

  transfer(ff: FlowFile, relationship: string): void {
    this.latest(ff);
    this.relationship.set(ff.uuid, relationship);
  }

  /** Drops the flowfile (DROP event). */
  remove(ff: FlowFile, details?: string): void {
    const cur = this.latest(ff);
    this.removed.add(ff.uuid);
    this.relationship.delete(ff.uuid);
    if (!this.created.has(ff.uuid)) this.event('DROP', cur, details ? { details } : {});
  }

  /** Provenance: NiFi's ProvenanceReporter methods collapsed into one. */
  event(type: ProvenanceEventType, ff: FlowFile, extra: Partial<NewProvenanceEvent> = {}): void {
    const cur = this.current.get(ff.uuid) ?? ff;
    this.events.push({
      eventType: type,
      eventTime: this.host.now(),
      componentId: this.host.componentId,
      componentType: this.host.componentType,
      flowFileUuid: cur.uuid,
      attributes: cur.attributes, // attribute maps are never changed in place: the event can share it
      size: cur.size,
      lineageStartDate: cur.lineageStartDate,
      ...extra,
    });
  }

  getState(): Record<string, string> | undefined {
    if (this.state !== undefined) return this.state ?? undefined;
    return this.host.currentState();
  }

  /** Replaces the processor's state; durable with this session's commit. */
  setState(state: Record<string, string> | null): void {
    this.state = state;
  }

  /**
   * Sets and removes single state keys, durable with this commit: the journal records only the change, so a
   * big state (ListFile's tracked entities) costs what changed, not its size. getState() shows it after commit.
   */
  patchState(set: Record<string, string>, remove: readonly string[] = []): void {
    this.statePatch ??= { set: {}, remove: [] };
    Object.assign(this.statePatch.set, set);
    this.statePatch.remove.push(...remove);
  }

  /** Runs after the commit is durable (FetchFile deletes/moves its source here). */
  onCommitted(callback: () => Promise<void> | void): void {
    this.callbacks.push(callback);
  }

  async commit(): Promise<void> {
    this.checkOpen();
    const transfers: Array<{ flowFile: FlowFile; relationship: string; input?: FlowFile }> = [];
    for (const [uuid, ff] of this.current) {
      if (this.removed.has(uuid)) continue;
      const relationship = this.relationship.get(uuid);
      if (relationship === undefined) {
        this.rollback();
        throw new FloeError('FLOW', `${this.host.componentId}: flowfile ${uuid} was neither transferred nor removed`);
      }
      transfers.push({ flowFile: ff, relationship, input: this.polled.get(uuid)?.flowFile });
    }
    // Framework-generated CREATE for new flowfiles that have no creation event of their own (NiFi does the same).
    const born = new Set<string>();
    for (const e of this.events) if (CREATION_EVENTS.has(e.eventType)) born.add(e.flowFileUuid);
    for (const uuid of this.created) {
      if (!this.removed.has(uuid) && !born.has(uuid)) this.event('CREATE', this.current.get(uuid)!);
    }
    this.done = true;
    try {
      await this.host.commitSession({
        inputs: [...this.polled.values()],
        transfers,
        events: this.events,
        state: this.state,
        statePatch: this.statePatch,
        created: this.created,
        readBytes: this.readBytes,
        writtenBytes: this.writtenBytes,
        callbacks: this.callbacks,
      });
    } catch (error) {
      this.requeueInputs(false);
      throw error;
    } finally {
      this.unpin();
    }
    this.reset();
  }

  /** After a commit the session can be used again (NiFi: commit, then keep going), e.g. to emit a big listing in parts. */
  private reset(): void {
    this.polled = new Map();
    this.current = new Map();
    this.relationship = new Map();
    this.removed = new Set();
    this.created = new Set();
    this.events = [];
    this.callbacks = [];
    this.state = undefined;
    this.statePatch = undefined;
    this.readBytes = 0;
    this.writtenBytes = 0;
    this.done = false;
  }

  /** Nothing to commit. */
  get isEmpty(): boolean {
    return this.polled.size === 0 && this.current.size === 0 && this.state === undefined && !this.statePatch && this.events.length === 0;
  }

  /** Discards the session's work; polled flowfiles go back to their queues (penalized if asked). */
  rollback(penalize = false): void {
    if (this.done) return;
    this.done = true;
    this.requeueInputs(penalize);
    this.unpin();
  }

  get isOpen(): boolean {
    return !this.done;
  }

  private requeueInputs(penalize: boolean): void {
    const until = this.host.now() + this.host.penaltyMillis;
    for (const { flowFile, connection } of this.polled.values()) {
      connection.requeue([penalize ? { ...flowFile, penaltyExpiration: until } : flowFile]);
    }
    this.polled.clear();
  }

  private unpin(): void {
    for (const f of this.pins.splice(0)) this.host.content.unpin(f);
  }

  private latest(ff: FlowFile): FlowFile {
    this.checkOpen();
    const cur = this.current.get(ff.uuid);
    if (!cur) throw new FloeError('FLOW', `${this.host.componentId}: flowfile ${ff.uuid} does not belong to this session`);
    if (this.removed.has(ff.uuid)) throw new FloeError('FLOW', `${this.host.componentId}: flowfile ${ff.uuid} was removed`);
    return cur;
  }

  private update(ff: FlowFile): FlowFile {
    this.current.set(ff.uuid, ff);
    return ff;
  }

  private checkOpen(): void {
    if (this.done) throw new FloeError('FLOW', `${this.host.componentId}: session already committed or rolled back`);
  }
}
