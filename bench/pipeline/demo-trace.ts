/**
 * Per-minute trace of a running `floe demo` / `floe run`, for finding what grows in a long run:
 *   node --import tsx --import ./bench/pipeline/demo-trace.ts bin/floe.js demo DIR --duration 600s --json
 * Every minute it appends to FLOE_TRACE_OUT (default `floe-trace.log` in the working directory) the process's CPU
 * (all threads) and the backend statements of that minute (sql-trace.ts: wall time, and CPU per call for the
 * calls that ran alone). Compare minute 1 with minute 9 — docs/status.md, session 8, has an example.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
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

// Memory: the process's (RSS, V8 heap, buffers) and DuckDB's own accounting by tag, to tell what RSS grows with.
let instance: DuckDBInstance | undefined;
const proto = DuckDBInstance.prototype as unknown as { connect: (...a: unknown[]) => Promise<unknown> };
const connect = proto.connect;
const remember = (i: DuckDBInstance): void => {
  instance ??= i;
};
proto.connect = function (this: DuckDBInstance, ...a: unknown[]) {
  remember(this);
  return connect.apply(this, a);
};
const mb = (n: number | bigint): string => (Number(n) / 2 ** 20).toFixed(0);
async function memoryReport(): Promise<string> {
  const m = process.memoryUsage();
  let duck = '';
  if (instance) {
    const con = await instance.connect();
    try {
      const r = await con.runAndReadAll(`SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0 ORDER BY 2 DESC`);
      duck = r.getRows().map((row) => `${String(row[0])} ${mb(row[1] as bigint)}`).join(', ');
    } finally {
      con.closeSync();
    }
  }
  return `  memory MB: rss ${mb(m.rss)}, V8 heap ${mb(m.heapUsed)}/${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}; DuckDB: ${duck}`;
}
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
  const head = `\n=== minute ${++minute}: process CPU ${pct} % of a core (main thread ${mainPct} %; user ${(u.user / 1e6).toFixed(1)} s, system ${(u.system / 1e6).toFixed(1)} s)\n`;
  const report = sqlTraceReport(16);
  resetSqlTrace();
  void memoryReport()
    .catch((e: unknown) => `  memory: ${String(e)}`)
    .then((mem) => appendFileSync(out, `${head}${mem}\n${report}\n`));
}, 60_000).unref();
