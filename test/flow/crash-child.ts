/**
 * Child process for the kill -9 tests: runs the project's `ingest` flow. argv: <projectDir> <mode>, where
 * mode is `once` (one listing, drain, exit) or `run` (scheduler until killed). FLOE_FLOW_CRASH_AT makes it
 * SIGKILL itself at a named point (src/flow/fault-injection.ts).
 */
import { flowServices } from '../../src/runtime/flow-services.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { FlowEngine } from '../../src/flow/flow-engine.js';

const [dir, mode] = process.argv.slice(2) as [string, string];
const loaded = await loadProjectConfig(dir);
const handle = flowServices(loaded.config.storage, dir, process.env);
const engine = await FlowEngine.open(toFlowDefinition('ingest', loaded.config.flows['ingest']!), { projectDir: dir, services: handle.services });
if (mode === 'once') {
  await engine.runOnce('list');
  await engine.drain();
} else {
  engine.start();
  await new Promise((r) => setTimeout(r, 60_000));
}
await engine.close();
await handle.close();
process.stdout.write('done\n');
