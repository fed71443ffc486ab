/**
 * Watches the running customer pipeline cheaply, for the live view: engine events (staging-table commits,
 * pipe loads, task runs) drive the file counters and the latency tracker; the flows' in-memory status gives
 * queue sizes and bulletins; row counts and the pipe queue come from one small query, run only after something
 * committed (at most twice a second, and at most 5 % of the time as the tables grow: query-budget.ts), never a scan
 * per refresh. The stream's backlog is what was loaded but not yet applied (from the tracker): the stream is read
 * once at start only, as reading it takes the change lock.
 * Start the monitor before the pipes, so it sees every load.
 */
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Engine, PipeLoad, Session, TaskRunEvent } from '../engine/engine-api.js';
import type { FlowEngine } from '../flow/flow-engine.js';
import { DEMO_OBJECTS, DEMO_SCHEMA, qualified } from './demo-objects.js';
import type { DemoError, DemoSnapshot } from './demo-snapshot.js';
import { LatencyTracker } from './latency-tracker.js';
import { QueryBudget } from './query-budget.js';
import { readProcessMemory, type ProcessMemory } from '../runtime/process-memory.js';

const SAMPLE_MS = 500;
const IDLE_SAMPLE_MS = 5_000;
const HINT_SAMPLE_MS = 15_000;
/** Shares of the time the counts and the hint (a scan of the history) may take. */
const COUNT_SHARE = 0.05;
const HINT_SHARE = 0.01;
const MAX_ERRORS = 4;

export interface MonitorCounts {
  raw?: number;
  scd1?: number;
  scd2?: number;
  pipePending?: number;
}

