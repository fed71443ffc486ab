/**
 * Per-minute trace of a running `floe demo` / `floe run`, for finding what grows in a long run:
 *   node --import tsx --import ./bench/pipeline/demo-trace.ts bin/floe.js demo DIR --duration 600s --json
 * Every minute it appends to FLOE_TRACE_OUT (default `floe-trace.log` in the working directory) the process's CPU
 * (all threads) and the backend statements of that minute (sql-trace.ts: wall time, and CPU per call for the
 * calls that ran alone). Compare minute 1 with minute 9 — docs/status.md, session 8, has an example.
 */
import { appendFileSync } from 'node:fs';
import { installSqlTrace, resetSqlTrace, sqlTraceReport } from './sql-trace.js';

const out = process.env['FLOE_TRACE_OUT'] ?? 'floe-trace.log';
installSqlTrace();
let last = process.cpuUsage();
let t = performance.now();
let minute = 0;
setInterval(() => {
  const u = process.cpuUsage(last);
  last = process.cpuUsage();
  const now = performance.now();
  const wall = (now - t) / 1000;
  t = now;
  const pct = (((u.user + u.system) / 1e6 / wall) * 100).toFixed(0);
  appendFileSync(out, `\n=== minute ${++minute}: process CPU ${pct} % of a core (user ${(u.user / 1e6).toFixed(1)} s, system ${(u.system / 1e6).toFixed(1)} s)\n${sqlTraceReport(16)}\n`);
  resetSqlTrace();
}, 60_000).unref();
