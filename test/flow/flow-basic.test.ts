import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowFromYaml, openEngine, tempProject } from './flow-harness.js';

const yaml = `
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: landing, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File } }
      put:   { type: PutFile, properties: { Directory: out }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: [success], to: put }
      - { from: fetch, relationship: [not.found, permission.denied, failure], to: put }
`;

describe('ListFile → FetchFile → PutFile', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempProject()));
  afterEach(() => cleanup());

  it('moves every file once and records provenance', async () => {
    await mkdir(join(dir, 'landing', 'sub'), { recursive: true });
    await writeFile(join(dir, 'landing', 'a.csv'), 'a');
    await writeFile(join(dir, 'landing', 'sub', 'b.csv'), 'bb');
    const engine = await openEngine(flowFromYaml(yaml), dir);
    try {
      await engine.runOnce('list');
      await engine.drain();
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['a.csv', 'b.csv']);
      expect(await readFile(join(dir, 'out', 'b.csv'), 'utf8')).toBe('bb');
      expect(await readdir(join(dir, 'landing'))).toEqual(['sub']);
      const events = await engine.provenance.query({ filename: 'a.csv' });
      expect(events.map((e) => e.eventType).reverse()).toEqual(['CREATE', 'FETCH', 'SEND', 'DROP']);
      expect(engine.status().flowFilesQueued).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
