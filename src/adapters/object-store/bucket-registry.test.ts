import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BucketRegistry } from './bucket-registry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'floe-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bucket registry', () => {
  it('resolves s3:// URLs of local buckets relative to the project folder', async () => {
    const reg = new BucketRegistry({ buckets: { 'floe-demo': { type: 'local', path: 'data/bucket' } } }, { projectDir: dir });
    try {
      const loc = reg.resolve('s3://floe-demo/stream/');
      expect(loc).toMatchObject({ prefix: 'stream/', url: 's3://floe-demo/stream/' });
      expect(loc.store.kind).toBe('local');
      await loc.store.put('stream/a.csv', 'x');
      expect(await readFile(join(dir, 'data/bucket/stream/a.csv'), 'utf8')).toBe('x');
      expect(reg.resolve('s3://floe-demo').prefix).toBe('');
      expect(reg.resolve('s3://floe-demo/other/').store).toBe(loc.store);
    } finally {
      await reg.close();
    }
  });

  it('resolves file:/// URLs to a folder bucket rooted at the directory', async () => {
    const reg = new BucketRegistry({ buckets: {} }, { projectDir: dir });
    try {
      const loc = reg.resolve(pathToFileURL(dir).href + '/');
      expect(loc.prefix).toBe('');
      await loc.store.put('f.csv', 'y');
      expect(await readFile(join(dir, 'f.csv'), 'utf8')).toBe('y');
      expect(reg.resolve(pathToFileURL(join(dir, 'sub')).href).prefix).toBe('sub');
    } finally {
      await reg.close();
    }
  });

  it('names the missing floe.yaml key for unbound buckets and rejects other URL schemes', () => {
    const reg = new BucketRegistry({ buckets: {} }, { projectDir: dir });
    expect(() => reg.resolve('s3://nowhere/x/')).toThrow(/add storage\.buckets\.nowhere/);
    expect(() => reg.resolve('gcs://b/x')).toThrow(/unsupported stage URL 'gcs:\/\/b\/x'/);
  });

  it('names the unset environment variable for s3 credentials', () => {
    const reg = new BucketRegistry(
      { buckets: { b1b: { type: 's3', region: 'us-east-1', accessKeyIdEnv: 'NO_SUCH_KEY_VAR', secretAccessKeyEnv: 'NO_SUCH_SECRET_VAR' } } },
      { projectDir: dir, env: {} },
    );
    expect(() => reg.resolve('s3://b1b/')).toThrow(/storage\.buckets\.b1b: environment variable named by accessKeyIdEnv \(NO_SUCH_KEY_VAR\)/);
  });
});
