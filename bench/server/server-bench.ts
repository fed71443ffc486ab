/**
 * `floe run` runtime figures, each next to a baseline from the same run:
 *   1. Landing → loaded latency: a file dropped into `data/landing/` goes ListFile → FetchFile → PutS3Object into
 *      a local bucket → pipe → committed load. With the engine and flows sharing one bucket registry (what
 *      `floe run` does) vs. separate registries (the pipe learns of the put only through the folder watcher).
 *   2. SQL over the HTTP API: small statements through `POST /v1/sql` (one HTTP request each, JSON lines) on a
 *      server-side session vs. the same statements on an in-process session; and with a fresh session per
 *      request (the API's default) vs. opening, using and closing an in-process session per statement.
 * Sizes: FLOE_BENCH_LATENCY_FILES (default 40), FLOE_BENCH_HTTP_STATEMENTS (default 300).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../src/engine/open-engine.js';
import { runProject, type RunningProject } from '../../src/runtime/run-project.js';
import { flowServices } from '../../src/runtime/flow-services.js';
import { FlowEngine } from '../../src/flow/flow-engine.js';
import { startApiServer } from '../../src/server/api-server.js';

const FILES = Number(process.env['FLOE_BENCH_LATENCY_FILES'] ?? 40);
const STATEMENTS = Number(process.env['FLOE_BENCH_HTTP_STATEMENTS'] ?? 300);

const YAML = `storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 20 millis, yieldDuration: 20 millis, properties: { Input Directory: data/landing, Minimum File Age: 0 sec, Target System Timestamp Precision: millis } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutS3Object, properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
sql: [setup.sql]
`;

const SETUP = `CREATE TABLE raw (id INT, name STRING);
CREATE STAGE st URL = 's3://floe-demo/stream/';
CREATE PIPE p AUTO_INGEST = TRUE AS COPY INTO raw FROM @st;
`;

async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'floe-server-bench-'));
  await mkdir(join(dir, 'data', 'landing'), { recursive: true });
  await writeFile(join(dir, 'floe.yaml'), YAML);
  await writeFile(join(dir, 'setup.sql'), SETUP);
  return dir;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Drops files one at a time and times each until its pipe load commits. */
async function landingLatency(dir: string, running: RunningProject): Promise<number[]> {
  const waiting = new Map<string, () => void>();
  running.engine.pipes.onLoad((load) => {
    for (const f of load.files) waiting.get(f.path)?.();
  });
  const times: number[] = [];
  for (let i = 0; i < FILES; i++) {
    const name = `f${String(i).padStart(4, '0')}.csv`;
    const done = new Promise<void>((r) => waiting.set(name, r));
    const t0 = performance.now();
    await writeFile(join(dir, 'data', 'landing', name), `${i},n${i}\n`);
    await done;
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

async function shared(): Promise<number[]> {
  const dir = await project();
  const running = await runProject({ projectDir: dir, openEngine });
  try {
    return await landingLatency(dir, running);
  } finally {
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The wiring before the shared registry: the flow writes through its own store object. */
async function separate(): Promise<number[]> {
  const dir = await project();
  const running = await runProject({ projectDir: dir, openEngine, flows: false });
  const handle = flowServices(running.project.config.storage, dir, process.env);
  const def = (await import('../../src/config/flows-config.js')).toFlowDefinition('ingest', running.project.config.flows['ingest']!);
  const flow = await FlowEngine.open(def, { projectDir: dir, services: handle.services });
  flow.start();
  try {
    return await landingLatency(dir, running);
  } finally {
    await flow.close();
    await handle.close();
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

interface HttpFigures {
  httpSession: number;
  localSession: number;
  httpFresh: number;
  localFresh: number;
}

/** ms per statement, median of `STATEMENTS` runs (the machine is shared: medians resist the noise). */
async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < STATEMENTS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

async function httpSql(): Promise<HttpFigures> {
  const dir = await project();
  const running = await runProject({ projectDir: dir, openEngine, pipes: false, flows: false });
  const api = await startApiServer({ projectDir: dir, engine: running.engine, flows: [] });
  const headers = { authorization: `Bearer ${api.info.token}` };
  const post = async (body: object): Promise<string> => (await fetch(`${api.url}/v1/sql`, { method: 'POST', headers, body: JSON.stringify(body) })).text();
  try {
    const sql = 'SELECT id, name FROM raw WHERE id = 1';
    const { session: id } = (await (await fetch(`${api.url}/v1/sessions`, { method: 'POST', headers })).json()) as { session: string };
    const session = await running.engine.session();
    const figures: HttpFigures = {
      httpSession: await median(() => post({ sql, session: id })),
      localSession: await median(() => session.query(sql)),
      httpFresh: await median(() => post({ sql })),
      localFresh: await median(async () => {
        const s = await running.engine.session();
        await s.query(sql);
        await s.close();
      }),
    };
    await session.close();
    return figures;
  } finally {
    await api.close();
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runServerBench(): Promise<void> {
  console.log(`\n== floe run: landing → loaded latency (${FILES} files, one at a time)`);
  const fmt = (t: number[]): string => `p50 ${percentile(t, 50).toFixed(0)} ms, p99 ${percentile(t, 99).toFixed(0)} ms, max ${t[t.length - 1]!.toFixed(0)} ms`;
  const a = await shared();
  const b = await separate();
  console.log(`  shared registry (floe run):         ${fmt(a)}`);
  console.log(`  separate registries (watcher path): ${fmt(b)}`);
  console.log(`\n== SQL over the HTTP API (${STATEMENTS} small queries, median ms per statement)`);
  const f = await httpSql();
  console.log(`  POST /v1/sql with a session:   ${f.httpSession.toFixed(2)} ms   in-process session: ${f.localSession.toFixed(2)} ms   (HTTP ${(f.httpSession - f.localSession).toFixed(2)} ms)`);
  console.log(`  POST /v1/sql, fresh session:   ${f.httpFresh.toFixed(2)} ms   in-process open + query + close: ${f.localFresh.toFixed(2)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runServerBench();
