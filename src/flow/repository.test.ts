import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newFlowFile } from './flowfile.js';
import { FlowRepository } from './repository.js';
import { ProvenanceStore } from './provenance.js';
import { ContentStore } from './content-store.js';

describe('FlowRepository', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'floe-repo-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replays committed records and cuts a torn last record', async () => {
    let repo = await FlowRepository.open(dir);
    const a = newFlowFile(repo.allocateIds(), 1);
    const b = newFlowFile(repo.allocateIds(), 2);
    await repo.commit({ enq: [['q', a], ['q', b]], state: { list: { 'listing.timestamp': '5' } }, run: { list: 'STOPPED' } });
    await repo.commit({ deq: [['q', a.id]] });
    await repo.close();
    await appendFile(join(dir, 'journal-0.log'), '{"enq":[["q",{"id":99'); // a crash mid-write
    repo = await FlowRepository.open(dir);
    expect([...repo.queues.get('q')!.keys()]).toEqual([b.id]);
    expect(repo.state.get('list')).toEqual({ 'listing.timestamp': '5' });
    expect(repo.run.get('list')).toBe('STOPPED');
    expect(repo.lastCommitSeq).toBe(2);
    expect(repo.allocateIds()).toBe(b.id + 1);
    expect((await readFile(join(dir, 'journal-0.log'), 'utf8')).endsWith('}\n')).toBe(true);
    await repo.close();
  });

  it('checkpoints to a snapshot and a fresh journal, and recovers from both', async () => {
    let repo = await FlowRepository.open(dir);
    const a = newFlowFile(repo.allocateIds(), 1);
    await repo.commit({ enq: [['q', a]] });
    await repo.checkpoint();
    const b = newFlowFile(repo.allocateIds(), 2);
    await repo.commit({ enq: [['q', b]], state: { p: null } });
    await repo.close();
    expect((await readdir(dir)).sort()).toEqual(['journal-1.log', 'snapshot.json']);
    repo = await FlowRepository.open(dir);
    expect([...repo.queues.get('q')!.keys()]).toEqual([a.id, b.id]);
    expect(repo.lastCommitSeq).toBe(2);
    await repo.close();
  });

  it('state patches set and remove single keys, after a replacement in the same record, across replay and snapshot', async () => {
    let repo = await FlowRepository.open(dir);
    await repo.commit({ state: { list: { a: '1', b: '2' } } });
    await repo.commit({ statePatch: { list: { set: { c: '3' }, remove: ['a'] }, fresh: { set: { x: 'y' }, remove: [] } } });
    await repo.commit({ state: { list: { z: '0' } }, statePatch: { list: { set: { d: '4' }, remove: ['z'] } } });
    const journal = await readFile(join(dir, 'journal-0.log'), 'utf8');
    expect(journal.split('\n')[1]).not.toContain('"b"'); // a patch record carries the change only
    await repo.close();
    repo = await FlowRepository.open(dir);
    expect(repo.state.get('list')).toEqual({ d: '4' });
    expect(repo.state.get('fresh')).toEqual({ x: 'y' });
    await repo.checkpoint();
    await repo.commit({ statePatch: { list: { set: { e: '5' }, remove: [] } } });
    await repo.close();
    repo = await FlowRepository.open(dir);
    expect(repo.state.get('list')).toEqual({ d: '4', e: '5' });
    await repo.close();
  });

  it('groups concurrent commits into one write', async () => {
    const repo = await FlowRepository.open(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => repo.commit({ state: { [`p${i}`]: { n: String(i) } } })));
    expect(repo.state.size).toBe(50);
    await repo.close();
    expect((await readFile(join(dir, 'journal-0.log'), 'utf8')).trim().split('\n')).toHaveLength(50);
  });
});

describe('ProvenanceStore', () => {
  it('drops events of commits that never reached the journal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-prov-'));
    try {
      const event = (uuid: string) => ({ eventType: 'CREATE' as const, eventTime: 1, componentId: 'list', componentType: 'ListFile', flowFileUuid: uuid, attributes: {}, size: 0, lineageStartDate: 1 });
      let store = await ProvenanceStore.open(dir, 0);
      await store.append(1, [event('a')]);
      await store.append(2, [event('b')]);
      await store.close();
      store = await ProvenanceStore.open(dir, 1); // commit 2 is not in the journal
      expect((await store.query()).map((e) => e.flowFileUuid)).toEqual(['a']);
      await store.append(2, [event('c')]);
      expect((await store.query()).map((e) => [e.eventId, e.flowFileUuid])).toEqual([[2, 'c'], [1, 'a']]);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ContentStore', () => {
  it('concurrent small writes share one claim file and read back intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-content-'));
    try {
      const store = await ContentStore.open(dir);
      const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => store.write(Buffer.from(`item-${i}`))));
      expect(new Set(claims.map((c) => c.file)).size).toBe(1);
      await store.flush();
      expect((await Promise.all(claims.map((c) => store.read(c)))).map(String)).toEqual(claims.map((_, i) => `item-${i}`));
      await store.close();
      expect(await readdir(dir)).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves just-written small contents from memory (copies), and from disk after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-content-'));
    try {
      const store = await ContentStore.open(dir);
      const claim = await store.write(Buffer.from('cached!'));
      await store.flush();
      await writeFile(join(dir, claim.file), 'XXXXXXX'); // the file changes behind the store's back…
      const first = await store.read(claim);
      expect(first.toString()).toBe('cached!'); // …the store answers from memory
      first.write('zzz');
      expect((await store.read(claim)).toString()).toBe('cached!'); // a reader's change does not leak
      await store.close();
      const reopened = await ContentStore.open(dir);
      expect((await reopened.read(claim)).toString()).toBe('XXXXXXX');
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a flush waits for an earlier flush still syncing a handle it took over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-content-'));
    try {
      const store = await ContentStore.open(dir);
      await store.write(Buffer.from('a'));
      const order: string[] = [];
      const first = store.flush().then(() => order.push('first'));
      const second = store.flush().then(() => order.push('second')); // nothing dirty left, but must not win
      await Promise.all([first, second]);
      expect(order).toEqual(['first', 'second']);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('packs small contents into shared files, streams big ones, and deletes unreferenced files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-content-'));
    try {
      const store = await ContentStore.open(dir);
      const a = await store.write(Buffer.from('aaa'));
      const b = await store.write(Buffer.from('bb'));
      expect(a.file).toBe(b.file);
      expect(b.offset).toBe(3);
      const big = await store.write(Buffer.alloc(2 * 1024 * 1024, 1));
      expect(big.file).not.toBe(a.file);
      await store.flush();
      expect((await store.read(b)).toString()).toBe('bb');
      store.unpin(a.file);
      store.unpin(b.file);
      store.unpin(big.file);
      await store.close();
      const reopened = await ContentStore.open(dir);
      expect(await reopened.gc(new Set([a.file]))).toBe(1);
      await expect(stat(join(dir, big.file))).rejects.toThrow();
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
