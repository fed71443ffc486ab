/**
 * Smoke test of the end-to-end pipeline benchmarks (bench/pipeline/), so the scripts do not rot: each scenario
 * runs at a tiny size and must finish with the work done right — floe's SCD tables equal to the hand-written
 * DuckDB baseline's, every generated row loaded. No timing is asserted (figures come from `npm run bench`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runLatencyBench } from '../../bench/pipeline/latency-bench.js';
import { runBackfillBench } from '../../bench/pipeline/backfill-bench.js';
import { runSteadyBench } from '../../bench/pipeline/steady-bench.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('pipeline benchmarks at a tiny size', () => {
  it('latency: every file reaches both SCD tables, same tables as the baseline', async () => {
    Object.assign(process.env, { FLOE_BENCH_LAT_SECONDS: '1', FLOE_BENCH_LAT_RATE: '4', FLOE_BENCH_LAT_ROWS: '50', FLOE_BENCH_LAT_CUSTOMERS: '60' });
    const r = await runLatencyBench(true, false);
    expect(r.floe).toHaveLength(4);
    expect(r.baseline).toHaveLength(4);
    expect(r.floe.every((x) => x > 0)).toBe(true);
    expect(r.breakdown.loadedToApplied.every((x) => x >= 0)).toBe(true);
    expect(r.taskRuns.runs).toBeGreaterThan(0);
    expect(r.match).toBe(true);
  }, 120_000);

  it('backfill: floe and the baseline build the same SCD tables from generated files', async () => {
    Object.assign(process.env, { FLOE_BENCH_BACKFILL_FILES: '3', FLOE_BENCH_BACKFILL_ROWS: '200', FLOE_BENCH_BACKFILL_CUSTOMERS: '100' });
    const r = await runBackfillBench(true, false);
    expect(r.rows).toBe(600);
    expect(r.floe.fingerprint.raw).toBe(600);
    expect(r.match).toBe(true);
    expect(r.floe.hwmMb).toBeGreaterThan(0);
  }, 180_000);

  it.each(['demo', 'run'])('steady state (%s): samples the process under test and every generated row is loaded', async (mode) => {
    Object.assign(process.env, { FLOE_BENCH_STEADY_PROCESS: mode, FLOE_BENCH_STEADY_SECONDS: '2', FLOE_BENCH_STEADY_WARMUP_SECONDS: '1', FLOE_BENCH_STEADY_RATE: '3', FLOE_BENCH_STEADY_ROWS: '20', FLOE_BENCH_STEADY_CUSTOMERS: '30', FLOE_BENCH_STEADY_SAMPLE_MS: '500', FLOE_BENCH_STEADY_IDLE_SECONDS: '1' });
    const r = await runSteadyBench(true, false);
    // The paced generator writes rate × (warm-up + seconds) files; the demo's --duration may also write the file due
    // at its end.
    if (mode === 'run') expect(r.generated.files).toBe(9);
    else expect([9, 10]).toContain(r.generated.files);
    expect(r.loadedRows).toBe(r.generated.files * 20);
    expect(r.streamBacklog).toBe(0);
    expect(r.samples.length).toBeGreaterThan(0);
    expect(r.samples.every((s) => s.rssMb > 0)).toBe(true);
  }, 180_000);
});
