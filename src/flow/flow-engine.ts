/**
 * The flow engine: one flow's processors and queues in this process, with durable state under
 * `<project>/.floe/flow/<flow>/` (repository = journal + snapshot, content/, provenance/, processors/).
 * One process owns a flow at a time (a lock file with its pid); flow-inspect.ts reads a running flow's state.
 *
 * Scheduling follows NiFi: a processor runs when it is Running and valid, not yielded, its timer/cron is due,
 * it has input (unless it is a source), and none of its outgoing connections is at back pressure.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import { BulletinBoard } from './bulletins.js';
import { Connection } from './connection.js';
import { ContentStore } from './content-store.js';
import type { FlowDefinition } from './flow-definition.js';
import { acquireLock, releaseLock } from './flow-lock.js';
import { validateFlow } from './flow-validate.js';
import type { FlowServices } from './processor-api.js';
import { ProcessorNode } from './processor-node.js';
import { knownProcessorTypes, processorSpec } from './processors/registry.js';
import { ProvenanceStore, type NewProvenanceEvent } from './provenance.js';
import { FlowRepository, type ScheduledState } from './repository.js';
import { flowStatus, type FlowStatus } from './flow-status.js';
import { liveContent, recoverFlow } from './flow-recovery.js';
import { runTask } from './run-task.js';
import { emptyQueue } from './queue-control.js';
import { parseDataSize, parseTimePeriod } from './units.js';

export interface FlowEngineOptions {
  readonly projectDir: string;
  /** Default `<projectDir>/.floe/flow/<flow name>`. */
  readonly stateDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly services?: FlowServices;
  /** Injected clock for tests (epoch ms). */
  readonly now?: () => number;
}

export const flowStateDir = (projectDir: string, flow: string): string => join(projectDir, '.floe', 'flow', flow);

const GC_INTERVAL = 10_000; // content files no flowfile references are deleted this often
const STATUS_INTERVAL = 5_000; // status.json for other processes

export class FlowEngine {
  readonly nodes = new Map<string, ProcessorNode>();
  readonly connections = new Map<string, Connection>();
  readonly bulletins = new BulletinBoard();
  private timer: NodeJS.Timeout | undefined;
  private kicked = false;
  private started = false;
  private readonly active = new Set<Promise<void>>();
  private lastGc = 0;
  private lastStatus = 0;
  readonly now: () => number;

  private constructor(
    readonly def: FlowDefinition,
    readonly stateDir: string,
    readonly repo: FlowRepository,
    readonly provenance: ProvenanceStore,
    readonly content: ContentStore,
    now: () => number,
  ) {
    this.now = now;
  }

  static async open(def: FlowDefinition, options: FlowEngineOptions): Promise<FlowEngine> {
    const validation = validateFlow(def, processorSpec, knownProcessorTypes());
    if (validation.errors.length > 0) {
      const e = validation.errors[0]!;
      throw new FloeError('CONFIG', `flow '${def.name}': ${e.path.join('.')}: ${e.message}`);
    }
    const stateDir = options.stateDir ?? flowStateDir(options.projectDir, def.name);
    await mkdir(stateDir, { recursive: true });
    await acquireLock(stateDir, def.name);
    try {
      const holder: { provenance?: ProvenanceStore } = {};
      const repo = await FlowRepository.open(join(stateDir, 'repository'), (seq, extras) =>
        holder.provenance!.append(seq, (extras as NewProvenanceEvent[][]).flat()),
      );
      const provenance = await ProvenanceStore.open(join(stateDir, 'provenance'), repo.lastCommitSeq);
      holder.provenance = provenance;
      const content = await ContentStore.open(join(stateDir, 'content'));
      const engine = new FlowEngine(def, stateDir, repo, provenance, content, options.now ?? Date.now);
      engine.build(validation.invalid, options);
      await recoverFlow(engine);
      return engine;
    } catch (error) {
      await releaseLock(stateDir);
      throw error;
    }
  }

