/**
 * The demo's continuous generator: one customer change file every `intervalMs` into the landing folder, in
 * this process (CustomerGenerator + writeAtomically), until stopped or a file/time limit is reached. The
 * position is saved before each rename (generator-state.ts), so a restart never reuses a name or an id.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CustomerGenerator, type ExistingCustomer, type GeneratedFile, type GeneratorOptions, type GeneratorPosition } from '../generator/customer-generator.js';
import { writeAtomically } from '../generator/write-file.js';
import { writeGeneratorState } from './generator-state.js';

export interface DemoGeneratorOptions {
  landingDir: string;
  stateDir: string;
  intervalMs: number;
  /** Stop after this many files (undefined: until stopped). */
  files?: number;
  /** Stop generating after this long (undefined: until stopped). */
  durationMs?: number;
  generator: GeneratorOptions;
  resume?: { position: GeneratorPosition; live: readonly ExistingCustomer[] };
  /** Files written by earlier demo runs (kept in the state file). */
  previousFiles: number;
  /** Called right after a file's rename into the landing folder. */
  onFile: (file: GeneratedFile, renamedAtMs: number) => void;
  onError: (error: Error) => void;
}

export class DemoGenerator {
  readonly totals = { files: 0, I: 0, U: 0, D: 0, late: 0 };
  private readonly gen: CustomerGenerator;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: DemoGeneratorOptions) {
    this.gen = new CustomerGenerator(options.generator, options.resume);
  }

  /** Starts the loop; the promise resolves when it ends (limit reached, stopped, or failed). */
  start(): Promise<void> {
    this.loop ??= this.run();
    return this.loop;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    await removeStaleTemporaries(this.options.landingDir);
    const started = Date.now();
    const { files, durationMs, intervalMs } = this.options;
    try {
      let due = started;
      while (!this.stopped) {
        if (files !== undefined && this.totals.files >= files) break;
        if (durationMs !== undefined && Date.now() - started >= durationMs) break;
        const f = this.gen.nextFile();
        // Saved before the rename: a crash in between skips a position, it never reuses one.
        writeGeneratorState(this.options.stateDir, { ...this.gen.position(), files: this.options.previousFiles + this.totals.files + 1 });
        await writeAtomically(this.options.landingDir, f.name, f.csv);
        const at = Date.now();
        this.totals.files++;
        for (const k of ['I', 'U', 'D', 'late'] as const) this.totals[k] += f.counts[k];
        this.options.onFile(f, at);
        // Paced by due times, so the rate holds however long a file takes to write; a late file moves the
        // schedule instead of causing a burst of catch-up files.
        due = Math.max(due + intervalMs, Date.now());
        await this.sleep(due - Date.now());
      }
    } catch (e) {
      this.options.onError(e as Error);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** `.customer_….csv.tmp` files a killed generator left behind (never listed by the flow: hidden names). */
async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (/^\.customer_.*\.csv\.tmp$/.test(name)) await rm(join(dir, name), { force: true });
  }
}
