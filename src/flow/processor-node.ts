/**
 * A processor placed in a flow: its definition, spec, the running Processor instance, its connections,
 * scheduling bookkeeping (yield, next run, active tasks), run state with a revision (stale revisions are
 * rejected, as NiFi's 409), statistics and its ProcessContext.
 */
import type { Cron } from 'croner';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { BulletinBoard } from './bulletins.js';
import { levelRank } from './bulletins.js';
import type { Connection } from './connection.js';
import { nifiCron } from './cron-schedule.js';
import { compileEl } from './el/expression.js';
import type { FlowFile } from './flowfile.js';
import type { ProcessorDefinition } from './flow-definition.js';
import { resolveProperties, type FlowIssue } from './flow-validate.js';
import type { ComponentLog, FlowServices, LogLevel, ProcessContext, Processor, ProcessorSpec, PropertyValue } from './processor-api.js';
import type { ScheduledState } from './repository.js';
import { RollingStats } from './statistics.js';
import { parseDataSize, parseTimePeriod } from './units.js';

export interface NodeEnvironment {
  readonly flowName: string;
  readonly projectDir: string;
  readonly stateDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly services: FlowServices;
  readonly bulletins: BulletinBoard;
  now(): number;
}

export class ProcessorNode {
  readonly inputs: Connection[] = [];
  readonly outputs = new Map<string, Connection[]>();
  readonly stats = new RollingStats();
  readonly processor: Processor;
  readonly context: ProcessContext;
  readonly penaltyMillis: number;
  readonly yieldMillis: number;
  readonly maxBackoffMillis: number;
  readonly periodMillis: number;
  private readonly cron: Cron | undefined;
  /** PropertyValue objects are built once per property: processors ask for them per flowfile. */
  private readonly values = new Map<string, PropertyValue>();
  scheduledState: ScheduledState;
  revision = 0;
  activeTasks = 0;
  yieldUntil = 0;
  nextRunAt = 0;
  /** The last trigger asked to run again as soon as back pressure allows (a listing cut short). */
  moreWork = false;
  /** onScheduled ran successfully since the last start. */
  scheduled = false;
  /** Why the processor cannot run (validation), empty when valid. */
  invalid: FlowIssue[];

  constructor(
    readonly def: ProcessorDefinition,
    readonly spec: ProcessorSpec,
    invalid: FlowIssue[],
    private readonly envt: NodeEnvironment,
  ) {
    this.invalid = invalid;
    this.scheduledState = def.scheduledState;
    this.penaltyMillis = parseTimePeriod(def.penaltyDuration);
    this.yieldMillis = parseTimePeriod(def.yieldDuration);
    this.maxBackoffMillis = parseTimePeriod(def.maxBackoffPeriod);
    this.cron = def.schedulingStrategy === 'CRON_DRIVEN' ? nifiCron(def.schedulingPeriod) : undefined;
    this.periodMillis = this.cron ? 0 : parseTimePeriod(def.schedulingPeriod);
    const properties = resolveProperties(def, spec);
    const init = {
      id: def.id,
      flowName: envt.flowName,
      properties,
      stateDir: join(envt.stateDir, 'processors', def.id),
      projectDir: envt.projectDir,
      env: envt.env,
      services: envt.services,
    };
    this.context = {
      ...init,
      dynamicPropertyNames: Object.keys(def.properties).filter((k) => !spec.properties.some((p) => p.name === k)),
      log: this.makeLog(),
      property: (name) => {
        let value = this.values.get(name);
        if (!value) this.values.set(name, (value = this.propertyValue(name, properties[name])));
        return value;
      },
      yield: () => {
        this.yieldUntil = envt.now() + this.yieldMillis;
      },
      room: (relationship) => {
        let room = Infinity;
        for (const c of this.outputs.get(relationship) ?? []) {
          const n = c.config.backPressureObjectThreshold;
          if (n > 0) room = Math.min(room, Math.max(0, n - c.count));
        }
        return room;
      },
      triggerAgain: () => {
        this.nextRunAt = 0;
        this.moreWork = true;
      },
      now: () => envt.now(),
      penaltyMillis: this.penaltyMillis,
      batchSize: Math.max(1, def.batchSize),
    };
    this.processor = spec.create(init);
  }

