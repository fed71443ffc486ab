/**
 * One behaviour suite for every ObjectStore adapter (and any in-memory fake used in unit tests): each
 * adapter's test file calls `objectStoreConformance` with a factory for a fresh, empty bucket.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectCreatedEvent, ObjectStore } from '../../src/core/ports/object-store.js';

export interface ConformanceBucket {
  readonly store: ObjectStore;
  /** Writes an object the way another process would (not through the port), for external events. */
  writeExternal(key: string, body: Uint8Array): Promise<void>;
  teardown(): Promise<void>;
}

const md5 = (b: Uint8Array | string) => createHash('md5').update(b).digest('hex');

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function keys(store: ObjectStore, prefix?: string, options?: { startAfter?: string; pageSize?: number }) {
  const out: string[] = [];
  for await (const o of store.list(prefix, options)) out.push(o.key);
  return out;
}

/** Waits until `events` holds an event for `key` (events are at-least-once, so no exact counts). */
async function waitForEvent(events: ObjectCreatedEvent[], key: string, timeoutMs = 10_000): Promise<ObjectCreatedEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = events.find((x) => x.key === key);
    if (e) return e;
    if (Date.now() > deadline) throw new Error(`no object-created event for '${key}' (got ${JSON.stringify(events.map((x) => x.key))})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function objectStoreConformance(name: string, create: () => Promise<ConformanceBucket>): void {
  describe(`object store conformance: ${name}`, () => {
    let b: ConformanceBucket;
    let store: ObjectStore;
    beforeEach(async () => {
      b = await create();
      store = b.store;
    });
    afterEach(async () => {
      await b.teardown();
    });

    it('puts bytes and text and reads them back with size, md5 etag and last-modified', async () => {
      const before = Date.now() - 2000;
      const info = await store.put('in/a.csv', Buffer.from('1,x\n2,y\n'));
      expect(info).toMatchObject({ key: 'in/a.csv', size: 8, etag: md5('1,x\n2,y\n') });
      await store.put('in/b.txt', 'héllo');
      expect(Buffer.from(await store.getBytes('in/a.csv')).toString()).toBe('1,x\n2,y\n');
      expect((await collect(await store.getStream('in/b.txt'))).toString('utf8')).toBe('héllo');
      const head = await store.head('in/b.txt');
      expect(head).toMatchObject({ key: 'in/b.txt', size: Buffer.byteLength('héllo'), etag: md5('héllo') });
      expect(head!.lastModified.getTime()).toBeGreaterThan(before);
      expect(head!.lastModified.getTime()).toBeLessThan(Date.now() + 2000);
    });

    it('streams a put of several chunks', async () => {
      const chunks = ['a,1\n', 'b,2\n', 'c,3\n'].map((s) => Buffer.from(s));
      const info = await store.put('s/stream.csv', Readable.from(chunks));
      expect(info.size).toBe(12);
      expect(Buffer.from(await store.getBytes('s/stream.csv')).toString()).toBe('a,1\nb,2\nc,3\n');
    });

    it('overwrites an object: new content, new etag', async () => {
      const first = await store.put('f.csv', 'one');
      const second = await store.put('f.csv', 'two!');
      expect(second.etag).not.toBe(first.etag);
      expect(Buffer.from(await store.getBytes('f.csv')).toString()).toBe('two!');
      expect((await store.head('f.csv'))!.size).toBe(4);
    });

    it('reports missing objects: head → undefined, get → STORAGE error naming the key', async () => {
      expect(await store.head('nope/x.csv')).toBeUndefined();
      await expect(store.getBytes('nope/x.csv')).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('nope/x.csv') });
      await expect(store.getStream('nope/x.csv')).rejects.toMatchObject({ code: 'STORAGE' });
    });

    it('lists by literal prefix in key order, with metadata', async () => {
      for (const k of ['p1/b.csv', 'p1/a.csv', 'p1-x/c.csv', 'p1/sub/d.csv', 'p10/e.csv', 'q/f.csv']) await store.put(k, k);
      expect(await keys(store, 'p1/')).toEqual(['p1/a.csv', 'p1/b.csv', 'p1/sub/d.csv']);
      // A prefix is not a directory: `p1` also matches `p1-x/…` and `p10/…` (S3 byte order: '-' < '/' < '0').
      expect(await keys(store, 'p1')).toEqual(['p1-x/c.csv', 'p1/a.csv', 'p1/b.csv', 'p1/sub/d.csv', 'p10/e.csv']);
      expect(await keys(store, 'p1/s')).toEqual(['p1/sub/d.csv']);
      expect(await keys(store, 'zzz/')).toEqual([]);
      expect((await keys(store)).length).toBe(6);
      const listed = [];
      for await (const o of store.list('q/')) listed.push(o);
      expect(listed).toEqual([{ key: 'q/f.csv', size: 7, etag: md5('q/f.csv'), lastModified: expect.any(Date) }]);
    });

    it('pages through long listings and resumes after a key', async () => {
      const all = Array.from({ length: 7 }, (_, i) => `pg/${String(i).padStart(2, '0')}.csv`);
      for (const k of all) await store.put(k, 'x');
      expect(await keys(store, 'pg/', { pageSize: 2 })).toEqual(all);
      expect(await keys(store, 'pg/', { startAfter: 'pg/04.csv', pageSize: 2 })).toEqual(all.slice(5));
    });

    it('keeps keys with spaces, plus signs and non-ASCII characters exact', async () => {
      const key = 'odd/a b+c/ü €.csv';
      await store.put(key, 'x');
      expect(await keys(store, 'odd/')).toEqual([key]);
      expect(Buffer.from(await store.getBytes(key)).toString()).toBe('x');
    });

    it('deletes objects; deleting a missing object is not an error', async () => {
      await store.put('d/1.csv', '1');
      await store.delete('d/1.csv');
      expect(await store.head('d/1.csv')).toBeUndefined();
      expect(await keys(store, 'd/')).toEqual([]);
      await store.delete('d/1.csv');
    });

    it('rejects an empty key', async () => {
      await expect(store.put('', 'x')).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('empty key') });
    });

    it('round-trips a big streamed object (multipart where the backend has it)', async () => {
      const part = Buffer.alloc(1024 * 1024, 'abcdefghij\n');
      const chunks = Array.from({ length: 12 }, () => part);
      const info = await store.put('big/12mib.csv', Readable.from(chunks));
      expect(info.size).toBe(12 * 1024 * 1024);
      const h = createHash('md5');
      let size = 0;
      for await (const c of await store.getStream('big/12mib.csv')) {
        h.update(c as Buffer);
        size += (c as Buffer).length;
      }
      expect(size).toBe(12 * 1024 * 1024);
      expect(h.digest('hex')).toBe(md5(Buffer.concat(chunks)));
    });

    it('announces writes made through the port to subscribers at once', async () => {
      const events: ObjectCreatedEvent[] = [];
      const sub = await store.subscribe((e) => {
        events.push(e);
      });
      const info = await store.put('ev/one.csv', 'a,b\n');
      const e = await waitForEvent(events, 'ev/one.csv', 2000);
      expect(e).toMatchObject({ bucket: store.bucket, key: 'ev/one.csv', size: 4, etag: info.etag, source: 'store' });
      await sub.close();
      await store.put('ev/two.csv', 'x');
      await new Promise((r) => setTimeout(r, 50));
      expect(events.some((x) => x.key === 'ev/two.csv')).toBe(false);
    });

    it('reports objects created by other processes to external subscribers', async () => {
      const events: ObjectCreatedEvent[] = [];
      const sub = await store.subscribe((e) => {
        events.push(e);
      }, { external: true });
      try {
        await b.writeExternal('ext/from outside+1.csv', Buffer.from('1,2\n'));
        const e = await waitForEvent(events, 'ext/from outside+1.csv');
        expect(e.bucket).toBe(store.bucket);
        expect(e.source).not.toBe('store');
      } finally {
        await sub.close();
      }
    });
  });
}
