/**
 * Per-minute trace of a running `floe demo` / `floe run`, for finding what grows in a long run:
 *   node --import tsx --import ./bench/pipeline/demo-trace.ts bin/floe.js demo DIR --duration 600s --json
 * Every minute it appends to FLOE_TRACE_OUT (default `floe-trace.log` in the working directory) the process's CPU
 * (all threads) and the backend statements of that minute (sql-trace.ts: wall time, and CPU per call for the
 * calls that ran alone). Compare minute 1 with minute 9 — docs/status.md, session 8, has an example.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { installSqlTrace, resetSqlTrace, sqlTraceReport } from './sql-trace.js';

const out = process.env['FLOE_TRACE_OUT'] ?? 'floe-trace.log';
installSqlTrace();
let last = process.cpuUsage();
// The main thread's CPU (its task id is the process id) apart from the other threads' (DuckDB, libuv, V8 helpers).
const mainTicks = (): number => {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second on Linux)
  } catch {
    return NaN;
  }
};
let lastMain = mainTicks();
let t = performance.now();
let minute = 0;
setInterval(() => {
  const u = process.cpuUsage(last);
  last = process.cpuUsage();
  const now = performance.now();
  const wall = (now - t) / 1000;
  t = now;
  const pct = (((u.user + u.system) / 1e6 / wall) * 100).toFixed(0);
  const main = mainTicks();
  const mainPct = (((main - lastMain) / 100 / wall) * 100).toFixed(0);
  lastMain = main;
  appendFileSync(
    out,
    `\n=== minute ${++minute}: process CPU ${pct} % of a core (main thread ${mainPct} %; user ${(u.user / 1e6).toFixed(1)} s, system ${(u.system / 1e6).toFixed(1)} s)\n${sqlTraceReport(16)}\n`,
  );
  resetSqlTrace();
}, 60_000).unref();
