/** Engine behaviour: back pressure, provenance and statistics, run control, Invalid processors, retries, expiration, routing, cron. */
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FlowEngine } from '../../src/flow/flow-engine.js';
import { exportFlow, importFlow } from '../../src/flow/flow-export.js';
import { toFlowDefinition } from '../../src/config/flows-config.js';
import { flowFromYaml, useFlowProject } from './flow-harness.js';

describe('flow engine', () => {
  const t = useFlowProject();
  const open = (yaml: string): Promise<FlowEngine> => t.open(yaml);
  const files = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await writeFile(join(t.dir, 'in', `f${String(i).padStart(3, '0')}.csv`), `row ${i}\n`);
  };

  it('scenario 21: back pressure is soft and stops scheduling the producer (NiFi: Respect Back Pressure false)', async () => {
    await files(25);
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 10 millis, properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: No Tracking, Respect Back Pressure: 'false' } }
      fetch: { type: FetchFile, state: STOPPED, autoTerminate: [success, not.found, permission.denied, failure] }
    connections:
      - { from: list, relationship: success, to: fetch, backPressureObjectThreshold: 10 }
`);
    e.start();
    await new Promise((r) => setTimeout(r, 300));
    await e.stop();
    const status = e.status();
    expect(status.connections[0]!.queuedCount).toBe(25); // one run overshoots; no second run while full
    expect(status.connections[0]!.backPressured).toBe(true);
    expect(status.processors.find((p) => p.id === 'list')!.fiveMinutes.tasks).toBe(1);
  });

  for (const strategy of ['Tracking Entities', 'Tracking Timestamps']) {
    it(`floe's default: ListFile emits only what fits under back pressure and the rest as soon as there is room (${strategy})`, async () => {
      await files(25);
      const old = new Date(t.clock.t - 60_000);
      for (let i = 0; i < 25; i++) await utimes(join(t.dir, 'in', `f${String(i).padStart(3, '0')}.csv`), old, new Date(old.getTime() + (i % 4) * 1000));
      const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 1 hour, properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: ${strategy}, Target System Timestamp Precision: millis } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      done:  { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: fetch, backPressureObjectThreshold: 10 }
      - { from: fetch, relationship: success, to: done }
`);
      await e.setRunStatus('fetch', 'STOPPED');
      await e.runOnce('list');
      const queue = e.connections.get('list.success.fetch')!;
      expect(queue.count).toBe(10); // not 25: the queue never holds more than its threshold
      await e.runOnce('list');
      expect(queue.count).toBe(10); // full: a run emits nothing and keeps its state
      await e.setRunStatus('fetch', 'RUNNING');
      e.start(); // the 1 hour schedule would wait; the cut-short listing runs again as soon as there is room
      for (let i = 0; i < 100 && e.connections.get('fetch.success.done')!.count < 25; i++) await new Promise((r) => setTimeout(r, 20));
      await e.stop();
      const names = e.connections.get('fetch.success.done')!.list().map((f) => f.attributes['filename']).sort();
      expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(3, '0')}.csv`)); // each file once
      expect(queue.count).toBe(0);
    });
  }

  it('a listing cut short continues where it stopped, without walking the folder again (No Tracking shows it)', async () => {
    await files(25);
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: No Tracking } }
      fetch: { type: FetchFile, state: STOPPED, autoTerminate: [success, not.found, permission.denied, failure] }
    connections:
      - { from: list, relationship: success, to: fetch, backPressureObjectThreshold: 10 }
