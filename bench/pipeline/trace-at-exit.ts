/**
 * Preload for any floe command: at exit, the process's CPU time and the backend statements' trace (sql-trace.ts) go to
 * stderr, the top FLOE_TRACE_TOP (default 30) statements by wall time. `node --import tsx --import ./bench/pipeline/trace-at-exit.ts bin/floe.js …`
 */
import { installSqlTrace, sqlTraceReport } from './sql-trace.js';

installSqlTrace();
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`process CPU: user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s\n`);
  process.stderr.write(`${sqlTraceReport(30)}\n`);
});
