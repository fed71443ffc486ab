/** `npm run bench`: every benchmark, each printing its figure next to its baseline from the same run. */
import { runStreamsBench } from './streams/streams-bench.js';
import { runTranslateBench } from './translate/translate-bench.js';
import { runVarcharLengthBench } from './dml/varchar-length-bench.js';

await runTranslateBench();
await runStreamsBench();
await runVarcharLengthBench();
