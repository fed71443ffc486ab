/**
 * ListS3: lists a bucket (through the object-store port) and emits one empty flowfile per new or changed
 * object. Tracking Timestamps keeps NiFi ListS3's state (the newest lastModified and the keys seen at it);
 * Tracking Entities remembers every key with its ETag; No Tracking lists everything each run.
 */
import type { ProcessorSpec } from '../processor-api.js';
import { bucketOf, S3_CONNECTION_PROPERTIES, storeFor } from './s3-common.js';

export const listS3Spec: ProcessorSpec = {
  type: 'ListS3',
  description: 'Lists objects in a bucket and emits one flowfile (no content) per new or changed object. Pair with FetchS3Object.',
  tags: ['s3', 'aws', 'list', 'source', 'bucket'],
  input: 'forbidden',
  triggerSerially: true,
  defaultSchedule: '1 min',
  relationships: [{ name: 'success', description: 'One flowfile per listed object.' }],
  resetStateOn: ['Bucket', 'Prefix', 'Listing Strategy'],
  properties: [
    { name: 'Bucket', description: 'Bucket to list.', required: true, expressionScope: 'environment' },
    { name: 'Prefix', description: 'Only keys starting with this.', expressionScope: 'environment' },
    { name: 'Listing Strategy', description: 'How listed objects are remembered.', default: 'Tracking Timestamps', allowedValues: ['Tracking Timestamps', 'Tracking Entities', 'No Tracking'] },
    { name: 'Minimum Object Age', description: 'Objects modified more recently are listed later.', default: '0 sec', kind: 'time-period' },
    ...S3_CONNECTION_PROPERTIES,
  ],
  writesAttributes: [
    { name: 'filename', description: 'The object key.' },
    { name: 's3.bucket', description: 'Bucket.' },
    { name: 's3.etag', description: 'ETag.' },
    { name: 's3.lastModified', description: 'Epoch milliseconds.' },
    { name: 's3.length', description: 'Size in bytes.' },
    { name: 's3.storeClass', description: 'STANDARD.' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      const bucket = bucketOf(ctx);
      const store = await storeFor(ctx, bucket);
      const strategy = ctx.property('Listing Strategy').evaluate();
      const minAge = ctx.property('Minimum Object Age').asTimePeriod() ?? 0;
      const saved = session.getState() ?? {};
      const now = ctx.now();
      const currentTs = Number(saved['currentTimestamp'] ?? -1);
      const currentKeys = new Set<string>(JSON.parse(saved['currentKeys'] ?? '[]') as string[]);
      const entities = JSON.parse(saved['entities'] ?? '{}') as Record<string, string>;
      const seen = new Set<string>();
      let newestTs = currentTs;
      let newestKeys = new Set(currentKeys);
      let emitted = 0;
      for await (const obj of store.list(ctx.property('Prefix').evaluate() ?? '')) {
        seen.add(obj.key);
        const ts = obj.lastModified.getTime();
        if (now - ts < minAge) continue;
        if (strategy === 'Tracking Timestamps') {
          if (ts < currentTs || (ts === currentTs && currentKeys.has(obj.key))) continue;
          if (ts > newestTs) {
            newestTs = ts;
            newestKeys = new Set();
          }
          if (ts === newestTs) newestKeys.add(obj.key);
        } else if (strategy === 'Tracking Entities') {
          if (entities[obj.key] === obj.etag) continue;
          entities[obj.key] = obj.etag;
        }
        const ff = session.create();
        session.transfer(
          session.putAllAttributes(ff, {
            filename: obj.key,
            's3.bucket': bucket,
            's3.etag': obj.etag,
            's3.lastModified': String(ts),
            's3.length': String(obj.size),
            's3.storeClass': 'STANDARD',
          }),
          'success',
        );
        emitted++;
      }
      if (strategy === 'Tracking Timestamps' && emitted > 0) {
        session.setState({ currentTimestamp: String(newestTs), currentKeys: JSON.stringify([...newestKeys]) });
      } else if (strategy === 'Tracking Entities') {
        const kept = Object.fromEntries(Object.entries(entities).filter(([k]) => seen.has(k)));
        if (emitted > 0 || Object.keys(kept).length !== Object.keys(entities).length) session.setState({ entities: JSON.stringify(kept) });
      }
      if (emitted === 0) ctx.yield();
    },
  }),
};
