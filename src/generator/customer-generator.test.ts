import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CDC_HEADER, CustomerGenerator, SEED_HEADER, type GeneratorOptions } from './customer-generator.js';

const base: GeneratorOptions = { profile: 'cdc', customers: 200, rowsPerFile: 500, updateRatio: 0.5, deleteRatio: 0.05, lateRatio: 0.1, seed: 7, startTime: Date.UTC(2026, 0, 1) };

const files = (o: GeneratorOptions, n: number) => {
  const g = new CustomerGenerator(o);
  return Array.from({ length: n }, () => g.nextFile());
};

describe('CustomerGenerator', () => {
  it('is deterministic: same seed → same names and bytes; another seed differs', () => {
    expect(files(base, 3)).toEqual(files(base, 3));
    expect(files({ ...base, seed: 8 }, 1)[0]!.csv).not.toEqual(files(base, 1)[0]!.csv);
  });

  it('never gives one customer two events at the same time, even with many late events', () => {
    const rows = files({ ...base, customers: 30, lateRatio: 0.5 }, 10).flatMap((f) => parse(f.csv, { columns: true }) as Record<string, string>[]);
    const seen = new Set<string>();
    for (const r of rows) {
      const id = `${r.customer_id}@${r.updated_at}`;
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
    expect(rows.length).toBe(5000);
  });

  it('writes the cdc header, names that sort in generation order, and events in the requested mix', () => {
    const fs = files(base, 8);
    expect([...fs.map((f) => f.name)].sort()).toEqual(fs.map((f) => f.name));
    expect(fs[0]!.name).toMatch(/^customer_\d{8}T\d{9}Z_000001\.csv$/);
    const rows = fs.flatMap((f) => (parse(f.csv, { columns: true }) as Record<string, string>[]));
    expect(Object.keys(rows[0]!)).toEqual(CDC_HEADER);
    const after = rows.slice(200); // past the warm-up inserts
    const share = (op: string) => after.filter((r) => r.op === op).length / after.length;
    expect(share('U')).toBeGreaterThan(0.45);
    expect(share('D')).toBeGreaterThan(0.02);
    expect(share('D')).toBeLessThan(0.1);
    expect(rows.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(r.updated_at!))).toBe(true);
  });

  it('deletes only live customers, and late events are older than an event already written for the key', () => {
    const rows = files(base, 10).flatMap((f) => (parse(f.csv, { columns: true }) as Record<string, string>[]));
    const live = new Set<string>();
    const newest = new Map<string, string>();
    let late = 0;
    for (const r of rows) {
      const id = r.customer_id!;
      if (r.op === 'I') live.add(id);
      if (r.op === 'D') {
        expect(live.has(id)).toBe(true);
        live.delete(id);
      }
      if (r.op === 'U') expect(live.has(id)).toBe(true);
      const prev = newest.get(id);
      if (prev !== undefined && r.updated_at! < prev) late++;
      else newest.set(id, r.updated_at!);
    }
    expect(late).toBeGreaterThan(0);
  });

  it('seed profile: every id 0..N-1 in every file, the seed notebook header', () => {
    const fs = files({ ...base, profile: 'seed', customers: 50 }, 2);
    for (const f of fs) {
      const rows = parse(f.csv, { columns: true }) as Record<string, string>[];
      expect(Object.keys(rows[0]!)).toEqual(SEED_HEADER);
      expect(rows.map((r) => Number(r.customer_id))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
    expect(fs[0]!.csv).not.toEqual(fs[1]!.csv);
  });

  it('resumes past an earlier run: no id, event time or file name reused; updates touch existing customers', () => {
    const first = new CustomerGenerator(base);
    const before = Array.from({ length: 4 }, () => first.nextFile());
    const rowsBefore = before.flatMap((f) => parse(f.csv, { columns: true }) as Record<string, string>[]);
    const position = first.position();
    expect(position.fileSeq).toBe(4);
    const live = [{ id: 3, first_name: 'Ann', last_name: 'Lee', email: 'a@x', street: 's', city: 'c', state: 'st', country: 'co', updatedAt: position.clock - 5 }];
    const resumed = new CustomerGenerator(base, { position, live });
    const after = Array.from({ length: 4 }, () => resumed.nextFile());
    const rowsAfter = after.flatMap((f) => parse(f.csv, { columns: true }) as Record<string, string>[]);
    const names = new Set(before.map((f) => f.name));
    for (const f of after) expect(names.has(f.name)).toBe(false);
    expect([...before, ...after].map((f) => f.name)).toEqual([...before, ...after].map((f) => f.name).sort());
    // Event times continue past the earlier run, late ones included (they stay after the resume point).
    const maxBefore = rowsBefore.map((r) => r.updated_at!).sort().at(-1)!;
    expect(rowsAfter.every((r) => r.updated_at! > maxBefore)).toBe(true);
    expect(resumed.nextFile().counts.late + after.reduce((n, f) => n + f.counts.late, 0)).toBeGreaterThan(0);
    const keys = [...rowsBefore, ...rowsAfter].map((r) => `${r.customer_id}@${r.updated_at}`);
    expect(new Set(keys).size).toBe(keys.length);
    const idsBefore = new Set(rowsBefore.map((r) => r.customer_id));
    expect(rowsAfter.filter((r) => r.op === 'I').every((r) => !idsBefore.has(r.customer_id) && Number(r.customer_id) >= position.nextId)).toBe(true);
    expect(rowsAfter.some((r) => r.customer_id === '3' && r.op !== 'I')).toBe(true);
    // Same seed and position → same files.
    expect(new CustomerGenerator(base, { position, live }).nextFile()).toEqual(after[0]);
  });
});
