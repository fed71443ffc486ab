/**
 * Builds object stores from floe.yaml's `storage.buckets` and resolves stage URLs to them:
 * `s3://<bucket>/<prefix>` → the bucket bound under that name (a local folder or an S3 endpoint);
 * `file:///abs/dir/` → a folder bucket rooted at that directory, for quick local use.
 * Stores are created once per bucket and shared (one watcher / SQS poller per bucket).
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FloeError } from '../../core/errors.js';
import type { ObjectStore, ObjectStoreResolver, ResolvedLocation } from '../../core/ports/object-store.js';
import type { BucketConfig, StorageConfig } from '../../config/storage-config.js';
import { LocalObjectStore } from './local/local-object-store.js';
import { S3ObjectStore } from './s3/s3-object-store.js';

export interface BucketRegistryOptions {
  /** Folder that relative bucket paths are resolved against (the project folder). */
  readonly projectDir: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onError?: (error: unknown) => void;
  /** Passed to S3 stores; tests shorten SQS long polls. */
  readonly sqsWaitSeconds?: number;
}

export class BucketRegistry implements ObjectStoreResolver {
  private readonly stores = new Map<string, ObjectStore>();

  constructor(
    private readonly config: StorageConfig,
    private readonly options: BucketRegistryOptions,
  ) {}

  /** Names of the buckets bound in floe.yaml. */
  get bucketNames(): string[] {
    return Object.keys(this.config.buckets);
  }

  bucket(name: string): ObjectStore {
    const key = `s3:${name}`;
    let store = this.stores.get(key);
    if (!store) {
      const cfg = this.config.buckets[name];
      if (!cfg) {
        throw new FloeError(
          'CONFIG',
          `bucket '${name}' is not bound in floe.yaml: add storage.buckets.${name} (type: local with a path, or type: s3)`,
        );
      }
      store = this.create(name, cfg);
      this.stores.set(key, store);
    }
    return store;
  }

  /** A folder store rooted at an absolute directory (file:// stages, internal stages). */
  folder(root: string, name = 'local'): ObjectStore {
    const key = `file:${root}`;
    let store = this.stores.get(key);
    if (!store) {
      store = new LocalObjectStore({ bucket: name, root, onError: this.options.onError });
      this.stores.set(key, store);
    }
    return store;
  }

  resolve(url: string): ResolvedLocation {
    const s3 = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(url);
    if (s3) {
      const [, bucket, prefix] = s3;
      return { store: this.bucket(bucket!), prefix: prefix ?? '', url: `s3://${bucket}/${prefix ?? ''}` };
    }
    if (/^file:\/\//i.test(url)) {
      let path: string;
      try {
        path = fileURLToPath(url);
      } catch (error) {
        throw new FloeError('CONFIG', `invalid file URL '${url}': ${(error as Error).message} (expected file:///absolute/dir/)`);
      }
      // A URL path is a key prefix: the folder part is the bucket root, the rest a name prefix.
      const cut = path.lastIndexOf('/');
      const root = path.slice(0, cut) || '/';
      return { store: this.folder(root), prefix: path.slice(cut + 1), url };
    }
    throw new FloeError('CONFIG', `unsupported stage URL '${url}': expected s3://<bucket>/<path> or file:///<absolute dir>/`);
  }

  private create(name: string, cfg: BucketConfig): ObjectStore {
    if (cfg.type === 'local') {
      const root = isAbsolute(cfg.path) ? cfg.path : resolvePath(this.options.projectDir, cfg.path);
      return new LocalObjectStore({ bucket: name, root, onError: this.options.onError });
    }
    const env = this.options.env ?? process.env;
    let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    if (cfg.accessKeyIdEnv || cfg.secretAccessKeyEnv) {
      const id = cfg.accessKeyIdEnv ? env[cfg.accessKeyIdEnv] : undefined;
      const secret = cfg.secretAccessKeyEnv ? env[cfg.secretAccessKeyEnv] : undefined;
      if (!id || !secret) {
        const missing = !id ? `accessKeyIdEnv (${cfg.accessKeyIdEnv ?? 'not set'})` : `secretAccessKeyEnv (${cfg.secretAccessKeyEnv ?? 'not set'})`;
        throw new FloeError('CONFIG', `storage.buckets.${name}: environment variable named by ${missing} is not set`);
      }
      credentials = { accessKeyId: id, secretAccessKey: secret };
    }
    return new S3ObjectStore({
      bucket: name,
      realBucket: cfg.bucket,
      region: cfg.region,
      endpoint: cfg.endpoint,
      forcePathStyle: cfg.forcePathStyle,
      credentials,
      sqsQueueUrl: cfg.notifications?.sqs,
      sqsWaitSeconds: this.options.sqsWaitSeconds,
      onError: this.options.onError,
    });
  }

  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    await Promise.all(stores.map((s) => s.close()));
  }
}