  get id(): string {
    return this.def.id;
  }

  get maxTasks(): number {
    return this.spec.triggerSerially ? 1 : Math.max(1, this.def.concurrentTasks);
  }

  /** Runtime status as NiFi shows it. */
  get runStatus(): 'Running' | 'Stopped' | 'Disabled' | 'Invalid' {
    if (this.scheduledState === 'DISABLED') return 'Disabled';
    if (this.invalid.length > 0) return 'Invalid';
    return this.scheduledState === 'RUNNING' ? 'Running' : 'Stopped';
  }

  /** Sets the next timer/cron run after a trigger started at `now`. */
  advanceSchedule(now: number): void {
    if (this.cron) this.nextRunAt = this.cron.nextRun(new Date(now))?.getTime() ?? Infinity;
    else this.nextRunAt = now + this.periodMillis;
  }

  /** First run after start: timer-driven runs at once, cron waits for its next fire time. */
  resetSchedule(now: number): void {
    this.nextRunAt = this.cron ? (this.cron.nextRun(new Date(now))?.getTime() ?? Infinity) : now;
    this.yieldUntil = 0;
  }

  /**
   * When the scheduler should look at this processor again by itself: its timer/cron, the end of a yield, a
   * penalty expiring. New input, freed back pressure and finished tasks wake the scheduler anyway.
   */
  nextWake(now: number): number {
    let wake = Infinity;
    const backPressured = [...this.outputs.values()].some((list) => list.some((c) => c.isFull()));
    if (!backPressured) {
      if (this.inputs.length === 0 || this.periodMillis > 0 || this.cron) wake = Math.max(this.yieldUntil, this.nextRunAt);
      else if (this.yieldUntil > now) wake = this.yieldUntil;
    }
    for (const c of this.inputs) wake = Math.min(wake, c.nextPenaltyExpiry());
    return wake;
  }

  log(level: LogLevel, message: string): void {
    if (levelRank(level) >= levelRank(this.def.bulletinLevel) && level !== 'NONE') {
      this.envt.bulletins.add(this.envt.now(), level, this.id, message);
    }
    if (process.env['FLOE_FLOW_DEBUG']) process.stderr.write(`[${level}] ${this.id}: ${message}\n`);
  }

  private makeLog(): ComponentLog {
    return {
      log: (level, m) => this.log(level, m),
      debug: (m) => this.log('DEBUG', m),
      info: (m) => this.log('INFO', m),
      warn: (m) => this.log('WARN', m),
      error: (m) => this.log('ERROR', m),
    };
  }

  private propertyValue(name: string, raw: string | undefined): PropertyValue {
    const spec = this.spec.properties.find((p) => p.name === name);
    const scope = spec ? (spec.expressionScope ?? 'none') : 'flowfile';
    const env = this.envt.env;
    const now = (): Date => new Date(this.envt.now());
    const evaluate = (ff?: FlowFile): string | undefined => {
      if (raw === undefined) return undefined;
      if (scope === 'none') return raw;
      return compileEl(raw).evaluate({ attributes: scope === 'flowfile' ? ff?.attributes : undefined, env, now });
    };
    const parsed = <T>(ff: FlowFile | undefined, parse: (s: string) => T): T | undefined => {
      const v = evaluate(ff);
      if (v === undefined || v === '') return undefined;
      try {
        return parse(v);
      } catch (error) {
        throw new FloeError('FLOW', `${this.id}: property '${name}': ${(error as Error).message}`);
      }
    };
    return {
      raw,
      evaluate,
      asTimePeriod: (ff) => parsed(ff, parseTimePeriod),
      asDataSize: (ff) => parsed(ff, parseDataSize),
      asBoolean: (ff) => evaluate(ff)?.toLowerCase() === 'true',
      asInteger: (ff) => parsed(ff, (s) => {
        const n = Number(s);
        if (!Number.isInteger(n)) throw new Error(`'${s}' is not an integer`);
        return n;
      }),
    };
  }
}
