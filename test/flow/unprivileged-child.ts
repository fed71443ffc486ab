/**
 * Run by test/flow/permissions.test.ts as an unprivileged user (root reads every file, so permission cases can
 * only be seen without root): lists `in/` of the project in argv[2] with ListFile, makes `in/mine.csv` (owned by
 * this user) unreadable, then fetches what was listed. Prints one JSON line: the listed paths and the
 * relationship FetchFile routed each flowfile to.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProjectConfig } from '../../src/config/project-config.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { FlowEngine } from '../../src/flow/flow-engine.js';
import { fetchFlowYaml } from './fetch-flow.js';

const dir = process.argv[2]!;
const config = parseProjectConfig(fetchFlowYaml({}));
const engine = await FlowEngine.open(toFlowDefinition('ingest', config.flows['ingest']!), { projectDir: dir, env: {}, now: () => Date.now() + 60_000 });
try {
  await engine.runOnce('list');
  const listed = engine.connections.get('list.success.fetch')!.list().map((f) => f.attributes['filename']).sort();
  await chmod(join(dir, 'in', 'mine.csv'), 0);
  await engine.runOnce('fetch');
  const routes = (await engine.provenance.query({ eventType: 'ROUTE' })).map((e) => e.relationship);
  const fetched = engine.connections.get('fetch.success.ok')!.list().map((f) => f.attributes['filename']);
  console.log(JSON.stringify({ listed, routes, fetched }));
} finally {
  await engine.close();
}
