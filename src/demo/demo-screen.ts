/**
 * Where the demo's text goes. On a terminal a live frame re-drawn four times a second (log-update); otherwise
 * (CI, pipes, --json) a progress line every few seconds plus each new error once, so logs stay readable.
 * With --json the progress goes to stderr and stdout gets only the final summary object.
 */
import { createLogUpdate } from 'log-update';
import type { DemoSnapshot } from './demo-snapshot.js';
import { renderFrame, renderLine, renderSummary, type SummaryFacts } from './demo-view.js';

export interface DemoOutput {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  color: boolean;
}

const FRAME_MS = 250;
const LINE_MS = 2_000;

export class DemoScreen {
  private timer: NodeJS.Timeout | undefined;
  private live: ReturnType<typeof createLogUpdate> | undefined;
  private printedErrors = new Set<string>();
  private lastLine = 0;

  constructor(
    private readonly output: DemoOutput,
    private readonly json: boolean,
  ) {}

  private get tty(): boolean {
    return this.output.stdout.isTTY === true && !this.json;
  }

  private get width(): number {
    const c = this.output.stdout.columns;
    return c !== undefined && c > 20 ? c : 120;
  }

  /** A line about what is happening before the live view starts (stderr). */
  note(text: string): void {
    this.output.stderr.write(`${text}\n`);
  }

  start(snapshot: () => DemoSnapshot): void {
    if (this.tty) {
      this.live = createLogUpdate(this.output.stdout);
      const draw = (): void => this.live?.(renderFrame(snapshot(), { color: this.output.color, width: this.width }));
      draw();
      this.timer = setInterval(draw, FRAME_MS);
    } else {
      const target = this.json ? this.output.stderr : this.output.stdout;
      const tick = (force: boolean): void => {
        const s = snapshot();
        for (const e of [...s.errors].reverse()) {
          const key = `${e.source}:${e.message}`;
          if (this.printedErrors.has(key)) continue;
          this.printedErrors.add(key);
          // Bounded for long runs: an error printed long ago may be printed again, which is harmless.
          if (this.printedErrors.size > 200) this.printedErrors.delete(this.printedErrors.values().next().value as string);
          target.write(`error: ${e.source}: ${e.message}\n`);
        }
        if (force || Date.now() - this.lastLine >= LINE_MS) {
          this.lastLine = Date.now();
          target.write(`${renderLine(s)}\n`);
        }
      };
      tick(true);
      this.timer = setInterval(() => tick(false), FRAME_MS);
    }
  }

  finish(last: DemoSnapshot, facts: SummaryFacts): void {
    clearInterval(this.timer);
    const style = { color: this.output.color, width: this.width };
    if (this.live) {
      this.live(renderFrame(last, style));
      this.live.done();
      this.live = undefined;
    } else {
      (this.json ? this.output.stderr : this.output.stdout).write(`${renderLine(last)}\n`);
    }
    if (this.json) this.output.stdout.write(`${JSON.stringify(summaryJson(last, facts))}\n`);
    else this.output.stdout.write(`\n${renderSummary(last, facts, style)}\n`);
  }

  abort(): void {
    clearInterval(this.timer);
    this.live?.done();
    this.live = undefined;
  }
}

export function summaryJson(s: DemoSnapshot, facts: SummaryFacts): Record<string, unknown> {
  return {
    project: s.project,
    reason: facts.reason,
    elapsedMs: s.elapsedMs,
    generated: { files: s.generator.files, ...s.generator.events },
    files: { loaded: s.files.loaded, failed: s.files.failed, outstanding: facts.outstanding },
    rows: { raw: s.rows.raw ?? null, customer: s.rows.scd1 ?? null, customerHistory: s.rows.scd2 ?? null },
    tasks: s.tasks,
    latencyMs: s.latency,
    loadLatencyMs: s.loadLatency,
    errors: s.errors.map((e) => `${e.source}: ${e.message}`),
    memory: s.memory ?? null,
    sampleCustomerId: s.sampleCustomerId ?? null,
  };
}
