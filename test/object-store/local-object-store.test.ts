import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/adapters/object-store/local/local-object-store.js';
import { objectStoreConformance } from './object-store-conformance.js';

async function freshBucket() {
  const dir = await mkdtemp(join(tmpdir(), 'floe-local-bucket-'));
  const root = join(dir, 'bucket');
  const store = new LocalObjectStore({ bucket: 'floe-test', root });
  return { dir, root, store };
}

objectStoreConformance('local folder', async () => {
  const { dir, root, store } = await freshBucket();
  return {
    store,
    async writeExternal(key, body) {
      // Another process writing in place (no temp file): the watcher waits until the size is stable.
      const path = join(root, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    },
    async teardown() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('local object store: keys never leave the bucket folder', () => {
  it.each(['../escape.csv', 'a/../../escape.csv', 'a/./b.csv', '/etc/passwd', 'a//b.csv', 'dir/', '.floe-tmp/x', 'nul\0.csv'])(
    'rejects key %j',
    async (key) => {
      const { dir, store } = await freshBucket();
      try {
        await expect(store.put(key, 'x')).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('invalid object key') });
        await expect(store.getBytes(key)).rejects.toMatchObject({ code: 'STORAGE' });
        expect(await readdir(dir)).not.toContain('escape.csv');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('does not follow or list symbolic links planted in the folder', async () => {
    const { dir, root, store } = await freshBucket();
    try {
      await writeFile(join(dir, 'secret.txt'), 'secret');
      await store.put('ok.csv', 'fine');
      await symlink(join(dir, 'secret.txt'), join(root, 'link.csv'));
      await expect(store.getBytes('link.csv')).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('symbolic link') });
      const listed = [];
      for await (const o of store.list()) listed.push(o.key);
      expect(listed).toEqual(['ok.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no temp files behind and hides in-flight writes from listings', async () => {
    const { dir, root, store } = await freshBucket();
    try {
      await store.put('a.csv', 'x');
      expect(await readdir(join(root, '.floe-tmp'))).toEqual([]);
      await writeFile(join(root, '.floe-tmp', 'half.part'), 'partial');
      const listed = [];
      for await (const o of store.list()) listed.push(o.key);
      expect(listed).toEqual(['a.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('computes the md5 etag of files dropped in by other processes', async () => {
    const { dir, root, store } = await freshBucket();
    try {
      await mkdir(join(root, 'in'), { recursive: true });
      await writeFile(join(root, 'in', 'x.csv'), 'hello');
      expect((await store.head('in/x.csv'))!.etag).toBe('5d41402abc4b2a76b9719d911017c592');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('putFile links a local file in as an object (MD5 etag, folders made on demand, no temp files left, repeatable)', async () => {
    const { dir, root, store } = await freshBucket();
    try {
      const source = join(dir, 'source.bin');
      await writeFile(source, 'hello');
      const info = await store.putFile('deep/er/x.bin', source);
      expect(info).toMatchObject({ key: 'deep/er/x.bin', size: 5, etag: '5d41402abc4b2a76b9719d911017c592' });
      expect(await readFile(join(root, 'deep', 'er', 'x.bin'), 'utf8')).toBe('hello');
      expect((await stat(join(root, 'deep', 'er', 'x.bin'))).ino).toBe((await stat(source)).ino); // no bytes copied
      expect((await store.head('deep/er/x.bin'))!.etag).toBe(info.etag);
      expect(await readdir(join(root, '.floe-tmp'))).toEqual([]);
      await store.putFile('deep/er/x.bin', source); // again (a retried put): still one object, no temp file left
      expect(await readdir(join(root, '.floe-tmp'))).toEqual([]);
      expect(await readFile(join(root, 'deep', 'er', 'x.bin'), 'utf8')).toBe('hello');
      // A caller that already hashed the bytes passes the ETag: it is taken, not computed again.
      expect((await store.putFile('known.bin', source, { contentEtag: '5d41402abc4b2a76b9719d911017c592' })).etag).toBe('5d41402abc4b2a76b9719d911017c592');
      await expect(store.putFile('y.bin', join(dir, 'missing.bin'))).rejects.toThrow(/ENOENT/);
      expect(await readdir(join(root, '.floe-tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
