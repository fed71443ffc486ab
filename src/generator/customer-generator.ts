/**
 * Synthetic customer change data (DESIGN.md §3). Seeded: the same options give the same files, byte for byte
 * (event times come from a simulated clock, not the wall clock).
 *
 * - profile `cdc`: I/U/D events with `updated_at` (the SCD sequence). Most events touch existing customers;
 *   deletes only hit live customers; a late event is an update whose `updated_at` is older than an event of the
 *   same customer that was already written (SCD must splice it into history).
 * - profile `seed`: the seed notebook's format — every file holds a fresh random state for every id 0..N-1.
 */
import { en, Faker } from '@faker-js/faker';
import { stringify } from 'csv-stringify/sync';

export type Profile = 'cdc' | 'seed';

export interface GeneratorOptions {
  profile: Profile;
  /** cdc: the live population the generator grows to; seed: ids 0..N-1 per file. */
  customers: number;
  rowsPerFile: number;
  updateRatio: number;
  deleteRatio: number;
  lateRatio: number;
  seed: number;
  /** Simulated time of the first event (epoch ms). */
  startTime: number;
}

export const CDC_HEADER = ['customer_id', 'first_name', 'last_name', 'email', 'street', 'city', 'state', 'country', 'op', 'updated_at'];
export const SEED_HEADER = CDC_HEADER.slice(0, 8);

/** A customer's attributes, as the CSV files carry them. */
export interface CustomerAttributes {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  street: string;
  city: string;
  state: string;
  country: string;
}

interface Customer extends CustomerAttributes {
  /** Times of this customer's events written so far (for late events). */
  times: number[];
}

/** Where a generator stands: the next customer id, the simulated clock and the file sequence. */
export interface GeneratorPosition {
  nextId: number;
  clock: number;
  fileSeq: number;
}

/** A customer that exists already when a generator resumes (e.g. a row of the SCD1 table). */
export interface ExistingCustomer extends CustomerAttributes {
  updatedAt: number;
}

