/**
 * PutS3Object: uploads flowfile content to a bucket through the object-store port, so local (folder) buckets
 * and S3 both work. A repeated PUT of the same key after a crash replaces the object with the same bytes:
 * the sink is idempotent (no duplicate objects). Failures are penalized and routed to failure with NiFi's
 * s3.* attributes; loop failure back (or use retry) to try again.
 * Not supported (the port has no API for them yet): resumable multipart state, storage classes other than
 * STANDARD, content type/disposition, tags and ACLs.
 */
import type { ProcessContext, ProcessorSpec } from '../processor-api.js';
import type { FlowFile } from '../flowfile.js';
import type { ProcessSession } from '../session.js';
import { crashPoint } from '../fault-injection.js';
import { forEachLimit } from '../concurrency.js';
import { bucketOf, failureAttributes, S3_CONNECTION_PROPERTIES, s3Url, storeFor } from './s3-common.js';

const IN_MEMORY_LIMIT = 8 * 1024 * 1024;

export const putS3ObjectSpec: ProcessorSpec = {
  type: 'PutS3Object',
  description: 'Puts flowfile content into a bucket (a floe.yaml bucket — local folder or S3 — or an S3 endpoint given here) under a key built from attributes.',
  tags: ['s3', 'aws', 'put', 'egress', 'bucket'],
  input: 'required',
  relationships: [
    { name: 'success', description: 'The object was stored.' },
    { name: 'failure', description: 'The upload failed (penalized; s3.exception, s3.errorCode, s3.statusCode, s3.errorMessage set).' },
  ],
  properties: [
    { name: 'Bucket', description: 'Bucket name (as bound in floe.yaml storage.buckets, or the real bucket with Endpoint Override URL).', default: '${s3.bucket}', required: true, expressionScope: 'flowfile' },
    { name: 'Object Key', description: "Key of the object, e.g. stream/${filename}. Must not start with '/'.", default: '${filename}', required: true, expressionScope: 'flowfile' },
    { name: 'Storage Class', description: 'Only STANDARD is supported.', default: 'STANDARD', check: (v) => (v === 'STANDARD' ? undefined : `unsupported: Storage Class '${v}' (floe's object-store port stores STANDARD only)`) },
    ...S3_CONNECTION_PROPERTIES,
  ],
  writesAttributes: [
    { name: 's3.bucket', description: 'Bucket.' },
    { name: 's3.key', description: 'Object key.' },
    { name: 's3.url', description: 'file://… for a local bucket, s3://bucket/key for S3.' },
    { name: 's3.etag', description: 'ETag without quotes (multipart: <md5>-<parts>).' },
    { name: 's3.storeClass', description: 'STANDARD.' },
    { name: 's3.apimethod', description: 'putobject, or multipartupload when the store used one.' },
    { name: 's3.exception / s3.errorCode / s3.statusCode / s3.errorMessage', description: 'On failure.' },
  ],
  create: () => ({ onTrigger: putObjects }),
};

/** Uploads of one batch overlap (one commit for the batch); a crash mid-batch repeats idempotent PUTs. */
const PARALLEL_PUTS = 16;

async function putObjects(ctx: ProcessContext, session: ProcessSession): Promise<void> {
  await forEachLimit(session.get(ctx.batchSize), PARALLEL_PUTS, (ff) => putOne(ctx, session, ff));
}

async function putOne(ctx: ProcessContext, session: ProcessSession, ff: FlowFile): Promise<void> {
  let bucket = '';
  let key = '';
  try {
    bucket = bucketOf(ctx, ff);
    key = ctx.property('Object Key').evaluate(ff) ?? '';
    if (key === '' || key.startsWith('/')) throw new Error(`Object Key '${key}' is empty or starts with '/'`);
    const store = await storeFor(ctx, bucket);
    const started = performance.now();
    const body = ff.size <= IN_MEMORY_LIMIT ? await session.read(ff) : session.stream(ff);
    const info = await store.put(key, body);
    crashPoint('put-s3-after-put');
    const url = s3Url(store, key);
    const out = session.putAllAttributes(ff, {
      's3.bucket': bucket,
      's3.key': key,
      's3.url': url,
      's3.etag': info.etag.replace(/^"|"$/g, ''),
      's3.storeClass': 'STANDARD',
      's3.apimethod': /-\d+$/.test(info.etag) ? 'multipartupload' : 'putobject',
    });
    session.event('SEND', out, { transitUri: url, durationMillis: Math.round(performance.now() - started) });
    session.transfer(out, 'success');
  } catch (error) {
    ctx.log.error(`failed to put ${key || ff.attributes['filename']} into bucket '${bucket}': ${(error as Error).message}; routing to failure`);
    session.transfer(session.penalize(session.putAllAttributes(ff, failureAttributes(error))), 'failure');
  }
}
