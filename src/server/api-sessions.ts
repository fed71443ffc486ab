/**
 * SQL sessions that outlive one request (`POST /v1/sessions`), so a remote `floe sql` keeps `USE …`, session
 * parameters and open transactions across its inputs and shell lines, as a local one does. A session runs one
 * request at a time (a second one gets 409) and is closed after `idleMs` without use (Snowflake's default
 * session idle timeout is 4 hours) or when the server stops.
 */
import { randomUUID } from 'node:crypto';
import { FloeError } from '../core/errors.js';
import type { Engine, Session } from '../engine/engine-api.js';

export interface SessionLease {
  readonly session: Session;
  release(): Promise<void>;
}

interface Entry {
  session: Session;
  busy: boolean;
  lastUsed: number;
  /** DELETE arrived while a request ran (a client that stopped reading early): close once it ends. */
  closeRequested?: boolean;
}

export const SESSION_IDLE_MS = 4 * 3600_000;

export class ApiSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly leases = new Set<Promise<void>>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly idleMs = SESSION_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, idleMs));
    this.sweeper.unref();
  }

  async open(): Promise<string> {
    if (this.closed) throw new FloeError('CONFLICT', 'the server is stopping');
    const id = randomUUID();
    const session = await this.fresh();
    this.entries.set(id, { session, busy: false, lastUsed: this.now() });
    return id;
  }

  /**
   * The session `id` (marked busy until the lease is released), or a fresh session closed on release when `id`
   * is undefined. Release is idempotent; the server's stop waits for every lease.
   */
  async acquire(id: string | undefined): Promise<SessionLease> {
    if (this.closed) throw new FloeError('CONFLICT', 'the server is stopping');
    let session: Session;
    let done: () => Promise<void>;
    if (id === undefined) {
      session = await this.fresh();
      done = () => session.close().catch(() => undefined);
    } else {
      const entry = this.entries.get(id);
      if (!entry) throw new FloeError('OBJECT_NOT_FOUND', `session '${id}' does not exist (it was closed, expired after being idle, or the server restarted)`);
      if (entry.busy) throw new FloeError('CONFLICT', `session '${id}' is running another request`);
      entry.busy = true;
      session = entry.session;
      done = async () => {
        entry.busy = false;
        entry.lastUsed = this.now();
        if (entry.closeRequested && this.entries.get(id) === entry) {
          this.entries.delete(id);
          await entry.session.close().catch(() => undefined);
        }
      };
    }
    let settle!: () => void;
    const finished = new Promise<void>((r) => (settle = r));
    this.leases.add(finished);
    let released = false;
    return {
      session,
      release: async () => {
        if (released) return finished;
        released = true;
        try {
          await done();
        } finally {
          this.leases.delete(finished);
          settle();
        }
      },
    };
  }

  /** Closes the session now, or when its running request ends. */
  async close(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) throw new FloeError('OBJECT_NOT_FOUND', `session '${id}' does not exist`);
    if (entry.busy) {
      entry.closeRequested = true;
      return;
    }
    this.entries.delete(id);
    await entry.session.close();
  }

  /** A new engine session, unless the server began stopping while it was being opened. */
  private async fresh(): Promise<Session> {
    const session = await this.engine.session();
    if (this.closed) {
      await session.close().catch(() => undefined);
      throw new FloeError('CONFLICT', 'the server is stopping');
    }
    return session;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Closes idle sessions past their timeout. */
  async sweep(): Promise<void> {
    const limit = this.now() - this.idleMs;
    for (const [id, entry] of this.entries) {
      if (entry.busy || entry.lastUsed > limit) continue;
      this.entries.delete(id);
      await entry.session.close().catch(() => undefined);
    }
  }

  /** Server stop: no new work; waits for running requests (the caller stops them), then closes every session. */
  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    while (this.leases.size > 0) await Promise.all([...this.leases]);
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((e) => e.session.close().catch(() => undefined)));
  }
}
