/** ListFile scenarios from nifi-semantics.md §8 (1–11) against a real directory. */
import { appendFile, mkdir, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowEngine } from '../../src/flow/flow-engine.js';
import { useFlowProject } from './flow-harness.js';

function listFlow(props: Record<string, string>): string {
  const p = Object.entries({ 'Input Directory': 'in', ...props }).map(([k, v]) => `          ${k}: '${v}'`).join('\n');
  return `
flows:
  ingest:
    processors:
      list:
        type: ListFile
        properties:
${p}
      hold: { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: hold }
`;
}

// Precision pinned to millis: test files' mtimes could land on a whole second (auto-detect is unit-tested in
// listing-strategies.test.ts).
const NIFI_DEFAULTS = { 'Listing Strategy': 'Tracking Timestamps', 'Minimum File Age': '0 sec', 'Target System Timestamp Precision': 'millis' };

describe('ListFile', () => {
  const t = useFlowProject();
  const open = (props: Record<string, string>): Promise<FlowEngine> => t.open(listFlow(props));
  /** Runs the listing once and returns the filenames it emitted. */
  const list = async (e: FlowEngine): Promise<string[]> => {
    const q = e.connections.get('list.success.hold')!;
    const before = new Set(q.list().map((f) => f.uuid));
    await e.runOnce('list');
    return q.list().filter((f) => !before.has(f.uuid)).map((f) => `${f.attributes['path']}${f.attributes['filename']}`).sort();
  };
  const put = async (name: string, mtimeMs: number, content = 'x'): Promise<void> => {
    await mkdir(join(t.dir, 'in', name, '..'), { recursive: true });
    await writeFile(join(t.dir, 'in', name), content);
    await utimes(join(t.dir, 'in', name), new Date(mtimeMs), new Date(mtimeMs));
  };

  it('scenario 2: a file modified within the lag is held back, then emitted on the next run', async () => {
    const e = await open({ ...NIFI_DEFAULTS, 'Target System Timestamp Precision': 'millis' });
    await put('a.csv', t.clock.t - 50);
    expect(await list(e)).toEqual([]);
    t.clock.advance(150);
    await new Promise((r) => setTimeout(r, 150)); // Case A also needs one lag of (monotonic) time between runs
    expect(await list(e)).toEqual(['./a.csv']);
    expect(await list(e)).toEqual([]);
  });

  it('scenario 3: files with identical mtime are emitted once each, a late one with the same mtime alone', async () => {
    const e = await open(NIFI_DEFAULTS);
    const mtime = t.clock.t - 3_600_123;
    await put('a', mtime);
    await put('b', mtime);
    expect(await list(e)).toEqual(['./a', './b']);
    await put('c', mtime);
    await new Promise((r) => setTimeout(r, 110));
    expect(await list(e)).toEqual(['./c']);
    await new Promise((r) => setTimeout(r, 110));
    expect(await list(e)).toEqual([]);
  });

  it('scenarios 4/5: an old-mtime move-in is missed by Tracking Timestamps, listed by floe’s default', async () => {
    for (const strategy of ['Tracking Timestamps', 'Tracking Entities']) {
      const e = await open({ ...NIFI_DEFAULTS, 'Listing Strategy': strategy }); // new strategy: state reset
      await put('new.csv', t.clock.t - 1000);
      expect(await list(e)).toEqual(['./new.csv']);
      // Written as a dot file long ago, renamed in now (rename keeps the mtime).
      await put('.x.tmp', t.clock.t - 3_600_000);
      expect(await list(e)).toEqual([]); // default File Filter ignores dot files
      await rename(join(t.dir, 'in', '.x.tmp'), join(t.dir, 'in', 'x'));
      await new Promise((r) => setTimeout(r, 110));
      expect(await list(e)).toEqual(strategy === 'Tracking Timestamps' ? [] : ['./x']);
      // touch after the rename: Tracking Timestamps picks it up too.
      await utimes(join(t.dir, 'in', 'x'), new Date(t.clock.t - 500), new Date(t.clock.t - 500));
      await new Promise((r) => setTimeout(r, 110));
      expect(await list(e)).toEqual(['./x']);
      await import('node:fs/promises').then((fs) => fs.rm(join(t.dir, 'in'), { recursive: true }));
      await mkdir(join(t.dir, 'in'));
    }
  });

  it('scenario 1: floe’s default Minimum File Age keeps a file being written out; NiFi defaults list it twice', async () => {
    let e = await open({});
    await put('slow.csv', t.clock.t - 2000, 'part1');
    expect(await list(e)).toEqual([]); // modified 2 s ago < 10 sec
    t.clock.advance(11_000);
    expect(await list(e)).toEqual(['./slow.csv']);
    e = await open(NIFI_DEFAULTS); // changed properties: state reset
    await put('slow2.csv', t.clock.t - 1000, 'part1');
    const first = await list(e);
    expect(first).toContain('./slow2.csv');
    await appendFile(join(t.dir, 'in', 'slow2.csv'), 'part2');
    await utimes(join(t.dir, 'in', 'slow2.csv'), new Date(t.clock.t - 500), new Date(t.clock.t - 500));
    await new Promise((r) => setTimeout(r, 110));
    expect(await list(e)).toEqual(['./slow2.csv']); // scenario 7: a modified file is emitted again
  });

  it('scenario 1 (slow writer in 5 chunks): ListFile → FetchFile with floe’s defaults fetches the file once, complete', async () => {
    const chunks = ['id,name\n', '1,ann\n', '2,bob\n', '3,cy\n', '4,dee\n'];
    const pauses = [3000, 5000, 7000, 9000]; // each shorter than the default Minimum File Age (10 sec); 24 s in all
    /**
     * Writes `name` chunk by chunk on the test clock while ListFile (with `listProps` over the defaults) runs
     * after every chunk and every second of every pause, each run followed by FetchFile (all defaults).
     * Returns the contents FetchFile fetched for that file, in order.
     */
    const slowWriter = async (name: string, listProps: Record<string, string>): Promise<string[]> => {
      const list = Object.entries({ 'Input Directory': 'in', ...listProps }).map(([k, v]) => `'${k}': '${v}'`).join(', ');
      const e = await t.open(`
flows:
  ingest:
    processors:
      list:  { type: ListFile, properties: { ${list} } }
      fetch: { type: FetchFile, autoTerminate: [not.found, permission.denied, failure] }
      hold:  { type: LogAttribute, state: STOPPED, autoTerminate: [success] }
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: hold }
`);
      const listAndFetch = async (): Promise<void> => {
        await e.runOnce('list');
        await e.drain();
      };
      const path = join(t.dir, 'in', name);
      for (let i = 0; i < chunks.length; i++) {
        // The engine's clock stands for wall time: each chunk is stamped with it, as the writer's write would be.
        await appendFile(path, chunks[i]!);
        await utimes(path, new Date(t.clock.t), new Date(t.clock.t));
        await listAndFetch();
        for (let waited = 0; waited < (pauses[i] ?? 0); waited += 1000) {
          t.clock.advance(1000);
          await listAndFetch();
        }
      }
      for (let s = 0; s < 12; s++) {
        t.clock.advance(1000); // the writer is done; ListFile keeps running
        await listAndFetch();
      }
      const fetched = e.connections.get('fetch.success.hold')!.list().filter((f) => f.attributes['filename'] === name);
      return Promise.all(fetched.map(async (f) => (await e.content.read(f.claim)).toString()));
    };

    expect(await slowWriter('slow.csv', {})).toEqual([chunks.join('')]);
    // The same writer with NiFi's Minimum File Age (0 sec): fetched half-written after every chunk.
    const prefixes = chunks.map((_, i) => chunks.slice(0, i + 1).join(''));
    expect(await slowWriter('slow-nifi.csv', { 'Minimum File Age': '0 sec' })).toEqual(prefixes);
  });

  it('scenario 9: filters (hidden, Path Filter, Maximum File Age, size, unreadable) and state reset on change', async () => {
    await put('.hidden', t.clock.t - 5000);
    await put('root.csv', t.clock.t - 5000);
    await put('sub/one.csv', t.clock.t - 5000);
    await put('sub/deep/two.csv', t.clock.t - 5000);
    await put('other/three.csv', t.clock.t - 5000);
    await put('old.csv', t.clock.t - 7_200_000);
    await put('big.csv', t.clock.t - 5000, 'x'.repeat(2000));
    let e = await open({ ...NIFI_DEFAULTS, 'Path Filter': 'sub.*', 'Maximum File Age': '1 hour', 'Maximum File Size': '1 KB' });
    expect(await list(e)).toEqual(['sub/deep/two.csv', 'sub/one.csv']);
    e = await open({ ...NIFI_DEFAULTS, 'File Filter': '.*\\.csv', 'Recurse Subdirectories': 'false' });
    // Changing the filters reset the state: everything matching is listed again.
    expect(await list(e)).toEqual(['./big.csv', './old.csv', './root.csv']);
    // Unreadable files: test/flow/permissions.test.ts (root, which runs these tests, reads every file).
  });

  it('scenario 10: attribute formats', async () => {
    await put('a.csv', t.clock.t - 5000, 'abc');
    await put('x/y/b.csv', t.clock.t - 5000);
    const e = await open(NIFI_DEFAULTS);
    await e.runOnce('list');
    const ffs = e.connections.get('list.success.hold')!.list();
    const a = ffs.find((f) => f.attributes['filename'] === 'a.csv')!.attributes;
    const b = ffs.find((f) => f.attributes['filename'] === 'b.csv')!.attributes;
    expect(a['path']).toBe('./');
    expect(b['path']).toBe('x/y/');
    expect(a['absolute.path']).toBe(`${join(t.dir, 'in')}/`);
    expect(b['absolute.path']).toBe(`${join(t.dir, 'in', 'x', 'y')}/`);
    expect(a['file.size']).toBe('3');
    expect(a['file.lastModifiedTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
    expect(a['file.permissions']).toMatch(/^[r-][w-][x-]{1}[r-][w-][x-][r-][w-][x-]$/);
    expect(a['file.owner']).toBeTruthy();
    expect(ffs.every((f) => f.size === 0 && f.claim === null)).toBe(true);
  });

  it('scenario 11: restart with an unchanged directory emits nothing; clearing state lists everything again', async () => {
    await put('a', t.clock.t - 5000);
    await put('b', t.clock.t - 5000);
    for (const strategy of ['Tracking Timestamps', 'Tracking Entities']) {
      let e = await open({ 'Listing Strategy': strategy, 'Minimum File Age': '0 sec' });
      expect(await list(e)).toEqual(['./a', './b']);
      e = await open({ 'Listing Strategy': strategy, 'Minimum File Age': '0 sec' }); // restart: state reloaded
      expect(await list(e)).toEqual([]);
      await e.setRunStatus('list', 'STOPPED');
      await e.clearState('list');
      expect(await list(e)).toEqual(['./a', './b']);
      await e.setRunStatus('list', 'STOPPED');
      await e.clearState('list');
      await e.emptyQueue('list.success.hold');
    }
  });

  it('scenario 6: a file dated +1 day is invisible until then (its age is negative), later files still list, and floe warns', async () => {
    for (const strategy of ['Tracking Timestamps', 'Tracking Entities']) {
      const e = await open({ ...NIFI_DEFAULTS, 'Listing Strategy': strategy });
      await put('future.csv', t.clock.t + 86_400_000);
      await put('a.csv', t.clock.t - 5000);
      expect(await list(e)).toEqual(['./a.csv']);
      const warning = e.status().bulletins.find((b) => b.level === 'WARN' && /modification time in the future/.test(b.message));
      expect(warning?.message).toContain('future.csv');
      // The future file did not move listing.timestamp: a file written later is listed normally.
      await put('b.csv', t.clock.t - 1000);
      await new Promise((r) => setTimeout(r, 110));
      expect(await list(e)).toEqual(['./b.csv']);
      t.clock.advance(86_400_000 + 1000); // a day later it is an ordinary file
      await new Promise((r) => setTimeout(r, 110));
      expect(await list(e)).toEqual(['./future.csv']);
      await import('node:fs/promises').then((fs) => fs.rm(join(t.dir, 'in'), { recursive: true }));
      await mkdir(join(t.dir, 'in'));
      t.clock.t = Date.now() + 5000;
    }
  });

  it('scenario 8: whole-second mtimes mean a 1 s lag; a listing all on whole minutes means 60 s', async () => {
    const auto = { ...NIFI_DEFAULTS, 'Target System Timestamp Precision': 'auto-detect' };
    // Seconds: the file is 500 ms old, on a whole second that is not a whole minute.
    const second = Math.floor(t.clock.t / 60_000) * 60_000 - 60_000 + 17_000;
    t.clock.t = second + 500;
    let e = await open(auto);
    await put('s.csv', second);
    expect(await list(e)).toEqual([]); // held back: within the 1 s lag (with millis precision it would be listed)
    t.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 1050)); // Case A also waits one lag of real time between runs
    expect(await list(e)).toEqual(['./s.csv']);

    // Minutes: every entry of the listing is on a whole minute. The previous newest file would be re-listed (the
    // walk keeps mtime ≥ listing.timestamp) and its whole second would mean seconds: it is re-dated out of the walk.
    const minute = second - 17_000 + 60_000;
    await put('m.csv', minute);
    await utimes(join(t.dir, 'in', 's.csv'), new Date(minute - 60_000), new Date(minute - 60_000));
    t.clock.t = minute + 30_000;
    e = await open(auto); // a restart: no wait between runs from here on
    expect(await list(e)).toEqual([]); // 30 s old, but the lag is 60 s
    t.clock.t = minute + 61_000;
    e = await open(auto);
    expect(await list(e)).toEqual(['./m.csv']);
  });

  it('Tracking Entities journals only what changed per run, and reads the one-value state of earlier versions', async () => {
    for (let i = 0; i < 500; i++) await put(`f${i}.csv`, t.clock.t - 5000);
    let e = await open({ 'Minimum File Age': '0 sec' });
    expect(await list(e)).toHaveLength(500);
    expect(Object.keys(e.getState('list')).filter((k) => k.startsWith('entity:'))).toHaveLength(500);
    const journal = join(e.stateDir, 'repository', 'journal-0.log');
    const before = (await stat(journal)).size;
    await put('one-more.csv', t.clock.t - 5000);
    expect(await list(e)).toEqual(['./one-more.csv']);
    // The state change of that run is one key, not 501: the whole record stays small.
    expect((await stat(journal)).size - before).toBeLessThan(4000);

    // A state written by an earlier floe (all entities in one JSON value) is read, then rewritten as keys.
    const legacy = Object.fromEntries([...Array(500).keys()].map((i) => [join(t.dir, 'in', `f${i}.csv`), { ts: 0, size: 0 }]));
    await e.setRunStatus('list', 'STOPPED');
    await e.repo.commit({ state: { list: { entities: JSON.stringify(legacy) } } });
    e = await open({ 'Minimum File Age': '0 sec' });
    const relisted = await list(e); // mtime/size differ from the legacy entries: emitted again, once
    expect(relisted).toHaveLength(501);
    expect(e.getState('list')['entities']).toBeUndefined();
    expect(await list(e)).toEqual([]);
  });

  it('No Tracking lists everything on every run', async () => {
    await put('a', t.clock.t - 5000);
    const e = await open({ 'Listing Strategy': 'No Tracking', 'Minimum File Age': '0 sec' });
    expect(await list(e)).toEqual(['./a']);
    expect(await list(e)).toEqual(['./a']);
  });
});
