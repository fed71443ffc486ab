/**
 * The customer project (`floe init`) running in-process with `runProject` (what `floe run` does), plus a side
 * channel that says when each file reached each hop:
 * - bucket: the object appeared in `data/bucket/floe-demo/stream/` (fs.watch; the put renames it into place);
 * - loaded: the pipe's load committed: the CUSTOMER_RAW commit event (time and change version) that precedes the
 *   pipe's `onLoad` report of the batch (the pipe loads one batch at a time and is the table's only writer);
 * - applied: the COMMIT of the task transaction that moved the stream's offset (to its read point) to that
 *   version or beyond returned — the transaction that wrote CUSTOMER and CUSTOMER_HISTORY together. Seen on the
 *   DuckDB client (sql-trace.ts), so nothing polls the warehouse; a slow poll of the offset (`pollMs`, default
 *   250) is the fallback and counts what it catches (`appliedByPoll`).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { initProject } from '../../src/project/init-project.js';
import { runProject, type RunningProject } from '../../src/runtime/run-project.js';
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';
import { changeTables } from '../../src/engine/changes/change-store.js';
import { fingerprintSql, toFingerprint, type Fingerprint } from './duck-scd-baseline.js';
import { onBackendStatement } from './sql-trace.js';
import { benchMemoryLimit, limitProjectMemory } from './bench-util.js';

const OFFSET_UPDATE = /^\s*UPDATE\s+\S*stream_offsets\S*\s+SET\s+offset_version\s*=/i;

export interface FileTimes {
  bucket?: number;
  loaded?: number;
  version?: number;
  rows?: number;
  applied?: number;
}

export class FloePipeline {
  /** Per file name; times are `performance.now()` of this process. */
  readonly files = new Map<string, FileTimes>();
  loads = 0;
  failedFiles: string[] = [];
  private lastRawVersion: number | undefined;
  private lastRawAt: number | undefined;
  /** Each move of the stream offset (the task's read point) and when its transaction committed. */
  private readonly moves: { version: number; at: number }[] = [];
  /** Loaded, not yet applied. */
  private readonly pending = new Set<string>();
  /** Files seen applied by the fallback poll rather than at the task's COMMIT (should stay 0). */
  appliedByPoll = 0;
  private offset = -1;
  private polling = true;
  private poller: Promise<void> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private watcher: FSWatcher | undefined;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly dir: string,
    readonly running: RunningProject,
    private readonly conn: WarehouseConnection,
  ) {}

  get engine(): EngineImpl {
    return this.running.engine as EngineImpl;
  }

  get landing(): string {
    return join(this.dir, 'data', 'landing');
  }

  get bucket(): string {
    return join(this.dir, 'data', 'bucket', 'floe-demo', 'stream');
  }

  /** `floe init` into `dir`, then start it like `floe run`; `flows: false` leaves the landing folder unwatched. */
  static async start(dir: string, options: { flows?: boolean; pollMs?: number } = {}): Promise<FloePipeline> {
    initProject(dir);
    limitProjectMemory(dir, benchMemoryLimit());
    const running = await runProject({ projectDir: dir, openEngine, flows: options.flows ?? true });
    const failed = running.steps.find((s) => s.action === 'failed');
    if (failed) throw new Error(`project SQL failed at ${failed.file}:${failed.line}: ${failed.error ?? ''}`);
    const engine = running.engine as EngineImpl;
    const p = new FloePipeline(dir, running, await engine.core.driver.connect());
    p.track(options.pollMs ?? 250);
    return p;
  }

  private entry(name: string): FileTimes {
    let e = this.files.get(name);
    if (!e) this.files.set(name, (e = {}));
    return e;
  }

  private track(pollMs: number): void {
    this.watcher = watch(this.bucket, (_event, name) => {
      if (!name || name.startsWith('.')) return;
      const e = this.entry(String(name));
      e.bucket ??= performance.now();
    });
    this.unsubscribe.push(
      this.engine.onCommit((c) => {
        if (c.tables.some((t) => t.name === 'CUSTOMER_RAW')) {
          this.lastRawVersion = c.version;
          this.lastRawAt = performance.now();
        }
      }),
      this.engine.pipes.onLoad((load) => {
        const at = performance.now();
        this.loads++;
        for (const f of load.files) {
          const e = this.entry(basename(f.path));
          if (f.status !== 'LOADED' || f.rowsLoaded === 0) {
            this.failedFiles.push(`${f.path}: ${f.status}`);
            continue;
          }
          // The load's commit, not this event: the pipe reports after post-commit work, and a task run may
          // even have applied the rows by then.
          e.loaded = this.lastRawAt ?? at;
          e.rows = f.rowsLoaded;
          e.version = this.lastRawVersion;
          const move = this.moves.find((m) => m.version >= e.version!);
          if (move) e.applied = move.at;
          else this.pending.add(basename(f.path));
        }
        this.check();
      }),
    );
    // The task's transaction moves the stream offset to its read point (an UPDATE with the version as the first
    // parameter) and its COMMIT makes CUSTOMER, CUSTOMER_HISTORY and the offset visible at once.
    const moved = new WeakMap<object, number>();
    this.unsubscribe.push(
      onBackendStatement((conn, sql, params, _ms, ok) => {
        if (!ok) return;
        if (OFFSET_UPDATE.test(sql)) {
          const v = Array.isArray(params) ? Number(params[0]) : Number(/offset_version = (\d+)/.exec(sql)?.[1]);
          moved.set(conn, v);
        } else if (/^\s*(COMMIT|ROLLBACK)\b/i.test(sql)) {
          const v = moved.get(conn);
          moved.delete(conn);
          if (v !== undefined && /^\s*COMMIT/i.test(sql)) this.offsetMoved(v, 'commit');
        }
      }),
    );
    // Fallback, slow on purpose (it competes for the CPU): a poll of the committed offset. Files it marks
    // applied are counted, so a report can tell when the side channel above missed a commit.
    const offsets = changeTables(this.engine.core.driver.dialect).offsets;
    this.poller = (async () => {
      while (this.polling) {
        await new Promise((r) => setTimeout(r, pollMs));
        if (this.pending.size === 0 || !this.polling) continue;
        const r = await this.conn.query(`SELECT max(offset_version) FROM ${offsets}`);
        this.offsetMoved(Number(r.rows[0]?.[0] ?? -1), 'poll');
      }
    })();
  }

  private offsetMoved(v: number, by: 'commit' | 'poll'): void {
    if (v <= this.offset) return;
    this.offset = v;
    const at = performance.now();
    this.moves.push({ version: v, at });
    for (const name of this.pending) {
      const e = this.files.get(name)!;
      if (e.version! <= v) {
        e.applied = at;
        this.pending.delete(name);
        if (by === 'poll') this.appliedByPoll++;
      }
    }
    this.check();
  }

  private check(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once every named file is applied (or failed to load); rejects after `timeoutMs`. */
  async waitApplied(names: readonly string[], timeoutMs: number): Promise<void> {
    await this.waitFiles(names, 'applied', timeoutMs);
  }

  /** Resolves once every named file has reached `stage` (or failed to load); rejects after `timeoutMs`. */
  async waitFiles(names: readonly string[], stage: 'loaded' | 'applied', timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const failed = (n: string): boolean => this.failedFiles.some((f) => f.startsWith(`${n}:`) || f.includes(`/${n}:`));
    while (!names.every((n) => this.files.get(n)?.[stage] !== undefined || failed(n))) {
      if (performance.now() > deadline) {
        const missing = names.filter((n) => this.files.get(n)?.[stage] === undefined);
        throw new Error(`floe: ${missing.length} file(s) not ${stage} after ${timeoutMs} ms (first: ${missing[0]} ${JSON.stringify(this.files.get(missing[0]!) ?? {})})`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async fingerprint(): Promise<Fingerprint> {
    const d = this.engine.core.driver.dialect;
    const t = (n: string): string => d.physicalTable('SCD_DEMO', 'SCD2', n);
    const r = await this.conn.query(fingerprintSql(t('CUSTOMER'), t('CUSTOMER_HISTORY'), t('CUSTOMER_RAW')));
    return toFingerprint(r.rows[0] as unknown[]);
  }

  /** Where the process's memory is: V8 heap, DuckDB's buffer manager (duckdb_memory()), RSS — in MB. */
  async memory(): Promise<{ heapMb: number; duckdbMb: number; rssMb: number }> {
    const r = await this.conn.query('SELECT sum(memory_usage_bytes) FROM duckdb_memory()');
    const m = process.memoryUsage();
    return { heapMb: m.heapUsed / 2 ** 20, duckdbMb: Number(r.rows[0]?.[0] ?? 0) / 2 ** 20, rssMb: m.rss / 2 ** 20 };
  }

  /** Task runs of the apply task: count and total/longest duration in ms (TASK_HISTORY). */
  async taskRuns(): Promise<{ runs: number; failed: number; totalMs: number; maxMs: number }> {
    const s = await this.engine.session();
    try {
      // TASK_HISTORY reads the session's database (docs/status.md), so use the project's first.
      await s.query('USE SCHEMA SCD_DEMO.SCD2');
      const [r] = await s.query(`SELECT COUNT(*), COUNT_IF(STATE = 'FAILED'),
          COALESCE(SUM(DATEDIFF('millisecond', QUERY_START_TIME, COMPLETED_TIME)), 0), COALESCE(MAX(DATEDIFF('millisecond', QUERY_START_TIME, COMPLETED_TIME)), 0)
        FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 10000)) WHERE NAME = 'APPLY_CUSTOMER_CHANGES' AND COMPLETED_TIME IS NOT NULL`);
      const row = r!.rows[0]!;
      return { runs: Number(row[0]), failed: Number(row[1]), totalMs: Number(row[2]), maxMs: Number(row[3]) };
    } finally {
      await s.close();
    }
  }

  async stop(): Promise<void> {
    this.polling = false;
    await this.poller;
    this.watcher?.close();
    for (const u of this.unsubscribe) u();
    await this.conn.close();
    await this.running.stop();
  }
}
