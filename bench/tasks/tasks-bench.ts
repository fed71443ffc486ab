/**
 * Task scheduler figures (issue #5), each next to a baseline from the same run:
 * 1. trigger latency: from the commit that gives a stream data to the start of the triggered task's run
 *    (target p50 ≤ 20 ms, p99 ≤ 100 ms); baseline: the same body run directly in a session after the same INSERT;
 * 2. scheduler CPU with 1,000 resumed idle tasks over 5 s (target < 2 % of one core); baseline: no tasks.
 */
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';

const ROUNDS = Number(process.env.FLOE_BENCH_TRIGGERS ?? 200);

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function triggerLatency(): Promise<void> {
  const engine = (await openEngine({ database: ':memory:', tasks: { minTriggerIntervalSeconds: 0 } })) as EngineImpl;
  const s = await engine.session();
  await s.query(`CREATE TABLE t (id INT); CREATE STREAM st ON TABLE t; CREATE TABLE sink (id INT); CREATE TABLE sink2 (id INT);
    CREATE TASK tt WHEN SYSTEM$STREAM_HAS_DATA('ST') AS INSERT INTO sink SELECT id FROM st; ALTER TASK tt RESUME;`);
  let committedAt = 0;
  engine.onCommit(() => (committedAt = Date.now()));
  const latencies: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await s.query(`INSERT INTO t VALUES (${i})`);
    const at = committedAt;
    await engine.idle();
    while ((await s.query(`SELECT COUNT(*) FROM sink WHERE id = ${i}`))[0].rows[0][0] === 0) {
      await new Promise((r) => setTimeout(r, 1));
      await engine.idle();
    }
    const [h] = await s.query(`SELECT MAX(query_start_time) FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(RESULT_LIMIT => 1))`);
    latencies.push(Date.parse(String(h.rows[0][0]).replace(/ ([+-]\d\d)(\d\d)$/, '$1:$2').replace(' ', 'T')) - at);
    const t0 = performance.now();
    await s.query(`INSERT INTO sink2 VALUES (${i})`);
    direct.push(performance.now() - t0);
  }
  console.log(`  trigger latency (commit → run start, ${ROUNDS} commits): p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms (targets 20 / 100 ms)`);
  console.log(`  baseline: the body's INSERT run directly in a session: p50 ${pct(direct, 50).toFixed(1)} ms, p99 ${pct(direct, 99).toFixed(1)} ms`);
  await engine.close();
}

async function idleCpu(tasks: number): Promise<number> {
  const engine = (await openEngine({ database: ':memory:' })) as EngineImpl;
  const s = await engine.session();
  const ddl = Array.from({ length: tasks }, (_, i) => `CREATE TASK k${i} SCHEDULE = '60 MINUTES' AS SELECT 1; ALTER TASK k${i} RESUME;`).join('\n');
  if (tasks > 0) await s.query(ddl);
  const before = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 5000));
  const used = process.cpuUsage(before);
  const wall = performance.now() - t0;
  await engine.close();
  return ((used.user + used.system) / 1000 / wall) * 100;
}

export async function runTasksBench(): Promise<void> {
  console.log('\ntasks');
  await triggerLatency();
  const idle = await idleCpu(1000);
  const none = await idleCpu(0);
  console.log(`  1,000 resumed idle tasks: process CPU ${idle.toFixed(2)} % of one core over 5 s (target < 2 %); baseline with no tasks ${none.toFixed(2)} %`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runTasksBench();