`);
    const batch = async (): Promise<string[]> => {
      await e.runOnce('list');
      const names = e.connections.get('list.success.fetch')!.list().map((f) => f.attributes['filename']!);
      await e.emptyQueue('list.success.fetch');
      return names;
    };
    const runs = [await batch(), await batch(), await batch()];
    expect(runs.map((r) => r.length)).toEqual([10, 10, 5]);
    expect(new Set(runs.flat()).size).toBe(25); // each file once across the three runs of one listing
    expect(await batch()).toHaveLength(10); // the listing is done: the next run walks afresh (No Tracking lists all again)
  });

  it('one listing pass plus drain (floe flow run --once) delivers a listing bigger than the threshold whole', async () => {
    await files(25);
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [success, not.found, permission.denied, failure] }
    connections:
      - { from: list, relationship: success, to: fetch, backPressureObjectThreshold: 10 }
`);
    await e.runOnce('list');
    await e.drain();
    expect(await readdir(join(t.dir, 'in'))).toEqual([]);
    expect(await e.provenance.query({ eventType: 'CREATE' })).toHaveLength(25);
  });

  it('scenario 23: 4 provenance events per file; Out excludes auto-terminated; lineage', async () => {
    await files(3);
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutFile, properties: { Directory: out }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`);
    await e.runOnce('list');
    await e.drain();
    const events = await e.provenance.query();
    expect(events).toHaveLength(12);
    expect(events.filter((x) => x.eventType === 'SEND')).toHaveLength(3);
    const status = e.status();
    const put = status.processors.find((p) => p.id === 'put')!;
    expect(put.fiveMinutes.inCount).toBe(3);
    expect(put.fiveMinutes.outCount).toBe(0);
    expect(status.processors.find((p) => p.id === 'fetch')!.fiveMinutes).toMatchObject({ outCount: 3, writtenBytes: 3 * 'row 0\n'.length });
    const uuid = events.find((x) => x.eventType === 'SEND')!.flowFileUuid;
    expect((await e.provenance.lineage(uuid)).map((x) => x.eventType)).toEqual(['CREATE', 'FETCH', 'SEND', 'DROP']);
    expect((await readdir(join(t.dir, 'out'))).sort()).toEqual(['f000.csv', 'f001.csv', 'f002.csv']);
  });

  it('scenario 24: run control — RUN_ONCE, stale revision → conflict, state clear refused while running, auto-resume', async () => {
    await files(2);
    const yaml = `
flows:
  ingest:
    processors:
      list: { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      hold: { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: hold }
`;
    let e = await open(yaml);
    await expect(e.clearState('list')).rejects.toThrow(/running; stop it before clearing its state/);
    const rev = await e.setRunStatus('list', 'STOPPED', 0);
    await expect(e.setRunStatus('list', 'RUNNING', 0)).rejects.toMatchObject({ code: 'CONFLICT' });
    await e.setRunStatus('list', 'RUN_ONCE', rev);
    expect(e.status().connections[0]!.queuedCount).toBe(2);
    expect(e.status().processors[0]!.runStatus).toBe('Stopped');
    await e.setRunStatus('list', 'DISABLED');
    await expect(e.setRunStatus('list', 'RUNNING')).rejects.toThrow(/disabled/);
    await expect(e.setRunStatus('list', 'RUN_ONCE')).rejects.toThrow(/disabled/);
    expect(e.status().processors[0]!.runStatus).toBe('Disabled');
    e = await open(yaml); // restart: state and queue survive
    expect(e.status().processors[0]!.runStatus).toBe('Disabled');
    expect(e.status().connections[0]!.queuedCount).toBe(2);
    await e.clearState('list');
    expect(e.getState('list')).toEqual({});
  });

  it('an Invalid processor is reported in the status, never triggered and cannot be started; the rest of the flow runs', async () => {
    await files(3);
    // put misses its required Directory and leaves failure unconnected: the flow loads, put is Invalid.
    const flow = (put: string): string => `
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutFile, ${put} }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`;
    let e = await open(flow('autoTerminate: [success]'));
    const processor = (id: string) => e.status().processors.find((p) => p.id === id)!;
    expect(processor('put')).toMatchObject({
      runStatus: 'Invalid',
      validationErrors: ["'Directory' is required", "relationship 'failure' is neither connected to a processor nor auto-terminated"],
    });
    expect([processor('list').runStatus, processor('fetch').runStatus]).toEqual(['Running', 'Running']);
    await expect(e.runOnce('put')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/invalid: 'Directory' is required/) });
    await expect(e.setRunStatus('put', 'RUNNING')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/invalid and cannot be started/) });
    await expect(e.setRunStatus('put', 'RUN_ONCE')).rejects.toMatchObject({ code: 'CONFLICT' });

    // The scheduler runs list and fetch as usual; the fetched files wait in put's queue, put never runs.
    const queue = e.connections.get('fetch.success.put')!;
    e.start();
    for (let i = 0; i < 100 && queue.count < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100)); // time for put to be (wrongly) scheduled
    await e.stop();
    expect(queue.count).toBe(3);
    expect(await readdir(join(t.dir, 'in'))).toEqual([]); // FetchFile completed normally (Delete File)
    expect(processor('fetch').fiveMinutes).toMatchObject({ inCount: 3, outCount: 3 });
    expect(processor('put').fiveMinutes).toMatchObject({ tasks: 0, inCount: 0 });
    expect(await e.drain()).toBe(0); // drain (floe flow run --once) skips it too
    expect(await e.provenance.query({ eventType: 'SEND' })).toEqual([]);
    expect(await e.provenance.query({ eventType: 'FETCH' })).toHaveLength(3);

    // It may still be stopped (it stays Invalid); once the configuration is fixed it starts and works off its queue.
    await e.setRunStatus('put', 'STOPPED');
    expect(processor('put').runStatus).toBe('Invalid');
    e = await open(flow('properties: { Directory: out }, autoTerminate: [success, failure]'));
    expect(processor('put')).toMatchObject({ runStatus: 'Stopped', validationErrors: [] });
    await e.setRunStatus('put', 'RUNNING');
    await e.drain();
    expect((await readdir(join(t.dir, 'out'))).sort()).toEqual(['f000.csv', 'f001.csv', 'f002.csv']);
    expect(e.status().flowFilesQueued).toBe(0);
  });

  it('scenario 25: flow definition round trip keeps settings and drops sensitive values', () => {
    const yaml = `
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: '30 sec', properties: { Input Directory: in } }
      route: { type: RouteOnAttribute, concurrentTasks: 2, penaltyDuration: 10 sec, properties: { big: '\${file.size:gt(100)}' }, autoTerminate: [unmatched], retry: { relationships: [big], count: 3 } }
      log:   { type: LogAttribute, schedulingStrategy: CRON_DRIVEN, runSchedule: '0 0 * * * ?', autoTerminate: [success], state: STOPPED }
    connections:
      - { from: list, relationship: success, to: route, backPressureObjectThreshold: 50, backPressureDataSizeThreshold: 10 MB, flowFileExpiration: 1 hour, prioritizers: [OldestFlowFileFirst] }
      - { from: route, relationship: big, to: log }
`;
    const def = flowFromYaml(yaml);
    const exported = JSON.parse(JSON.stringify(exportFlow(def)));
    const back = importFlow(exported);
    expect(toFlowDefinition(back.name, { ...back.flow, connections: back.flow.connections })).toEqual(def);
    expect(exported.flowContents.processors[0].type).toBe('org.apache.nifi.processors.standard.ListFile');
  });

  it('automatic retry: back into the queue with a doubling penalty, then the relationship', async () => {
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: No Tracking } }
      fetch: { type: FetchFile, retry: { relationships: [not.found], count: 2, maxBackoff: 45 sec }, autoTerminate: [not.found, permission.denied, failure, success] }
    connections:
      - { from: list, relationship: success, to: fetch }
`);
    await files(1);
    await e.runOnce('list');
    await import('node:fs/promises').then((fs) => fs.rm(join(t.dir, 'in', 'f000.csv')));
    const q = e.connections.get('list.success.fetch')!;
    await e.runOnce('fetch');
    expect(q.list()[0]).toMatchObject({ retryCount: 1, penaltyExpiration: t.clock.t + 30_000 });
    expect(await e.drain()).toBe(0); // penalized: nothing to do
    t.clock.advance(30_001);
    await e.runOnce('fetch');
    expect(q.list()[0]).toMatchObject({ retryCount: 2, penaltyExpiration: t.clock.t + 45_000 }); // 60 s capped at 45 s
    t.clock.advance(45_001);
    await e.runOnce('fetch');
    expect(q.count).toBe(0);
    const types = (await e.provenance.query()).map((x) => x.eventType);
    expect(types.filter((t) => t === 'ROUTE')).toHaveLength(1); // retried attempts leave no events
    expect(types[0]).toBe('DROP');
  });

  it('flowfile expiration drops old flowfiles with an EXPIRE event', async () => {
    await files(1);
    const e = await open(`
flows:
  ingest:
    processors:
      list: { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      log:  { type: LogAttribute, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: log, flowFileExpiration: 1 min }
`);
    await e.runOnce('list');
    t.clock.advance(61_000);
    await e.drain();
    const [last] = await e.provenance.query();
    expect(last!.eventType).toBe('EXPIRE');
    expect(e.status().flowFilesQueued).toBe(0);
  });

  it('UpdateAttribute, RouteOnAttribute (fan-out clones), CompressContent, PutFile', async () => {
    await writeFile(join(t.dir, 'in', 'data.csv'), 'a,b\n'.repeat(100));
    const e = await open(`
flows:
  ingest:
    processors:
      list:   { type: ListFile, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      fetch:  { type: FetchFile, autoTerminate: [not.found, permission.denied, failure] }
      tag:    { type: UpdateAttribute, properties: { kind: "\${filename:substringAfterLast('.'):toUpper()}", day: "\${now():format('yyyy-MM-dd')}" } }
      route:  { type: RouteOnAttribute, properties: { csv: "\${kind:equals('CSV')}" }, autoTerminate: [unmatched] }
      gzip:   { type: CompressContent, properties: { Update Filename: 'true' }, autoTerminate: [failure] }
      put:    { type: PutFile, properties: { Directory: "out/\${kind}" }, autoTerminate: [success, failure] }
      log:    { type: LogAttribute, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: tag }
      - { from: tag, relationship: success, to: route }
      - { from: route, relationship: csv, to: gzip }
      - { from: route, relationship: csv, to: log }
      - { from: gzip, relationship: success, to: put }
`);
    await e.runOnce('list');
    await e.drain();
    const gz = await readFile(join(t.dir, 'out', 'CSV', 'data.csv.gz'));
    expect(gunzipSync(gz).toString()).toBe('a,b\n'.repeat(100));
    const types = (await e.provenance.query()).map((x) => x.eventType);
    expect(types).toContain('CLONE');
    expect(types).toContain('CONTENT_MODIFIED');
    expect(e.status().flowFilesQueued).toBe(0);
  });

  it('a CRON_DRIVEN processor is triggered at its cron times: not at start, not in between', async () => {
    // The scheduler reads the engine's clock, so the test moves it to each fire time instead of waiting for it.
    // Fires every 5 minutes at second 0, in local time (NiFi's 6-field syntax, an increment with a start value).
    const first = new Date(2026, 0, 5, 10, 5, 0).getTime();
    const second = first + 5 * 60_000;
    await files(1);
    await utimes(join(t.dir, 'in', 'f000.csv'), new Date(first - 3_600_000), new Date(first - 3_600_000));
    t.clock.t = first - 1;
    const e = await open(`
flows:
  ingest:
    processors:
      list: { type: ListFile, schedulingStrategy: CRON_DRIVEN, runSchedule: '0 0/5 * * * ?', properties: { Input Directory: in, Minimum File Age: 0 sec, Listing Strategy: No Tracking } }
      hold: { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: hold }
`);
    // No Tracking lists the one file on every run: the queued flowfiles count the triggers, their CREATE
    // events carry the engine time of each trigger.
    const queue = e.connections.get('list.success.hold')!;
    const triggers = async (): Promise<number[]> => (await e.provenance.query({ eventType: 'CREATE' })).map((x) => x.eventTime).reverse();
    const waitForCount = async (n: number): Promise<void> => {
      for (const deadline = Date.now() + 5000; queue.count < n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    };
    e.start();
    await new Promise((r) => setTimeout(r, 100)); // a timer-driven processor would have run at once
    expect(queue.count).toBe(0);
    t.clock.t = first;
    await waitForCount(1);
    expect(await triggers()).toEqual([first]);
    t.clock.t = second - 1;
    await new Promise((r) => setTimeout(r, 1100)); // the scheduler looks at least once a second
    expect(queue.count).toBe(1);
    t.clock.t = second;
    await waitForCount(2);
    await e.stop();
    expect(await triggers()).toEqual([first, second]);
    expect(e.status().processors.find((p) => p.id === 'list')!.fiveMinutes.tasks).toBe(2);
  });

  it('the scheduler runs the whole flow by itself once started', async () => {
    await files(5);
    const e = await open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, runSchedule: 50 millis, properties: { Input Directory: in, Minimum File Age: 0 sec } }
      fetch: { type: FetchFile, concurrentTasks: 2, batchSize: 2, properties: { Completion Strategy: Delete File }, autoTerminate: [not.found, permission.denied, failure] }
      put:   { type: PutFile, properties: { Directory: out }, autoTerminate: [success, failure] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`);
    t.clock.t = Date.now() + 5000;
    e.start();
    for (let i = 0; i < 100 && (await readdir(join(t.dir, 'out')).catch(() => [])).length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    await e.stop();
    expect((await readdir(join(t.dir, 'out'))).length).toBe(5);
    expect(await readdir(join(t.dir, 'in'))).toEqual([]);
  });
});
