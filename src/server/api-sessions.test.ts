import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../engine/open-engine.js';
import type { Engine } from '../engine/engine-api.js';
import { ApiSessions } from './api-sessions.js';

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:', tasks: { scheduler: false } });
});
afterAll(async () => engine.close());

describe('API sessions', () => {
  it('keep session state across requests; one request at a time', async () => {
    const sessions = new ApiSessions(engine);
    const id = await sessions.open();
    const a = await sessions.acquire(id);
    await a.session.query('CREATE DATABASE api_s; USE SCHEMA api_s.public; CREATE TABLE t (x INT)');
    await expect(sessions.acquire(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await a.release();
    await a.release(); // idempotent
    const b = await sessions.acquire(id);
    expect((await b.session.query('SELECT CURRENT_SCHEMA()'))[0]!.rows).toEqual([['PUBLIC']]);
    expect((await b.session.query('SELECT COUNT(*) FROM t'))[0]!.rows).toEqual([[0]]);
    await b.release();
    await sessions.close(id);
    await expect(sessions.acquire(id)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await sessions.closeAll();
  });

  it('gives a request without a session a fresh one', async () => {
    const sessions = new ApiSessions(engine);
    const lease = await sessions.acquire(undefined);
    expect((await lease.session.query('SELECT 1'))[0]!.rows).toEqual([[1]]);
    await lease.release();
    expect(sessions.size).toBe(0);
    await sessions.closeAll();
  });

  it('closes a session deleted while busy when its request ends, and idle sessions after the timeout', async () => {
    let now = 0;
    const sessions = new ApiSessions(engine, 1000, () => now);
    const busy = await sessions.open();
    const lease = await sessions.acquire(busy);
    await sessions.close(busy);
    expect(sessions.size).toBe(1);
    await lease.release();
    expect(sessions.size).toBe(0);

    const idle = await sessions.open();
    now = 999;
    await sessions.sweep();
    expect(sessions.size).toBe(1);
    now = 1001;
    await sessions.sweep();
    await expect(sessions.acquire(idle)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await sessions.closeAll();
  });

  it('stop waits for running requests and refuses new ones', async () => {
    const sessions = new ApiSessions(engine);
    const lease = await sessions.acquire(await sessions.open());
    let stopped = false;
    const stopping = sessions.closeAll().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    await expect(sessions.acquire(undefined)).rejects.toMatchObject({ code: 'CONFLICT' });
    await lease.release();
    await stopping;
    expect(stopped).toBe(true);
  });
});