  private build(invalid: Map<string, Array<{ path: ReadonlyArray<string | number>; message: string }>>, options: FlowEngineOptions): void {
    const envt = {
      flowName: this.def.name,
      projectDir: options.projectDir,
      stateDir: this.stateDir,
      env: options.env ?? process.env,
      services: options.services ?? {},
      bulletins: this.bulletins,
      now: () => this.now(),
    };
    for (const p of this.def.processors) {
      this.nodes.set(p.id, new ProcessorNode(p, processorSpec(p.type)!, invalid.get(p.id) ?? [], envt));
    }
    for (const c of this.def.connections) {
      const connection = new Connection({
        id: c.id,
        source: c.source,
        destination: c.destination,
        relationships: c.relationships,
        backPressureObjectThreshold: c.backPressureObjectThreshold,
        backPressureDataSizeThreshold: parseDataSize(c.backPressureDataSizeThreshold),
        flowFileExpiration: parseTimePeriod(c.flowFileExpiration),
        prioritizers: c.prioritizers,
      });
      this.connections.set(c.id, connection);
      this.nodes.get(c.destination)!.inputs.push(connection);
      const source = this.nodes.get(c.source)!;
      for (const rel of c.relationships) source.outputs.set(rel, [...(source.outputs.get(rel) ?? []), connection]);
    }
  }

  /** Starts scheduling every Running processor. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const node of this.nodes.values()) node.resetSchedule(now);
    this.kick();
  }

  /** Stops scheduling and waits for running tasks. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
    for (const node of this.nodes.values()) {
      if (node.scheduled) await node.processor.onStopped?.(node.context);
      node.scheduled = false;
    }
  }

  async close(): Promise<void> {
    await this.stop();
    await this.repo.close();
    await this.provenance.close();
    await this.content.close();
    await rm(join(this.stateDir, 'status.json'), { force: true });
    await releaseLock(this.stateDir);
  }

  /** Runs one trigger of `id` now, regardless of its schedule (NiFi's RUN_ONCE; tests drive flows with it). */
  async runOnce(id: string): Promise<void> {
    const node = this.node(id);
    if (node.invalid.length > 0) throw new FloeError('CONFLICT', `processor '${id}' is invalid: ${node.invalid.map((i) => i.message).join('; ')}`);
    await this.runTask(node);
  }

  /**
   * Triggers every Running processor that has work until none has. Sources are not triggered, except to
   * continue a listing that back pressure cut short (so one listing pass is whole). Returns the number of
   * triggers. For tests and `floe flow run --once`.
   */
  async drain(maxTriggers = 100_000): Promise<number> {
    let n = 0;
    while (n < maxTriggers) {
      const now = this.now();
      const ready = [...this.nodes.values()].filter(
        (node) =>
          node.runStatus === 'Running' &&
          (node.inputs.some((c) => c.hasReady(now)) || (node.moreWork && ![...node.outputs.values()].some((l) => l.some((c) => c.isFull())))),
      );
      if (ready.length === 0) return n;
      for (const node of ready) {
        await this.runTask(node);
        n++;
      }
    }
    return n;
  }

  /** NiFi's run-status change; a stale `revision` is rejected like NiFi's 409 Conflict. */
  async setRunStatus(id: string, state: ScheduledState | 'RUN_ONCE', revision?: number): Promise<number> {
    const node = this.node(id);
    if (revision !== undefined && revision !== node.revision) {
      throw new FloeError('CONFLICT', `processor '${id}': revision ${revision} is stale (current revision is ${node.revision})`);
    }
    if (state === 'RUN_ONCE') {
      // As in NiFi: run-once would leave a disabled processor STOPPED, i.e. quietly enable it.
      if (node.scheduledState === 'DISABLED') throw new FloeError('CONFLICT', `processor '${id}' is disabled; enable it (set it to STOPPED) before running it once`);
      await this.runOnce(id);
      state = 'STOPPED';
    }
    if (state === 'RUNNING' && node.scheduledState === 'DISABLED') {
      throw new FloeError('CONFLICT', `processor '${id}' is disabled; enable it (set it to STOPPED) before starting it`);
    }
    // NiFi refuses to start an invalid processor (409). Accepting it would save RUNNING, so the processor would
    // start by itself on the first restart after its configuration is fixed.
    if (state === 'RUNNING' && node.invalid.length > 0) {
      throw new FloeError('CONFLICT', `processor '${id}' is invalid and cannot be started: ${node.invalid.map((i) => i.message).join('; ')}`);
    }
    await this.repo.commit({ run: { [id]: state } });
    node.scheduledState = state; // first, so the scheduler launches no new task while running ones finish
    if (state !== 'RUNNING' && node.scheduled) {
      while (node.activeTasks > 0) await Promise.allSettled([...this.active]);
      await node.processor.onStopped?.(node.context);
      node.scheduled = false;
    }
    node.resetSchedule(this.now());
    node.revision++;
    this.kick();
    return node.revision;
  }

