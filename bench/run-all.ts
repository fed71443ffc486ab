/** `npm run bench`: every benchmark, each printing its figure next to its baseline from the same run. */
import { runStreamsBench } from './streams/streams-bench.js';
import { runTasksBench } from './tasks/tasks-bench.js';
import { runTranslateBench } from './translate/translate-bench.js';
import { runFlowBench } from './flow/flow-bench.js';
import { runMd5Bench } from './flow/md5-bench.js';
import { runWatchBench } from './flow/watch-bench.js';
import { runCopyBench } from './copy/copy-bench.js';
import { runCopyMemoryBench } from './copy/copy-memory-bench.js';
import { runVarcharLengthBench } from './dml/varchar-length-bench.js';
import { runReclusterBench } from './clustering/recluster-bench.js';
import { runIndexGrowthBench } from './clustering/index-growth-bench.js';
import { runServerBench } from './server/server-bench.js';
import { runLatencyBench } from './pipeline/latency-bench.js';
import { runBackfillBench } from './pipeline/backfill-bench.js';
import { runSteadyBench } from './pipeline/steady-bench.js';

await runTranslateBench();
await runFlowBench();
runMd5Bench();
await runWatchBench();
await runStreamsBench();
await runTasksBench();
await runCopyBench();
// The 2 GB memory scenario writes a big file: only when asked (FLOE_BENCH_COPY_BIG_MB=2048).
if (process.env.FLOE_BENCH_COPY_BIG_MB) await runCopyMemoryBench();
await runVarcharLengthBench();
await runReclusterBench();
await runIndexGrowthBench();
await runServerBench();
// End-to-end customer pipeline (issue #7); `npm run bench -- --quick` runs their short variants.
await runLatencyBench();
await runBackfillBench();
await runSteadyBench();
