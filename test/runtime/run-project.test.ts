/**
 * `floe run`'s SQL plan: a project's SQL applies once; restarts skip what was applied (no seed row twice, no
 * stream re-created); re-creating an existing object is blocked until the user asks for it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import { runProject } from '../../src/runtime/run-project.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'floe-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SETUP = `CREATE DATABASE IF NOT EXISTS shop;
USE SCHEMA shop.public;
CREATE OR REPLACE TABLE orders (id INT, amount INT);
CREATE OR REPLACE STREAM orders_s ON TABLE orders;
`;

function writeProject(project: string, setup = SETUP): void {
  mkdirSync(join(project, 'sql'), { recursive: true });
  writeFileSync(join(project, 'floe.yaml'), 'tasks:\n  minimumTriggerIntervalSeconds: 0\n');
  writeFileSync(join(project, 'sql', '01_setup.sql'), setup);
  writeFileSync(join(project, 'sql', '02_seed.sql'), 'USE SCHEMA shop.public;\nINSERT INTO orders VALUES (1, 10);\n');
}

describe('floe run: project SQL as a plan', () => {
  it('applies once, skips on restart, blocks re-creating existing objects', async () => {
    const project = join(dir, 'p1');
    writeProject(project);
    const first = await runProject({ projectDir: project, openEngine, pipes: false });
    expect(first.steps.map((s) => s.action)).toEqual(['run', 'run', 'run', 'run', 'run', 'run']);
    await first.stop();

    const second = await runProject({ projectDir: project, openEngine, pipes: false });
    expect(second.steps.map((s) => s.action)).toEqual(['applied', 'run', 'applied', 'applied', 'run', 'applied']);
    const s = await second.engine.session();
    const [[rows], [changes]] = [await s.query('SELECT COUNT(*) FROM shop.public.orders'), await s.query('SELECT COUNT(*) FROM shop.public.orders_s')];
    expect(rows.rows).toEqual([[1]]);
    expect(changes.rows).toEqual([[1]]); // the stream was not re-created: its unconsumed insert is still there
    await second.stop();

    writeProject(project, SETUP.replace('ON TABLE orders;', "ON TABLE orders COMMENT = 'changed';"));
    const third = await runProject({ projectDir: project, openEngine, pipes: false });
    const blocked = third.steps.filter((x) => x.action === 'blocked');
    expect(blocked.map((x) => x.object)).toEqual(['STREAM orders_s']);
    await third.stop();

    const fourth = await runProject({ projectDir: project, openEngine, pipes: false, replaceExisting: true });
    expect(fourth.steps.filter((x) => x.object === 'STREAM orders_s').map((x) => x.action)).toEqual(['run']);
    await fourth.stop();
  });

  it('reports the first failing statement with its file and line, and runs nothing after it', async () => {
    const project = join(dir, 'p2');
    writeProject(project, `${SETUP}SELECT * FROM no_such_table;\nCREATE TABLE never (x INT);\n`);
    const r = await runProject({ projectDir: project, openEngine, pipes: false });
    const failed = r.steps.find((x) => x.action === 'failed');
    expect(failed).toMatchObject({ file: join('sql', '01_setup.sql'), line: 5 });
    expect(r.steps.some((x) => x.sql.includes('never'))).toBe(false);
    await r.stop();
  });

  it('`floe run --once` applies the project and exits', () => {
    const project = join(dir, 'p3');
    writeProject(project);
    const out = spawnSync(process.execPath, [join(root, 'bin', 'floe.js'), 'run', '--project', project, '--once'], { encoding: 'utf8' });
    expect(out.stderr).toContain('project SQL: 6 run, 0 already applied, 0 existing, 0 blocked');
    expect(out.status).toBe(0);
  });
});

describe('floe run: flows, pipes and tasks together', () => {
  it('moves a landed file through the flow into the bucket, the pipe loads it, the triggered task applies it', { timeout: 60_000 }, async () => {
    const project = join(dir, 'p4');
    mkdirSync(join(project, 'sql'), { recursive: true });
    mkdirSync(join(project, 'data', 'landing'), { recursive: true });
    writeFileSync(
      join(project, 'floe.yaml'),
      `storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }
tasks:
  minimumTriggerIntervalSeconds: 0
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: data/landing, File Filter: '.*\\.csv', Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`,
    );
    writeFileSync(
      join(project, 'sql', '01_pipeline.sql'),
      `CREATE DATABASE IF NOT EXISTS demo;
USE SCHEMA demo.public;
CREATE TABLE raw (id INT, name STRING);
CREATE STAGE st URL = 's3://floe-demo/stream/';
CREATE PIPE p AUTO_INGEST = TRUE AS COPY INTO raw FROM @st;
CREATE STREAM raw_s ON TABLE raw;
CREATE TABLE current_names (id INT, name STRING);
CREATE TASK apply WHEN SYSTEM$STREAM_HAS_DATA('RAW_S') AS
  MERGE INTO current_names c USING raw_s s ON c.id = s.id
  WHEN MATCHED THEN UPDATE SET name = s.name WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.name);
ALTER TASK apply RESUME;
`,
    );
    writeFileSync(join(project, 'data', 'landing', 'a.csv'), '1,ann\n2,bob\n');
    const out = spawnSync(process.execPath, [join(root, 'bin', 'floe.js'), 'run', '--project', project, '--once'], { encoding: 'utf8' });
    expect(out.stderr).toContain('project SQL: 9 run');
    expect(out.status).toBe(0);
    const e = await openEngine({ database: join(project, '.floe', 'warehouse.duckdb'), tasks: { scheduler: false } });
    try {
      const s = await e.session();
      const [names] = await s.query('SELECT id, name FROM demo.public.current_names ORDER BY id');
      expect(names.rows).toEqual([[1, 'ann'], [2, 'bob']]);
    } finally {
      await e.close();
    }
  });
});

describe('floe run: a minimal project', () => {
  it('runs the files floe.yaml lists under sql:, and refuses paths outside the project', async () => {
    const project = join(dir, 'p5');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'floe.yaml'), 'sql: [setup.sql]\n');
    writeFileSync(join(project, 'setup.sql'), 'CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n');
    const r = await runProject({ projectDir: project, openEngine, pipes: false });
    expect(r.steps.map((s) => [s.file, s.action])).toEqual([['setup.sql', 'run'], ['setup.sql', 'run']]);
    await r.stop();
    writeFileSync(join(project, 'floe.yaml'), 'sql: [../elsewhere.sql]\n');
    await expect(runProject({ projectDir: project, openEngine, pipes: false })).rejects.toThrow(/outside the project folder/);
  });
});