export interface GeneratedFile {
  name: string;
  csv: string;
  counts: { I: number; U: number; D: number; late: number };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (DESIGN.md §3). */
export function formatEventTime(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  return `${date} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

const compactTime = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '');

export class CustomerGenerator {
  private readonly faker: Faker;
  private readonly live = new Map<number, Customer>();
  private liveIds: number[] = [];
  private nextId = 0;
  private clock: number;
  private fileSeq = 0;

  /**
   * `resume` continues an earlier run (floe demo after a restart): ids, event times and file names continue
   * past it, so nothing is reused, and updates/deletes touch the customers that already exist.
   */
  constructor(
    private readonly options: GeneratorOptions,
    resume?: { position: GeneratorPosition; live: readonly ExistingCustomer[] },
  ) {
    this.faker = new Faker({ locale: [en] });
    // A resumed run draws fresh values (same seed and position → same files).
    this.faker.seed(resume ? [options.seed, resume.position.fileSeq] : options.seed);
    this.clock = options.startTime;
    if (resume) {
      this.nextId = resume.position.nextId;
      this.clock = Math.max(options.startTime, resume.position.clock);
      this.fileSeq = resume.position.fileSeq;
      for (const c of resume.live) {
        this.nextId = Math.max(this.nextId, c.id + 1);
        this.clock = Math.max(this.clock, c.updatedAt);
      }
      // Late events of a resumed customer stay after the resume point: an earlier run's event still in flight
      // (not in the SCD1 table yet) can then never share its key and time, which the SCD rules reject.
      for (const c of resume.live) {
        const { updatedAt: _, ...attrs } = c;
        this.live.set(c.id, { ...attrs, times: [this.clock] });
        this.liveIds.push(c.id);
      }
    }
  }

  /** The position after the files generated so far. */
  position(): GeneratorPosition {
    return { nextId: this.nextId, clock: this.clock, fileSeq: this.fileSeq };
  }

  private person(id: number): Customer {
    const f = this.faker;
    const first = f.person.firstName();
    const last = f.person.lastName();
    return {
      id,
      first_name: first,
      last_name: last,
      email: f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
      street: f.location.streetAddress(),
      city: f.location.city(),
      state: f.location.state(),
      country: f.location.country(),
      times: [],
    };
  }

  /** An update changes one to three attributes. */
  private changed(c: Customer): Customer {
    const fresh = this.person(c.id);
    const next: Customer = { ...c };
    const fields = this.faker.helpers.arrayElements(['email', 'street', 'city', 'state', 'last_name'] as const, { min: 1, max: 3 });
    for (const k of fields) next[k] = fresh[k];
    if (fields.includes('street')) {
      next.city = fresh.city;
      next.state = fresh.state;
    }
    return next;
  }

  private tick(): number {
    this.clock += this.faker.number.int({ min: 1, max: 1000 });
    return this.clock;
  }

  private row(c: Customer, op: 'I' | 'U' | 'D', at: number): string[] {
    return [String(c.id), c.first_name, c.last_name, c.email, c.street, c.city, c.state, c.country, op, formatEventTime(at)];
  }

  /** A free millisecond strictly between the customer's first and newest event times, if there is one. */
  private lateTime(c: Customer): number | undefined {
    const oldest = c.times[0];
    const newest = c.times[c.times.length - 1];
    if (oldest === undefined || newest === undefined || newest - oldest < 2) return undefined;
    const used = new Set(c.times);
    const start = this.faker.number.int({ min: oldest + 1, max: newest - 1 });
    for (let t = start; t < newest; t++) if (!used.has(t)) return t;
    for (let t = start - 1; t > oldest; t--) if (!used.has(t)) return t;
    return undefined;
  }

  private cdcEvent(counts: GeneratedFile['counts']): string[] {
    const { customers, updateRatio, deleteRatio, lateRatio } = this.options;
    const f = this.faker;
    const warm = this.liveIds.length < Math.max(1, Math.floor(customers * 0.2));
    const r = f.number.float({ min: 0, max: 1 });
    if (!warm && this.liveIds.length > 0 && r < deleteRatio) {
      const idx = f.number.int({ min: 0, max: this.liveIds.length - 1 });
      const id = this.liveIds[idx] as number;
      const c = this.live.get(id) as Customer;
      this.liveIds.splice(idx, 1);
      this.live.delete(id);
      counts.D++;
      return this.row(c, 'D', this.tick());
    }
    if (!warm && this.liveIds.length > 0 && (r < deleteRatio + updateRatio || this.liveIds.length >= customers)) {
      const id = f.helpers.arrayElement(this.liveIds);
      const c = this.live.get(id) as Customer;
      const next = this.changed(c);
      counts.U++;
      // A late event: between this customer's first and newest events already written, so it changes history
      // but not the present. Its time is one no other event of the customer has: two different events of one
      // key at one time are a conflict the SCD applier rejects (scd-semantics §4), not a late arrival.
      const late = f.number.float({ min: 0, max: 1 }) < lateRatio ? this.lateTime(c) : undefined;
      if (late !== undefined) {
        c.times = [...c.times, late].sort((a, b) => a - b);
        counts.late++;
        return this.row(next, 'U', late);
      }
      const at = this.tick();
      next.times = [...c.times, at];
      this.live.set(id, next);
      return this.row(next, 'U', at);
    }
    const c = this.person(this.nextId++);
    const at = this.tick();
    c.times = [at];
    this.live.set(c.id, c);
    this.liveIds.push(c.id);
    counts.I++;
    return this.row(c, 'I', at);
  }

  nextFile(): GeneratedFile {
    const counts = { I: 0, U: 0, D: 0, late: 0 };
    const rows: string[][] = [];
    const first = this.clock;
    if (this.options.profile === 'seed') {
      for (let id = 0; id < this.options.customers; id++) rows.push(this.row(this.person(id), 'I', first).slice(0, 8));
      counts.I = rows.length;
      this.tick();
    } else {
      for (let i = 0; i < this.options.rowsPerFile; i++) rows.push(this.cdcEvent(counts));
    }
    const header = this.options.profile === 'seed' ? SEED_HEADER : CDC_HEADER;
    const name = `customer_${compactTime(first)}_${pad(++this.fileSeq, 6)}.csv`;
    return { name, csv: stringify([header, ...rows]), counts };
  }
}
