/** `floe flow …` in-process through runCli, on a temporary project (docs/cli.md "floe flow"). */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { acquireLock, releaseLock } from '../../src/flow/flow-lock.js';

const YAML = `# the project's flows
storage: { buckets: { floe-demo: { type: local, path: bucket } } }
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: landing, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File } }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}', Secret Access Key: '\${SECRET}', Access Key ID: AKIA }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
      - { from: fetch, relationship: [not.found, permission.denied, failure], to: put }
`;

async function floe(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout: out,
    stderr: err,
    env: { NO_COLOR: '1', SECRET: 'very-secret' },
    cwd: dir,
    homedir: dir,
    openEngine: () => Promise.reject(new Error('no warehouse in flow tests')),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('floe flow', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'floe-cli-flow-'));
    await writeFile(join(dir, 'floe.yaml'), YAML);
    await mkdir(join(dir, 'landing'));
    await writeFile(join(dir, 'landing', 'a.csv'), 'a\n');
    await writeFile(join(dir, 'landing', 'b.csv'), 'b\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('validate, run --once, status, provenance --lineage', async () => {
    expect(await floe(dir, 'flow', 'validate')).toMatchObject({ code: 0, stdout: 'flow ingest: valid (3 processors, 3 connections)\n' });
    const run = await floe(dir, 'flow', 'run', '--once');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ingest: 0 queued/);
    expect((await readdir(join(dir, 'bucket', 'stream'))).sort()).toEqual(['a.csv', 'b.csv']);
    const status = await floe(dir, 'flow', 'status', '--json', '--state');
    const json = JSON.parse(status.stdout);
    expect(json).toMatchObject({ flow: 'ingest', flowFilesQueued: 0, live: false });
    // Tracked until the next listing sees they are gone.
    expect(Object.keys(json.state.list as Record<string, string>).filter((k) => k.startsWith('entity:')).map((p) => p.slice(-5)).sort()).toEqual(['a.csv', 'b.csv']);
    const lineage = await floe(dir, 'flow', 'provenance', '--filename', 'a.csv', '--lineage');
    expect(lineage.stdout.trim().split('\n').map((l) => / (CREATE|FETCH|SEND|DROP) /.exec(l)?.[1])).toEqual(['CREATE', 'FETCH', 'SEND', 'DROP']);
    const json2 = await floe(dir, 'flow', 'provenance', '--type', 'SEND', '--json');
    expect(json2.stdout.trim().split('\n').map((l) => JSON.parse(l).attributes['s3.key']).sort()).toEqual(['stream/a.csv', 'stream/b.csv']);
    expect(lineage.stdout).not.toContain('very-secret');
  });

  it('validate reports invalid processors with floe.yaml positions (exit 1)', async () => {
    await writeFile(join(dir, 'floe.yaml'), YAML.replace('autoTerminate: [success, failure]', 'autoTerminate: [success]'));
    const r = await floe(dir, 'flow', 'validate');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("floe.yaml:8:14: flows.ingest.processors.put: relationship 'failure' is neither connected to a processor nor auto-terminated\n");
  });

  it('malformed floe.yaml is a usage error naming the key and position (exit 2)', async () => {
    await writeFile(join(dir, 'floe.yaml'), YAML.replace('Completion Strategy: Delete File', 'Completion Strategy: Shred'));
    const r = await floe(dir, 'flow', 'status');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*floe\.yaml:7:\d+: flows\.ingest\.processors\.fetch\.properties\.Completion Strategy: 'Shred' is not allowed/);
  });

  it('export drops sensitive values; import writes the flow back into floe.yaml', async () => {
    const exported = await floe(dir, 'flow', 'export', '-o', 'ingest.json');
    expect(exported.code).toBe(0);
    const text = await readFile(join(dir, 'ingest.json'), 'utf8');
    expect(text).not.toContain('SECRET');
    expect(JSON.parse(text).flowContents.processors[2].sensitivePropertiesRemoved).toEqual(['Secret Access Key', 'Access Key ID']);
    expect((await floe(dir, 'flow', 'import', 'ingest.json')).stderr).toMatch(/already has a flow 'ingest'/);
    const imported = await floe(dir, 'flow', 'import', 'ingest.json', '--name', 'copy2');
    expect(imported.stdout).toContain('set the sensitive properties that were not exported: put.Secret Access Key, put.Access Key ID');
    const yaml = await readFile(join(dir, 'floe.yaml'), 'utf8');
    expect(yaml.startsWith("# the project's flows\n")).toBe(true);
    expect(yaml).toContain('copy2:');
    expect((await floe(dir, 'flow', 'validate', 'copy2')).code).toBe(0);
  });

  it('control commands change the saved run state; they refuse a flow running elsewhere', async () => {
    expect((await floe(dir, 'flow', 'stop', 'ingest', 'list')).stdout).toBe('ingest.list: Stopped\n');
    expect((await floe(dir, 'flow', 'disable', 'ingest', 'list')).stdout).toBe('ingest.list: Disabled\n');
    expect((await floe(dir, 'flow', 'start', 'ingest', 'list')).stderr).toMatch(/disabled; enable it/);
    expect((await floe(dir, 'flow', 'enable', 'ingest', 'list')).stdout).toBe('ingest.list: Stopped\n');
    const once = await floe(dir, 'flow', 'run-once', 'ingest', 'list');
    expect(once.stdout).toBe('ingest.list: Stopped\n');
    expect((await readdir(join(dir, 'bucket', 'stream'))).sort()).toEqual(['a.csv', 'b.csv']);
    expect((await floe(dir, 'flow', 'clear-state', 'ingest', 'list')).stdout).toBe('ingest.list: state cleared\n');
    expect((await floe(dir, 'flow', 'start', 'ingest', 'nope')).stderr).toMatch(/no processor 'nope' \(it has: list, fetch, put\)/);
    // Another live process holds the flow: simulate with our parent's pid in the lock file.
    const stateDir = join(dir, '.floe', 'flow', 'ingest');
    await writeFile(join(stateDir, 'lock'), String(process.ppid));
    const r = await floe(dir, 'flow', 'stop', 'ingest', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`flow 'ingest' is already running in process ${process.ppid}`);
    await rm(join(stateDir, 'lock'));
    await acquireLock(stateDir, 'ingest');
    await releaseLock(stateDir);
  });

  it('queue lists queued flowfiles; empty-queue drops them with DROP events', async () => {
    await floe(dir, 'flow', 'stop', 'ingest', 'fetch');
    await floe(dir, 'flow', 'run', '--once');
    const q = await floe(dir, 'flow', 'queue', 'ingest', 'list.success.fetch', '--json');
    expect(q.stdout.trim().split('\n').map((l) => JSON.parse(l).filename).sort()).toEqual(['a.csv', 'b.csv']);
    expect((await floe(dir, 'flow', 'queue', 'ingest', 'nope')).stderr).toMatch(/no connection 'nope' \(it has: list\.success\.fetch, /);
    expect((await floe(dir, 'flow', 'empty-queue', 'ingest', 'list.success.fetch')).stdout).toBe('ingest.list.success.fetch: 2 flowfile(s) dropped\n');
    expect((await floe(dir, 'flow', 'queue', 'ingest', 'list.success.fetch')).stdout).toBe('');
    const drops = await floe(dir, 'flow', 'provenance', '--type', 'DROP', '--json');
    expect(drops.stdout.trim().split('\n').map((l) => JSON.parse(l).details)).toEqual(['FlowFile Queue emptied by user', 'FlowFile Queue emptied by user']);
  });

  it('processors lists types and prints one processor’s reference', async () => {
    expect((await floe(dir, 'flow', 'processors')).stdout).toMatch(/^ListFile\s+Lists files/);
    expect((await floe(dir, 'flow', 'processors', 'PutS3Object')).stdout).toContain('| Object Key | `${filename}` |');
  });
});
