/**
 * Runs the applier's generated SQL on a real floe engine (DuckDB): one schema per scenario, a staging table
 * with a stream on it as the source, batches inserted into staging and applied with the generated script.
 */
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import type { ScdConfig, ScdColumn } from '../../src/core/scd/scd-config.js';
import { planScd } from '../../src/core/scd/scd-plan.js';

export type Val = string | number | null;
/** (key, seq, op, values) as in scd-semantics §5; key and seq may be tuples. */
export type Ev = [key: Val | Val[], seq: Val | Val[], op: 'U' | 'D' | 'T', values?: Val[]];

export interface Scenario {
  keys?: ScdColumn[];
  sequenceBy?: ScdColumn[];
  columns?: ScdColumn[];
  options?: Partial<ScdConfig>;
  scd2?: boolean;
  /** Apply with the full-refold script (scd-apply-refold.ts) instead of the planner's choice. */
  refold?: boolean;
}

const DEFAULT_COLUMNS: ScdColumn[] = [
  { name: 'NAME', type: 'VARCHAR' },
  { name: 'CITY', type: 'VARCHAR' },
];

let counter = 0;

export class ScdRig {
  private constructor(
    readonly engine: Engine,
    readonly session: Session,
    readonly config: ScdConfig,
    readonly apply: string,
    readonly schema: string,
    /** Every logged event: the event log, and the archive where the plan moves deleted keys' events. */
    readonly logged: string,
  ) {}

  static async open(scenario: Scenario = {}, engine?: Engine): Promise<ScdRig> {
    const e = engine ?? (await openEngine({ database: ':memory:' }));
    const s = await e.session();
    const schema = `C${++counter}`;
    const keys = scenario.keys ?? [{ name: 'K', type: 'NUMBER(38,0)' }];
    const sequenceBy = scenario.sequenceBy ?? [{ name: 'S', type: 'NUMBER(38,0)' }];
    const columns = scenario.columns ?? DEFAULT_COLUMNS;
    const config: ScdConfig = {
      source: { name: 'SRC_STREAM', kind: 'stream' },
      keys,
      sequenceBy,
      columns,
      deleteWhen: "OP = 'D'",
      eventLog: 'EVENTS',
      scd1: { table: 'CUR' },
      ...(scenario.scd2 === false ? {} : { scd2: { table: 'HIST', validFrom: 'VF', validTo: 'VT', isCurrent: 'IS_CURRENT' } }),
      ...scenario.options,
    };
    const plan = planScd(config, { refold: scenario.refold === true });
    const cols = [...keys, ...sequenceBy].map((c) => `${c.name} ${c.type}`).concat('OP VARCHAR', ...columns.map((c) => `${c.name} ${c.type}`));
    await s.query(`CREATE SCHEMA ${schema}; USE SCHEMA ${schema};
      CREATE TABLE SRC (${cols.join(', ')});
      CREATE STREAM SRC_STREAM ON TABLE SRC;`);
    await s.query(plan.setup);
    const logged = plan.archive ? '(SELECT * FROM EVENTS UNION ALL SELECT * FROM EVENTS_ARCHIVE)' : 'EVENTS';
    return new ScdRig(e, s, config, plan.apply, schema, logged);
  }

  /** Insert the events into staging, then run the generated apply script. */
  async batch(events: Ev[]): Promise<void> {
    if (events.length > 0) {
      const rows = events.map(([key, seq, op, values]) => {
        const ks = Array.isArray(key) ? key : [key];
        const ss = Array.isArray(seq) ? seq : [seq];
        const vs = values ?? this.config.columns.map(() => null);
        return `(${[...ks, ...ss].map(lit).join(', ')}, '${op}', ${vs.map(lit).join(', ')})`;
      });
      // Wide rows go one per statement: a multi-row VALUES list of hundreds of columns overflows the SQL printer.
      const chunks = this.config.columns.length > 50 ? rows.map((r) => [r]) : [rows];
      for (const chunk of chunks) await this.run(`INSERT INTO SRC VALUES ${chunk.join(', ')}`);
    }
    try {
      await this.run(this.apply);
    } catch (e) {
      // A rejected batch leaves the failed transaction open (as in Snowflake); its owner rolls it back.
      await this.session.query('ROLLBACK');
      throw e;
    }
  }

  /** Run a script; a failure names the statement (the first line of its SQL). */
  private async run(script: string): Promise<void> {
    for await (const o of this.session.run(script)) {
      if (!o.ok) {
        o.error.message += ` [statement ${o.statement}: ${o.sql.split('\n').find((l) => !l.startsWith('--'))?.slice(0, 80)}]`;
        throw o.error;
      }
    }
  }

  async rows(sql: string): Promise<unknown[][]> {
    const results = await this.session.query(sql);
    return results[results.length - 1]!.rows.map((r) => [...r]);
  }

  /** SCD2 rows as `key: v1/v2 [from,to)` strings, sorted. */
  async scd2(): Promise<string[]> {
    const k = this.config.keys.map((c) => c.name).join(', ');
    const v = this.config.columns.map((c) => c.name).join(', ');
    const rows = await this.rows(`SELECT ${k}, ${v}, VF, VT, IS_CURRENT FROM HIST ORDER BY ${k}, VF`);
    const nk = this.config.keys.length;
    const nv = this.config.columns.length;
    return rows.map((r) => {
      if ((r[nk + nv + 1] === null) !== r[nk + nv + 2]) throw new Error(`IS_CURRENT disagrees with the end in ${JSON.stringify(r)}`);
      return `${fmtKey(r.slice(0, nk))}: ${r.slice(nk, nk + nv).map(show).join('/')} [${show(r[nk + nv])},${show(r[nk + nv + 1])})`;
    });
  }

  /** SCD1 rows as `key v1/v2` strings, sorted. */
  async scd1(): Promise<string[]> {
    const k = this.config.keys.map((c) => c.name).join(', ');
    const v = this.config.columns.map((c) => c.name).join(', ');
    const nk = this.config.keys.length;
    const rows = await this.rows(`SELECT ${k}, ${v} FROM CUR ORDER BY ${k}`);
    return rows.map((r) => `${fmtKey(r.slice(0, nk))} ${r.slice(nk).map(show).join('/')}`);
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

function fmtKey(k: unknown[]): string {
  return k.length === 1 ? show(k[0]) : `(${k.map(show).join(',')})`;
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function lit(v: Val): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** Apply a batch that must be rejected; roll the failed transaction back as the session's owner would. */
export async function expectRejected(rig: ScdRig, events: Ev[], message: RegExp): Promise<void> {
  let error: unknown;
  try {
    await rig.batch(events);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error) || !message.test(error.message)) throw new Error(`expected rejection ${message}, got ${String(error)}`);
}