export class PipelineMonitor {
  readonly tracker = new LatencyTracker();
  private readonly unsubscribe: Array<() => void> = [];
  private session: Session | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private dirty = true;
  private lastSample = 0;
  private readonly counting = new QueryBudget(SAMPLE_MS, COUNT_SHARE);
  private readonly hinting = new QueryBudget(HINT_SAMPLE_MS, HINT_SHARE);
  private lastRawCommitMs: number | undefined;
  private counts: MonitorCounts = {};
  private landing = 0;
  private loaded = 0;
  private failedLoads = 0;
  private tasks = { succeeded: 0, failed: 0 };
  private errors: DemoError[] = [];
  private seenBulletins = new Set<string>();
  private sampleCustomerId: number | undefined;
  private memory: ProcessMemory | undefined;
  /** Rows the stream held when the demo started, until a run that started after they were counted applies them. */
  private initialStreamRows = 0;
  private countedMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly engine: Engine,
    private readonly flows: readonly FlowEngine[],
    private readonly landingDir: string,
  ) {}

  async start(): Promise<void> {
    const rawKey = qualified(DEMO_OBJECTS.raw);
    this.unsubscribe.push(
      this.engine.onCommit((c) => {
        if (c.tables.some((t) => `${t.database}.${t.schema}.${t.name}` === rawKey)) this.lastRawCommitMs = Date.now();
        this.dirty = true;
      }),
      this.engine.pipes.onLoad((l) => this.onLoad(l)),
      this.engine.onTaskRun((r) => this.onTaskRun(r)),
    );
    this.session = await this.engine.session();
    this.countedMs = Date.now();
    this.initialStreamRows = (await this.scalar(`SELECT COUNT(*) FROM ${qualified(DEMO_OBJECTS.stream)}`)) ?? 0;
    await this.sample();
    this.timer = setInterval(() => void this.tick(), SAMPLE_MS);
  }

  /** Stop sampling (the engine keeps running); a final `sample()` may follow. */
  async pause(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  async close(): Promise<void> {
    await this.pause();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.session?.close().catch(() => undefined);
    this.session = undefined;
  }

  error(source: DemoError['source'], message: string): void {
    this.errors = [{ at: Date.now(), source, message }, ...this.errors.filter((e) => e.message !== message)].slice(0, MAX_ERRORS);
  }

  private onLoad(load: PipeLoad): void {
    if (load.table !== qualified(DEMO_OBJECTS.raw)) return;
    const files = load.files.map((f) => ({ name: basename(f.path), ok: f.status !== 'LOAD_FAILED', rows: f.rowsLoaded }));
    this.tracker.loaded(files, this.lastRawCommitMs ?? Date.now());
    for (const f of load.files) {
      if (f.status === 'LOAD_FAILED') {
        this.failedLoads++;
        this.error('pipe', `${basename(f.path)} could not be loaded (see COPY_HISTORY)`);
      } else this.loaded++;
    }
    this.dirty = true;
  }

  private onTaskRun(run: TaskRunEvent): void {
    if (run.task !== qualified(DEMO_OBJECTS.task)) return;
    this.tracker.taskRun(run);
    if ((run.state === 'SUCCEEDED' || run.state === 'SKIPPED') && run.startedMs >= this.countedMs) this.initialStreamRows = 0;
    if (run.state === 'SUCCEEDED') this.tasks.succeeded++;
    if (run.state === 'FAILED' || run.state === 'FAILED_AND_AUTO_SUSPENDED' || run.state === 'CANCELLED') {
      this.tasks.failed++;
      this.error('task', `${DEMO_OBJECTS.task} ${run.state}: ${run.errorMessage ?? 'no message'}`);
    }
    this.dirty = true;
  }

  private async tick(): Promise<void> {
    if (this.sampling) return;
    const now = Date.now();
    if (!this.dirty && now - this.lastSample < IDLE_SAMPLE_MS) return;
    if (!this.counting.due(now)) return;
    await this.sample();
  }

  /** Count rows, the pipe queue and the landing folder (one query); safe to call while the pipeline runs. */
  async sample(): Promise<void> {
    if (this.sampling) return this.sampling;
    this.sampling = this.doSample().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async doSample(): Promise<void> {
    this.dirty = false;
    this.lastSample = Date.now();
    try {
      this.landing = (await readdir(this.landingDir)).filter((n) => !n.startsWith('.') && n.endsWith('.csv')).length;
    } catch {
      this.landing = 0;
    }
    const q = (name: string): string => qualified(name);
    const started = Date.now();
    const r = await this.row(
      `SELECT (SELECT COUNT(*) FROM ${q(DEMO_OBJECTS.raw)}), (SELECT COUNT(*) FROM ${q(DEMO_OBJECTS.scd1)}), ` +
        `(SELECT COUNT(*) FROM ${q(DEMO_OBJECTS.scd2)}), SYSTEM$PIPE_STATUS('${q(DEMO_OBJECTS.pipe)}')`,
    );
    this.memory = await readProcessMemory(this.engine);
    this.counting.spent(started, Date.now() - started);
    if (r) {
      const status = parsePipeStatus(r[3]);
      this.counts = { raw: num(r[0]), scd1: num(r[1]), scd2: num(r[2]), ...(status.pending !== undefined ? { pipePending: status.pending } : {}) };
      if (status.error) this.error('pipe', `${DEMO_OBJECTS.pipe}: ${status.error}`);
    }
    if (this.sampleCustomerId === undefined || this.hinting.due(Date.now())) {
      const at = Date.now();
      const id = await this.sampleCustomer();
      this.hinting.spent(at, Date.now() - at);
      if (id !== undefined) this.sampleCustomerId = id;
    }
  }

  /** A customer with the most versions (ties: the smallest id), for the query hint. */
  async sampleCustomer(): Promise<number | undefined> {
    return this.scalar(
      `SELECT CUSTOMER_ID FROM ${qualified(DEMO_OBJECTS.scd2)} GROUP BY CUSTOMER_ID HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, CUSTOMER_ID LIMIT 1`,
    );
  }

  snapshot(): Omit<DemoSnapshot, 'project' | 'phase' | 'elapsedMs' | 'generator'> {
    const now = Date.now();
    // Bulletins live five minutes on the board; remembering only the listed ones keeps this set bounded.
    const listed = new Set<string>();
    for (const f of this.flows) {
      for (const b of f.bulletins.list(now)) {
        const key = `${f.def.name}:${b.id}`;
        listed.add(key);
        if (this.seenBulletins.has(key) || (b.level !== 'WARN' && b.level !== 'ERROR')) continue;
        this.error('flow', `${f.def.name}/${b.componentId}: ${b.message}`);
      }
    }
    this.seenBulletins = listed;
    const inFlow = this.flows.reduce((s, f) => s + [...f.connections.values()].reduce((n, c) => n + c.count, 0), 0);
    return {
      files: { landing: this.landing, inFlow, ...(this.counts.pipePending !== undefined ? { pipePending: this.counts.pipePending } : {}), loaded: this.loaded, failed: this.failedLoads },
      rows: {
        ...(this.counts.raw !== undefined ? { raw: this.counts.raw } : {}),
        stream: this.initialStreamRows + this.tracker.pendingRows(),
        ...(this.counts.scd1 !== undefined ? { scd1: this.counts.scd1 } : {}),
        ...(this.counts.scd2 !== undefined ? { scd2: this.counts.scd2 } : {}),
      },
      tasks: { ...this.tasks },
      latency: this.tracker.latency(),
      loadLatency: this.tracker.loadLatency(),
      errors: [...this.errors],
      ...(this.memory ? { memory: this.memory } : {}),
      ...(this.sampleCustomerId !== undefined ? { sampleCustomerId: this.sampleCustomerId } : {}),
    };
  }

  private async row(sql: string): Promise<unknown[] | undefined> {
    if (!this.session) return undefined;
    try {
      const results = await this.session.query(sql);
      return results[results.length - 1]?.rows[0];
    } catch (e) {
      this.error('view', `cannot read the ${DEMO_SCHEMA.database} tables: ${(e as Error).message.split('\n').join(' ')}`);
      return undefined;
    }
  }

  private async scalar(sql: string): Promise<number | undefined> {
    const r = await this.row(sql);
    return r ? num(r[0]) : undefined;
  }
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function parsePipeStatus(v: unknown): { pending?: number; error?: string } {
  if (typeof v !== 'string') return {};
  try {
    const o = JSON.parse(v) as { pendingFileCount?: unknown; error?: unknown };
    return {
      ...(typeof o.pendingFileCount === 'number' ? { pending: o.pendingFileCount } : {}),
      ...(typeof o.error === 'string' ? { error: o.error } : {}),
    };
  } catch {
    return {};
  }
}
