/**
 * `floe run` shares one bucket registry between the engine and the flows: PutS3Object's write into a local
 * bucket is a write through the very store the pipes subscribe to (a `store` event, no folder watcher in
 * between), so the file is queued for its pipe at once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectCreatedEvent } from '../../src/core/ports/object-store.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { runProject } from '../../src/runtime/run-project.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-shared-stores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('floe run: one object-store registry for engine and flows', () => {
  it('a flow put reaches the pipe as a store event of the same store instance', async () => {
    mkdirSync(join(dir, 'data', 'landing'), { recursive: true });
    writeFileSync(
      join(dir, 'floe.yaml'),
      `storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: data/landing, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
sql: [setup.sql]
`,
    );
    writeFileSync(
      join(dir, 'setup.sql'),
      `CREATE TABLE raw (id INT, name STRING);
CREATE STAGE st URL = 's3://floe-demo/stream/';
CREATE PIPE p AUTO_INGEST = TRUE AS COPY INTO raw FROM @st;
`,
    );
    const running = await runProject({ projectDir: dir, openEngine, startFlows: false });
    try {
      const events: ObjectCreatedEvent[] = [];
      // Without `external`, a subscription sees only writes made through this store object.
      const sub = await running.objectStores.bucket('floe-demo').subscribe((e) => void events.push(e));
      const loaded = new Promise<string[]>((resolve) => running.engine.pipes.onLoad((l) => resolve(l.files.map((f) => `${f.path}:${f.status}`))));
      writeFileSync(join(dir, 'data', 'landing', 'a.csv'), '1,ann\n2,bob\n');
      const flow = running.flows[0]!;
      await flow.runOnce('list');
      await flow.drain();
      expect(events.map((e) => [e.key, e.source])).toEqual([['stream/a.csv', 'store']]);
      expect(await loaded).toEqual(['a.csv:LOADED']);
      const s = await running.engine.session();
      expect((await s.query('SELECT id, name FROM raw ORDER BY id'))[0]!.rows).toEqual([[1, 'ann'], [2, 'bob']]);
      await s.close();
      await sub.close();
    } finally {
      await running.stop();
    }
  });
});
