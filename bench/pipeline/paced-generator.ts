/**
 * Writes customer cdc files into a folder at a fixed rate (files/s, on an absolute schedule — `floe generate
 * --interval` pauses between files, so its rate drops by the time a file takes to generate). Used by the
 * steady-state bench as a separate process, like a producer next to `floe run`.
 *
 * Usage: npx tsx bench/pipeline/paced-generator.ts OUT_DIR RATE SECONDS ROWS_PER_FILE CUSTOMERS
 * Prints one JSON line at the end: { files, rows, behindMs, seconds } (behindMs: worst lag behind the schedule;
 * on a loaded machine generating a file can take longer than its slot).
 */
import { mkdirSync } from 'node:fs';
import { CustomerGenerator } from '../../src/generator/customer-generator.js';
import { writeAtomically } from '../../src/generator/write-file.js';
import { sleep } from './bench-util.js';

export async function generatePaced(out: string, rate: number, seconds: number, rowsPerFile: number, customers: number): Promise<{ files: number; rows: number; behindMs: number; seconds: number }> {
  mkdirSync(out, { recursive: true });
  const gen = new CustomerGenerator({ profile: 'cdc', customers, rowsPerFile, updateRatio: 0.5, deleteRatio: 0.05, lateRatio: 0.02, seed: 7, startTime: Date.UTC(2026, 0, 1) });
  const total = Math.round(seconds * rate);
  const start = performance.now();
  let behindMs = 0;
  let stopped = false;
  const stop = (): void => void (stopped = true);
  process.once('SIGTERM', stop);
  let files = 0;
  for (; files < total && !stopped; files++) {
    const due = start + (files * 1000) / rate;
    const f = gen.nextFile();
    behindMs = Math.max(behindMs, performance.now() - due);
    await sleep(due - performance.now());
    await writeAtomically(out, f.name, f.csv);
  }
  return { files, rows: files * rowsPerFile, behindMs, seconds: (performance.now() - start) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, rate, seconds, rows, customers] = process.argv.slice(2);
  if (!out) throw new Error('usage: paced-generator.ts OUT_DIR RATE SECONDS ROWS_PER_FILE CUSTOMERS');
  console.log(JSON.stringify(await generatePaced(out, Number(rate), Number(seconds), Number(rows), Number(customers))));
}
