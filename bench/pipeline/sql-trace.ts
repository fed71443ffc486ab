/**
 * A window on the backend: every statement floe sends to DuckDB goes through `DuckDBConnection.run`, which
 * this wraps once per process. Listeners see each statement when it ends (the latency side channel uses it to
 * see the SCD task's COMMIT), and FLOE_BENCH_TRACE=1 sums wall time per statement shape (the first words of the
 * SQL, literals and numbers blanked), so a bench can print its most expensive backend statements. Wall time
 * includes waiting for DuckDB's threads and locks, which is the point: it is what a pipeline hop waits for.
 * Wall time over-charges small statements that wait for a core behind a big one, so the trace also sums the
 * process's CPU time (all threads: DuckDB runs in-process) across each statement that ran alone — statements
 * that overlapped another are only counted in `overlapCpuMs`, as their CPU cannot be split between them.
 */
import { DuckDBConnection } from '@duckdb/node-api';

interface Shape {
  calls: number;
  ms: number;
  /** Process CPU while the statement ran alone (calls that overlapped another statement are not included). */
  cpuMs: number;
  soloCalls: number;
  sample: string;
}

const shapes = new Map<string, Shape>();
let installed = false;

/** The first words, and for an INSERT with a column list also the start of its query (two INSERTs into one table
 *  with the same columns are told apart by what they select). */
const shapeOf = (sql: string): string => {
  const s = sql
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
  const query = /^INSERT INTO [^(]*\([^)]*\) (.*)$/i.exec(s)?.[1];
  return query !== undefined && s.length > 110 ? `${s.slice(0, 60)} … ${query.slice(0, 60)}` : s.slice(0, 110);
};

export const traceEnabled = (): boolean => process.env.FLOE_BENCH_TRACE === '1';

/** Called after each backend statement finished (ok or not) on `conn` (DuckDB's connection object). */
export type StatementListener = (conn: object, sql: string, params: unknown, ms: number, ok: boolean, cpu: { ms: number; solo: boolean }) => void;

const cpuNowMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let inFlight = 0;
/** Statements started so far: one that started while another ran makes both overlapping, even if it ended first. */
let started = 0;
let overlapCpuMs = 0;

const listeners = new Set<StatementListener>();
/** Statements in flight, by start number: their SQL and start time. */
const running = new Map<number, { sql: string; at: number }>();

/** Wraps `DuckDBConnection.run` once for this process. */
function install(): void {
  if (!installed) {
    installed = true;
    const proto = DuckDBConnection.prototype as unknown as { run: (sql: string, ...rest: unknown[]) => Promise<unknown> };
    const original = proto.run;
    proto.run = async function (this: object, sql: string, ...rest: unknown[]) {
      const t0 = performance.now();
      const c0 = cpuNowMs();
      const alone = ++inFlight === 1;
      const startNo = ++started;
      running.set(startNo, { sql, at: t0 });
      let ok = false;
      try {
        const r = await original.call(this, sql, ...rest);
        ok = true;
        return r;
      } finally {
        const ms = performance.now() - t0;
        const cpuMs = cpuNowMs() - c0;
        inFlight--;
        running.delete(startNo);
        const solo = alone && started === startNo;
        if (!solo) overlapCpuMs += cpuMs;
        for (const l of listeners) l(this, sql, rest[0], ms, ok, { ms: cpuMs, solo });
      }
    };
  }
}

/** Listeners see every statement of this process when it ends. */
export function onBackendStatement(listener: StatementListener): () => void {
  install();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** From now on, `runningStatements()` knows the statements in flight. */
export function watchRunningStatements(): void {
  install();
}

/** The statements running now: their SQL and how long they have run (ms). */
export function runningStatements(): { sql: string; ms: number }[] {
  const now = performance.now();
  return [...running.values()].map((r) => ({ sql: r.sql, ms: now - r.at }));
}

let tracing = false;

export function installSqlTrace(): void {
  if (tracing) return;
  tracing = true;
  onBackendStatement((_conn, sql, _params, ms, _ok, cpu) => {
    const key = shapeOf(sql);
    const s = shapes.get(key) ?? { calls: 0, ms: 0, cpuMs: 0, soloCalls: 0, sample: sql };
    s.calls++;
    s.ms += ms;
    if (cpu.solo) {
      s.soloCalls++;
      s.cpuMs += cpu.ms;
    }
    shapes.set(key, s);
  });
}

export function resetSqlTrace(): void {
  shapes.clear();
  overlapCpuMs = 0;
}

/** The `top` statement shapes by total wall time (FLOE_TRACE_TOP, when set, instead: every caller's report). */
export function sqlTraceReport(top = 15): string {
  const rows = [...shapes.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env['FLOE_TRACE_TOP'] || top));
  const total = [...shapes.values()].reduce((a, s) => a + s.ms, 0);
  const cpu = [...shapes.values()].reduce((a, s) => a + s.cpuMs, 0);
  return [
    `  backend statements: ${[...shapes.values()].reduce((a, s) => a + s.calls, 0)} calls, ${total.toFixed(0)} ms wall in total ` +
      `(process CPU ${cpu.toFixed(0)} ms in statements that ran alone, ${overlapCpuMs.toFixed(0)} ms in overlapping ones); top ${rows.length} by wall time:`,
    ...rows.map(
      ([k, s]) =>
        `    ${s.ms.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(6)}× ${s.soloCalls > 0 ? `cpu ${(s.cpuMs / s.soloCalls).toFixed(1).padStart(5)} ms/call` : 'cpu     – ms/call'} ${k}`,
    ),
  ].join('\n');
}
