/** FetchFile routing (scenario 16) and completion strategies. */
import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowEngine } from '../../src/flow/flow-engine.js';
import { useFlowProject } from './flow-harness.js';
import { fetchFlowYaml } from './fetch-flow.js';

describe('FetchFile', () => {
  const t = useFlowProject();
  const open = (props: Record<string, string>): Promise<FlowEngine> => t.open(fetchFlowYaml(props));
  const queue = (e: FlowEngine, id: string) => e.connections.get(id)!.list();

  it('scenario 16: a file deleted between list and fetch goes to not.found, penalized, with a ROUTE event', async () => {
    await writeFile(join(t.dir, 'in', 'gone.csv'), 'x');
    const e = await open({});
    await e.runOnce('list');
    await rm(join(t.dir, 'in', 'gone.csv'));
    await e.runOnce('fetch');
    const [ff] = queue(e, 'fetch.failure+not.found+permission.denied.bad');
    expect(ff!.attributes['filename']).toBe('gone.csv');
    expect(ff!.penaltyExpiration).toBe(t.clock.t + 30_000);
    const events = await e.provenance.query({ flowFileUuid: ff!.uuid });
    expect(events[0]).toMatchObject({ eventType: 'ROUTE', relationship: 'not.found' });
    expect(e.status().bulletins.some((b) => b.level === 'ERROR' && /does not exist/.test(b.message))).toBe(true);
  });

  it('copies content and deletes the source only after the commit', async () => {
    await writeFile(join(t.dir, 'in', 'a.csv'), 'hello');
    const e = await open({ 'Completion Strategy': 'Delete File' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const [ff] = queue(e, 'fetch.success.ok');
    expect(ff!.size).toBe(5);
    expect((await e.content.read(ff!.claim)).toString()).toBe('hello');
    expect(await readdir(join(t.dir, 'in'))).toEqual([]);
    const [fetch] = await e.provenance.query({ eventType: 'FETCH' });
    expect(fetch!.transitUri).toBe(`file://${join(t.dir, 'in', 'a.csv')}`);
  });

  it('a big file is hard-linked into the content store with Delete File and copied otherwise', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    body.write('head', 0);
    await writeFile(join(t.dir, 'in', 'big.bin'), body);
    await writeFile(join(t.dir, 'in', 'linked.bin'), body);
    await link(join(t.dir, 'in', 'linked.bin'), join(t.dir, 'other-name.bin')); // a second name: copied, not linked
    const source = await stat(join(t.dir, 'in', 'big.bin'));
    let e = await open({ 'Completion Strategy': 'Delete File', 'File to Fetch': '${absolute.path}${filename}' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const ffs = queue(e, 'fetch.success.ok');
    const big = ffs.find((f) => f.attributes['filename'] === 'big.bin')!;
    const stored = await stat(e.content.path(big.claim!));
    expect(stored.ino).toBe(source.ino); // the same inode: no bytes copied
    expect(stored.nlink).toBe(1); // the source name is gone after the commit
    expect(Buffer.compare(await e.content.read(big.claim), body)).toBe(0);
    expect(big.claim!.etag).toBe(createHash('md5').update(body).digest('hex')); // hashed while it was flushed
    const other = ffs.find((f) => f.attributes['filename'] === 'linked.bin')!;
    expect((await stat(e.content.path(other.claim!))).ino).not.toBe((await stat(join(t.dir, 'other-name.bin'))).ino);
    expect(Buffer.compare(await e.content.read(other.claim), body)).toBe(0);
    expect(other.claim!.etag).toBeUndefined();

    await writeFile(join(t.dir, 'in', 'kept.bin'), body);
    e = await open({ 'Completion Strategy': 'None' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const kept = queue(e, 'fetch.success.ok').find((f) => f.attributes['filename'] === 'kept.bin')!;
    expect((await stat(e.content.path(kept.claim!))).ino).not.toBe((await stat(join(t.dir, 'in', 'kept.bin'))).ino);
  });

  it('scenario 16: move conflicts — Rename uses name-<uuid>.ext, Fail routes to failure without penalty, Keep Existing deletes the source', async () => {
    await mkdir(join(t.dir, 'done'));
    await writeFile(join(t.dir, 'done', 'a.csv'), 'old');
    await writeFile(join(t.dir, 'in', 'a.csv'), 'new');
    let e = await open({ 'Completion Strategy': 'Move File', 'Move Destination Directory': 'done', 'Move Conflict Strategy': 'Rename' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const names = (await readdir(join(t.dir, 'done'))).sort();
    expect(names).toContain('a.csv');
    expect(names[0]).toMatch(/^a-[0-9a-f-]{36}\.csv$/);
    await e.close();

    await writeFile(join(t.dir, 'in', 'a.csv'), 'newer');
    e = await open({ 'Completion Strategy': 'Move File', 'Move Destination Directory': 'done', 'Move Conflict Strategy': 'Fail' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const [failed] = queue(e, 'fetch.failure+not.found+permission.denied.bad');
    expect(failed!.penaltyExpiration).toBe(0);
    expect(await readFile(join(t.dir, 'in', 'a.csv'), 'utf8')).toBe('newer');
    await e.close();

    e = await open({ 'Completion Strategy': 'Move File', 'Move Destination Directory': 'done', 'Move Conflict Strategy': 'Keep Existing' });
    await e.emptyQueue('list.success.fetch');
    await e.runOnce('list');
    await e.drain();
    expect(await readdir(join(t.dir, 'in'))).toEqual([]);
    expect(await readFile(join(t.dir, 'done', 'a.csv'), 'utf8')).toBe('old');
  });

  it('Move File with Replace File: the source replaces the same-named file in the destination after the commit', async () => {
    await mkdir(join(t.dir, 'done'));
    await writeFile(join(t.dir, 'done', 'a.csv'), 'old');
    await writeFile(join(t.dir, 'done', 'other.csv'), 'untouched');
    await writeFile(join(t.dir, 'in', 'a.csv'), 'new');
    const e = await open({ 'Completion Strategy': 'Move File', 'Move Destination Directory': 'done', 'Move Conflict Strategy': 'Replace File' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const [ff] = queue(e, 'fetch.success.ok');
    expect((await e.content.read(ff!.claim)).toString()).toBe('new');
    expect(queue(e, 'fetch.failure+not.found+permission.denied.bad')).toEqual([]);
    expect(await readdir(join(t.dir, 'in'))).toEqual([]);
    expect((await readdir(join(t.dir, 'done'))).sort()).toEqual(['a.csv', 'other.csv']); // replaced, not renamed
    expect(await readFile(join(t.dir, 'done', 'a.csv'), 'utf8')).toBe('new');
    expect(await readFile(join(t.dir, 'done', 'other.csv'), 'utf8')).toBe('untouched');
    expect(e.status().bulletins).toEqual([]); // no failed-move warning
  });

  it('a move destination that is a file → failure, not penalized', async () => {
    await writeFile(join(t.dir, 'blocker'), 'x');
    await writeFile(join(t.dir, 'in', 'a.csv'), 'x');
    const e = await open({ 'Completion Strategy': 'Move File', 'Move Destination Directory': 'blocker' });
    await e.runOnce('list');
    await e.runOnce('fetch');
    const [failed] = queue(e, 'fetch.failure+not.found+permission.denied.bad');
    expect(failed!.penaltyExpiration).toBe(0);
  });
});