  /** Clears a processor's state (ListFile's listing state); only while it is not running, as in NiFi. */
  async clearState(id: string): Promise<void> {
    const node = this.node(id);
    if (node.scheduledState === 'RUNNING' && node.invalid.length === 0) {
      throw new FloeError('CONFLICT', `processor '${id}' is running; stop it before clearing its state`);
    }
    await this.repo.commit({ state: { [id]: null } });
  }

  /** NiFi's "Empty queue": drops every queued (not in-flight) flowfile of a connection, with DROP events. */
  emptyQueue(connectionId: string): Promise<number> {
    const connection = this.connections.get(connectionId);
    if (!connection) throw new FloeError('FLOW', `flow '${this.def.name}' has no connection '${connectionId}' (it has: ${[...this.connections.keys()].join(', ')})`);
    return emptyQueue(connection, this.repo, this.now());
  }

  getState(id: string): Record<string, string> {
    this.node(id);
    return { ...(this.repo.state.get(id) ?? {}) };
  }

  status(): FlowStatus {
    return flowStatus(this);
  }

  /** Writes status.json for `floe flow status` in other processes (atomic rename). */
  private async publishStatus(): Promise<void> {
    const path = join(this.stateDir, 'status.json');
    await writeFile(`${path}.tmp`, JSON.stringify(this.status()));
    await rename(`${path}.tmp`, path);
  }

  private node(id: string): ProcessorNode {
    const node = this.nodes.get(id);
    if (!node) throw new FloeError('FLOW', `flow '${this.def.name}' has no processor '${id}' (it has: ${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  private kick(): void {
    if (!this.started || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.tick();
    });
  }

  private tick(): void {
    if (!this.started) return;
    const now = this.now();
    let wake = now + 1000;
    for (const node of this.nodes.values()) {
      if (node.runStatus !== 'Running') continue;
      while (node.activeTasks < node.maxTasks && this.eligible(node, now)) {
        // Processors fed by queues with a 0 sec timer run whenever there is work; every other schedule advances.
        if (node.inputs.length === 0 || node.periodMillis > 0 || node.def.schedulingStrategy === 'CRON_DRIVEN') node.advanceSchedule(now);
        this.launch(node);
      }
      wake = Math.min(wake, node.nextWake(now));
    }
    if (now - this.lastStatus > STATUS_INTERVAL) {
      this.lastStatus = now;
      this.track(this.publishStatus().catch(() => undefined)); // best effort: status readers fall back to the journal
    }
    if (now - this.lastGc > GC_INTERVAL) {
      this.lastGc = now;
      const gc = this.content.gc(liveContent(this.repo));
      this.track(gc.then(() => undefined, (e: Error) => this.bulletins.add(now, 'WARN', 'content', `content cleanup failed: ${e.message}`)));
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(5, Math.min(wake - now, 1000)));
  }

  private eligible(node: ProcessorNode, now: number): boolean {
    if (now < node.yieldUntil || now < node.nextRunAt) return false;
    for (const list of node.outputs.values()) if (list.some((c) => c.isFull())) return false;
    if (node.spec.input === 'forbidden' || node.inputs.length === 0) return true;
    return node.inputs.some((c) => c.hasReady(now));
  }

  private launch(node: ProcessorNode): void {
    this.track(this.runTask(node).finally(() => this.kick()));
  }

  private track(p: Promise<void>): void {
    this.active.add(p);
    void p.finally(() => this.active.delete(p));
  }

  private runTask(node: ProcessorNode): Promise<void> {
    return runTask(node, { repo: this.repo, content: this.content, now: () => this.now() });
  }
}
