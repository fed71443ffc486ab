/** FetchS3Object: replaces flowfile content with an object's bytes (streamed through the content store). */
import { Readable } from 'node:stream';
import type { ProcessorSpec } from '../processor-api.js';
import { bucketOf, failureAttributes, S3_CONNECTION_PROPERTIES, s3Url, storeFor } from './s3-common.js';

export const fetchS3ObjectSpec: ProcessorSpec = {
  type: 'FetchS3Object',
  description: 'Reads an object (normally listed by ListS3) into the flowfile content.',
  tags: ['s3', 'aws', 'fetch', 'get', 'bucket'],
  input: 'required',
  relationships: [
    { name: 'success', description: 'The object was read.' },
    { name: 'failure', description: 'The object does not exist or could not be read (penalized, s3.* error attributes).' },
  ],
  properties: [
    { name: 'Bucket', description: 'Bucket name.', default: '${s3.bucket}', required: true, expressionScope: 'flowfile' },
    { name: 'Object Key', description: 'Key to fetch.', default: '${filename}', required: true, expressionScope: 'flowfile' },
    ...S3_CONNECTION_PROPERTIES,
  ],
  writesAttributes: [
    { name: 's3.bucket, s3.etag, s3.url', description: 'Where the content came from.' },
    { name: 'filename, path, absolute.path', description: 'Last key segment; the key’s folder with a trailing / (./ at the top).' },
  ],
  create: () => ({
    async onTrigger(ctx, session) {
      for (const ff of session.get(ctx.batchSize)) {
        let key = '';
        try {
          const bucket = bucketOf(ctx, ff);
          key = ctx.property('Object Key').evaluate(ff) ?? '';
          const store = await storeFor(ctx, bucket);
          const info = await store.head(key);
          if (!info) throw new Error(`object '${key}' does not exist in bucket '${bucket}'`);
          const started = performance.now();
          const stream = await store.getStream(key);
          let out = await session.writeStream(ff, Readable.from(stream));
          const cut = key.lastIndexOf('/');
          const folder = cut < 0 ? './' : key.slice(0, cut + 1);
          const url = s3Url(store, key);
          out = session.putAllAttributes(out, {
            's3.bucket': bucket,
            's3.etag': info.etag,
            's3.url': url,
            filename: key.slice(cut + 1),
            path: folder,
            'absolute.path': folder,
          });
          session.event('FETCH', out, { transitUri: url, durationMillis: Math.round(performance.now() - started) });
          session.transfer(out, 'success');
        } catch (error) {
          ctx.log.error(`failed to fetch '${key}': ${(error as Error).message}; routing to failure`);
          session.transfer(session.penalize(session.putAllAttributes(ff, failureAttributes(error))), 'failure');
        }
      }
    },
  }),
};
