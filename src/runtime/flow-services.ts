/**
 * Composition root for flows: the environment services processors need — object stores for the buckets in
 * floe.yaml (BucketRegistry), or, for a bucket not bound there, S3 as the processor's Region / Endpoint
 * Override URL / credentials properties describe it. Adapters load the AWS SDK lazily, so
 * flows that only use local buckets never load it.
 */
import { BucketRegistry } from '../adapters/object-store/bucket-registry.js';
import { S3ObjectStore } from '../adapters/object-store/s3/s3-object-store.js';
import type { StorageConfig } from '../config/storage-config.js';
import type { ObjectStore } from '../core/ports/object-store.js';
import type { FlowServices, S3Overrides } from '../flow/processor-api.js';

export interface FlowServiceHandle {
  readonly services: FlowServices;
  close(): Promise<void>;
}

/**
 * `shared`: the registry the process's engine uses (`floe run`), so a flow's put into a bound bucket is the
 * same store's write the pipes subscribe to; its owner closes it. Without it, the services own a registry.
 */
export function flowServices(storage: StorageConfig, projectDir: string, env: Readonly<Record<string, string | undefined>>, shared?: BucketRegistry): FlowServiceHandle {
  const registry = shared ?? new BucketRegistry(storage, { projectDir, env: env as NodeJS.ProcessEnv });
  const direct = new Map<string, ObjectStore>();
  const objectStore = async (bucket: string, overrides?: S3Overrides): Promise<ObjectStore> => {
    // A bucket bound in floe.yaml wins; the processor's S3 settings describe buckets that are not bound there.
    if (registry.bucketNames.includes(bucket) || !overrides) return registry.bucket(bucket);
    const key = JSON.stringify([bucket, overrides.endpoint, overrides.region, overrides.accessKeyId]);
    let store = direct.get(key);
    if (!store) {
      store = new S3ObjectStore({
        bucket,
        region: overrides.region ?? 'us-west-2',
        endpoint: overrides.endpoint,
        forcePathStyle: overrides.endpoint !== undefined,
        credentials: overrides.accessKeyId && overrides.secretAccessKey ? { accessKeyId: overrides.accessKeyId, secretAccessKey: overrides.secretAccessKey } : undefined,
      });
      direct.set(key, store);
    }
    return store;
  };
  return {
    services: { objectStore },
    close: async () => {
      if (!shared) await registry.close();
      await Promise.all([...direct.values()].map((s) => s.close()));
    },
  };
}
