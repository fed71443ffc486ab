/**
 * The HTTP API of a real `floe run` child process (docs/http-api.md): token auth, SQL over HTTP, `floe sql`,
 * `floe status` and `floe flow …` against the live process, flow control with revisions, provenance, and
 * server.json removed on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { serverFilePath } from '../../src/server/server-file.js';
import { connectServer } from '../../src/server/client/api-client.js';
import { RemoteSession } from '../../src/server/client/remote-session.js';
import { runRepl } from '../../src/cli/repl/repl.js';
import { createFormatter } from '../../src/cli/format/formatters.js';
import { api, floe, FLOE_BIN, startFloeRun, waitFor, type FloeRun } from './floe-run-process.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-api-'));
const project = join(dir, 'p');
let run: FloeRun;

const YAML = `storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }
tasks:
  minimumTriggerIntervalSeconds: 0
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 100 millis, properties: { Input Directory: data/landing, File Filter: '.*\\.csv', Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`;

const SETUP = `CREATE DATABASE IF NOT EXISTS demo;
USE SCHEMA demo.public;
CREATE TABLE raw (id INT, name STRING);
CREATE STAGE st URL = 's3://floe-demo/stream/';
CREATE PIPE p AUTO_INGEST = TRUE AS COPY INTO raw FROM @st;
CREATE TASK hourly SCHEDULE = '60 MINUTE' AS SELECT 1;
`;

beforeAll(async () => {
  mkdirSync(join(project, 'sql'), { recursive: true });
  mkdirSync(join(project, 'data', 'landing'), { recursive: true });
  writeFileSync(join(project, 'floe.yaml'), YAML);
  writeFileSync(join(project, 'sql', '01_setup.sql'), SETUP);
  run = await startFloeRun(project);
}, 120_000);

afterAll(async () => {
  await run?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const lines = async (res: Response): Promise<Array<Record<string, unknown>>> =>
  (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('floe run serves the HTTP API', () => {
  it('binds loopback and requires the bearer token of server.json', async () => {
    expect(run.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stderr()).not.toContain(run.info.token);
    for (const token of [null, 'wrong', `${run.info.token}x`]) {
      const res = await api(run.info, 'GET', '/v1/status', undefined, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="floe"');
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    const sql = await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT 1' }, null);
    expect(sql.status).toBe(401);
    expect((await api(run.info, 'GET', '/v1/ping')).status).toBe(200);
  });

  it('a second floe run of the project is refused while this one serves it', async () => {
    const second = await floe(dir, 'run', '--project', 'p', '--once');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`floe run is already running for this project (pid ${run.info.pid}, API ${run.info.url})`);
  });

  it('POST /v1/sql streams floe sql --format json lines; statement errors are lines, bad requests are 4xx', async () => {
    const res = await api(run.info, 'POST', '/v1/sql', { sql: "INSERT INTO demo.public.raw VALUES (100, 'http'); SELECT name FROM demo.public.raw WHERE id = 100; SELECT 1/0; SELECT 2" });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(await lines(res)).toEqual([
      { statement: 1, sql: "INSERT INTO demo.public.raw VALUES (100, 'http')", columns: ['number of rows inserted'], rows: [[1]] },
      { statement: 2, sql: 'SELECT name FROM demo.public.raw WHERE id = 100', columns: ['NAME'], rows: [['http']] },
      { statement: 3, sql: 'SELECT 1/0', error: { code: 'SQL_EXECUTION', message: 'Division by zero', snowflakeCode: '100000', location: expect.any(Object) } },
    ]);
    const cont = await lines(await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT 1/0; SELECT 2', continueOnError: true, firstStatement: 5 }));
    expect(cont.map((l) => [l.statement, l.rows ?? 'error'])).toEqual([[5, 'error'], [6, [[2]]]]);

    expect((await api(run.info, 'POST', '/v1/sql', '{not json')).status).toBe(400);
    const noSql = await api(run.info, 'POST', '/v1/sql', { query: 'SELECT 1' });
    expect(noSql.status).toBe(400);
    expect(((await noSql.json()) as { error: { message: string } }).error.message).toMatch(/request body/);
    expect((await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT 1', session: 'nope' })).status).toBe(404);
    expect((await api(run.info, 'GET', '/v1/nothing')).status).toBe(404);
    const big = await api(run.info, 'POST', '/v1/sql', JSON.stringify({ sql: `SELECT '${'x'.repeat(16 * 1024 * 1024)}'` }));
    expect(big.status).toBe(413);
  });

  it('sessions keep USE across requests', async () => {
    const created = await api(run.info, 'POST', '/v1/sessions');
    expect(created.status).toBe(201);
    const { session } = (await created.json()) as { session: string };
    await lines(await api(run.info, 'POST', '/v1/sql', { sql: 'USE SCHEMA demo.public', session }));
    const [row] = await lines(await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT COUNT(*) FROM raw WHERE id = 100', session }));
    expect(row!.rows).toEqual([[1]]);
    expect((await api(run.info, 'DELETE', `/v1/sessions/${session}`)).status).toBe(204);
    expect((await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT 1', session })).status).toBe(404);
  });

  it('floe sql --project runs against the live process with the usual formats and exit codes', async () => {
    const ddl = await floe(dir, 'sql', '--project', 'p', '-q', 'CREATE TABLE demo.public.cli_t (x INT)', '-q', 'USE SCHEMA demo.public', '-q', 'INSERT INTO cli_t VALUES (1), (2)');
    expect(ddl.stderr).toBe('');
    expect(ddl.code).toBe(0);
    expect(ddl.stdout).toContain('Table CLI_T successfully created.');
    expect(ddl.stdout).toContain('number of rows inserted');

    const table = await floe(dir, 'sql', '--project', 'p', '-q', 'SELECT x, x * 1.5 AS y FROM demo.public.cli_t ORDER BY x');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\| X \| +Y \|/);
    expect(table.stdout).toMatch(/\| 2 \| +3\.0 \|/);

    const json = await floe(dir, 'sql', '--project', 'p', '--format', 'json', '--continue-on-error', '-q', 'SELECT 12345678901234567890::NUMBER(38,0) AS big, 1.25::NUMBER(10,2) AS d', '-q', 'SELECT nope FROM demo.public.cli_t', '-q', 'SELECT COUNT(*) AS n FROM demo.public.cli_t');
    expect(json.code).toBe(1);
    const out = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ statement: 1, sql: 'SELECT 12345678901234567890::NUMBER(38,0) AS big, 1.25::NUMBER(10,2) AS d', columns: ['BIG', 'D'], rows: [['12345678901234567890', 1.25]] });
    expect(out[1]).toMatchObject({ statement: 2, error: { code: 'SQL_COMPILATION' } });
    expect(out[2]).toMatchObject({ statement: 3, rows: [[2]] });
    expect(json.stdout).toContain('"rows":[["12345678901234567890",1.25]]'); // exact digits, as a local run prints

    const csv = await floe(dir, 'sql', '--project', 'p', '--format', 'csv', '-q', "SELECT 'a,b' AS s, NULL AS n");
    expect(csv.stdout).toBe('S,N\n"a,b",\n');
  });

  it('the interactive shell runs on a remote session (USE persists between lines)', async () => {
    const client = await connectServer(project);
    expect(client?.info.pid).toBe(run.info.pid);
    const session = await RemoteSession.open(client!);
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    input.end('USE SCHEMA demo.public;\nSELECT COUNT(*) AS n\n  FROM cli_t;\nSELECT 1/0;\n!quit\n');
    await runRepl({ session, input, output, formatter: createFormatter('json', { stdout: output, stderr: output, env: {} }), terminal: false });
    await session.close();
    // Prompts share the output with the JSON lines.
    const out = text.split('\n').filter((l) => l.includes('{')).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Record<string, unknown>);
    expect(out.map((o) => [o.statement, o.rows ?? (o.error as { code: string }).code])).toEqual([[1, [['Statement executed successfully.']]], [2, [[2]]], [3, 'SQL_EXECUTION']]);
  });

  it('a separate `floe sql` process: error → exit 1 and nothing after it runs', async () => {
    const child = spawn(process.execPath, [FLOE_BIN, 'sql', '--project', project, '-q', 'SELECT 1/0; INSERT INTO demo.public.cli_t VALUES (99)'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(stderr).toContain('100000 (SQL_EXECUTION): Division by zero');
    expect(code).toBe(1);
    const [row] = await lines(await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT COUNT(*) FROM demo.public.cli_t WHERE x = 99' }));
    expect(row!.rows).toEqual([[0]]);
  });

  it('a file landing goes flow → bucket → pipe; provenance and lineage over HTTP and the CLI', async () => {
    writeFileSync(join(project, 'data', 'landing', 'a.csv'), '1,ann\n2,bob\n');
    await waitFor('the pipe to load a.csv', async () => {
      const [row] = await lines(await api(run.info, 'POST', '/v1/sql', { sql: 'SELECT COUNT(*) FROM demo.public.raw WHERE id IN (1, 2)' }));
      return (row!.rows as number[][])[0]![0] === 2 ? true : undefined;
    });
    const prov = (await (await api(run.info, 'GET', '/v1/flows/ingest/provenance?filename=a.csv')).json()) as { events: Array<{ eventType: string; componentId: string }> };
    expect(prov.events.map((e) => e.eventType)).toEqual(expect.arrayContaining(['CREATE', 'SEND']));
    const limited = (await (await api(run.info, 'GET', '/v1/flows/ingest/provenance?filename=a.csv&type=SEND&limit=1')).json()) as { events: Array<{ eventType: string }> };
    expect(limited.events.map((e) => e.eventType)).toEqual(['SEND']);
    const lineage = (await (await api(run.info, 'GET', '/v1/flows/ingest/lineage?filename=a.csv')).json()) as { events: Array<{ eventTime: number }> };
    expect(lineage.events.length).toBeGreaterThanOrEqual(prov.events.length);
    expect(lineage.events.map((e) => e.eventTime)).toEqual([...lineage.events.map((e) => e.eventTime)].sort((a, b) => a - b));
    expect((await api(run.info, 'GET', '/v1/flows/ingest/provenance?type=NOPE')).status).toBe(400);
    expect((await api(run.info, 'GET', '/v1/flows/ingest/lineage?filename=never.csv')).status).toBe(400);

    const cli = await floe(dir, 'flow', 'provenance', 'ingest', '--project', 'p', '--filename', 'a.csv', '--lineage', '--json');
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { eventId: number }).eventId)).toEqual(lineage.events.map((e) => (e as unknown as { eventId: number }).eventId));
  });

  it('flow status and run-status changes, with NiFi revisions (stale → 409)', async () => {
    const flows = (await (await api(run.info, 'GET', '/v1/flows')).json()) as { flows: Array<{ flow: string; live: boolean }> };
    expect(flows.flows.map((f) => [f.flow, f.live])).toEqual([['ingest', true]]);
    const status = (await (await api(run.info, 'GET', '/v1/flows/ingest?state=true')).json()) as {
      processors: Array<{ id: string; runStatus: string; revision: number }>;
      connections: Array<{ id: string }>;
      state: Record<string, Record<string, string>>;
      runningPid: number;
    };
    expect(status.runningPid).toBe(run.info.pid);
    expect(status.processors.map((p) => [p.id, p.runStatus])).toEqual([['list', 'Running'], ['fetch', 'Running'], ['put', 'Running']]);
    expect(Object.keys(status.state)).toEqual(['list', 'fetch', 'put']);
    const revision = status.processors[0]!.revision;

    const stale = await api(run.info, 'POST', '/v1/flows/ingest/processors/list/stop', { revision: revision + 5 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining('stale') } });
    const stopped = await api(run.info, 'POST', '/v1/flows/ingest/processors/list/stop', { revision });
    expect(await stopped.json()).toEqual({ flow: 'ingest', processor: 'list', runStatus: 'Stopped', revision: revision + 1 });
    expect((await api(run.info, 'POST', '/v1/flows/ingest/processors/list/enable', {})).status).toBe(409); // not disabled
    expect((await api(run.info, 'POST', '/v1/flows/ingest/processors/nope/stop', {})).status).toBe(404);
    expect((await api(run.info, 'POST', '/v1/flows/nope/start', {})).status).toBe(404);
    expect((await api(run.info, 'POST', '/v1/flows/ingest/processors/list/explode', {})).status).toBe(404);

    const all = (await (await api(run.info, 'POST', '/v1/flows/ingest/stop', {})).json()) as { processors: Array<{ runStatus: string }> };
    expect(all.processors.map((p) => p.runStatus)).toEqual(['Stopped', 'Stopped', 'Stopped']);
    expect((await api(run.info, 'POST', '/v1/flows/ingest/processors/list/clear-state', {})).status).toBe(200);
    const dropped = (await (await api(run.info, 'POST', '/v1/flows/ingest/connections/list.success.fetch/empty-queue', {})).json()) as { dropped: number };
    expect(dropped.dropped).toBe(0);
    const started = (await (await api(run.info, 'POST', '/v1/flows/ingest/start', {})).json()) as { processors: Array<{ runStatus: string }> };
    expect(started.processors.map((p) => p.runStatus)).toEqual(['Running', 'Running', 'Running']);

    // The CLI goes through the server (opening the flow here would conflict with the running process's lock).
    const stop = await floe(dir, 'flow', 'stop', 'ingest', 'fetch', '--project', 'p');
    expect(stop).toMatchObject({ code: 0, stdout: 'ingest.fetch: Stopped\n' });
    const text = await floe(dir, 'flow', 'status', 'ingest', '--project', 'p');
    expect(text.stdout).toContain(`flow ingest (running in process ${run.info.pid})`);
    expect(text.stdout).toMatch(/fetch +FetchFile +Stopped/);
    expect(text.stdout).not.toContain('flow not running');
    const start = await floe(dir, 'flow', 'start', 'ingest', 'fetch', '--project', 'p');
    expect(start).toMatchObject({ code: 0, stdout: 'ingest.fetch: Running\n' });
    const missing = await floe(dir, 'flow', 'start', 'ingest', 'nope', '--project', 'p');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("has no processor 'nope'");
  });

  it('GET /v1/status and floe status: pipes, tasks, flows, uptime, memory', async () => {
    const status = (await (await api(run.info, 'GET', '/v1/status')).json()) as Record<string, any>;
    expect(status).toMatchObject({ source: 'server', server: { pid: run.info.pid, url: run.info.url } });
    expect(status.server.uptimeSeconds).toBeGreaterThanOrEqual(0);
    // The serving process's memory and DuckDB's (no memoryLimit in this floe.yaml: DuckDB's default limit).
    expect(status.memory.rssBytes).toBeGreaterThan(10e6);
    expect(status.memory.warehouse.usedBytes).toBeGreaterThanOrEqual(status.memory.warehouse.indexBytes);
    expect(status.memory.warehouse.limitBytes).toBeGreaterThan(10e6);
    expect(status.memory.warehouse.configuredBytes).toBeUndefined();
    expect(status.pipes).toEqual([
      expect.objectContaining({ name: 'DEMO.PUBLIC.P', status: expect.objectContaining({ executionState: 'RUNNING', pendingFileCount: 0, lastIngestedFilePath: 'a.csv' }) }),
    ]);
    expect(status.tasks).toEqual([expect.objectContaining({ name: 'DEMO.PUBLIC.HOURLY', state: 'suspended', schedule: '60 MINUTE', lastRun: null })]);
    expect(status.flows.map((f: { flow: string }) => f.flow)).toEqual(['ingest']);

    const json = await floe(dir, 'status', '--project', 'p', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ source: 'server', pipes: [{ name: 'DEMO.PUBLIC.P' }], tasks: [{ name: 'DEMO.PUBLIC.HOURLY' }] });
    const text = await floe(dir, 'status', '--project', 'p');
    expect(text.stdout).toContain(`running (floe run pid ${run.info.pid}`);
    expect(text.stdout).toMatch(/\nmemory: process [\d,]+ MB · warehouse [\d,]+ of [\d,]+ MB · indexes [\d,]+ MB\n/);
    expect(text.stdout).toMatch(/DEMO\.PUBLIC\.P +RUNNING +pending 0 +last load .* a\.csv/);
    expect(text.stdout).toMatch(/DEMO\.PUBLIC\.HOURLY +suspended +schedule 60 MINUTE +never ran/);
  });

  it('SIGTERM stops cleanly and removes server.json; then the CLI opens the warehouse itself', async () => {
    expect(await run.stop('SIGTERM')).toBe(0);
    expect(run.stderr()).toContain('stopping…');
    expect(existsSync(serverFilePath(project))).toBe(false);
    const local = await floe(dir, 'sql', '--project', 'p', '--format', 'json', '-q', 'SELECT COUNT(*) AS n FROM demo.public.raw');
    expect(local.stdout).toBe('{"statement":1,"sql":"SELECT COUNT(*) AS n FROM demo.public.raw","columns":["N"],"rows":[[3]]}\n');
    const status = await floe(dir, 'status', '--project', 'p', '--json');
    const offline = JSON.parse(status.stdout) as Record<string, any>;
    expect(offline).toMatchObject({ source: 'warehouse', pipes: [{ name: 'DEMO.PUBLIC.P' }], tasks: [{ name: 'DEMO.PUBLIC.HOURLY' }] });
    expect(offline.flows.map((f: { flow: string; live: boolean }) => [f.flow, f.live])).toEqual([['ingest', false]]);
    expect(offline.server).toBeUndefined();
  });
});
