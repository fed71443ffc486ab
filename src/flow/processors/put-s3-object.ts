/**
 * PutS3Object: uploads flowfile content to a bucket through the object-store port, so local (folder) buckets
 * and S3 both work. A repeated PUT of the same key after a crash replaces the object with the same bytes:
 * the sink is idempotent (no duplicate objects). Failures are penalized and routed to failure with NiFi's
 * s3.* attributes; loop failure back (or use retry) to try again.
 * Bodies above Multipart Threshold go up part by part with resumable state (s3-multipart-resume.ts) when the
 * store offers multipart uploads (S3); a folder bucket takes them as one streamed write.
 * Content-Type (default application/octet-stream), Content-Disposition (default: the URL-encoded filename, as
 * NiFi sends it even when unset) and Cache-Control go to S3; a folder bucket stores bytes only.
 * Not supported by the port: storage classes other than STANDARD, tags, user metadata and ACLs.
 */
import { isAbsolute, join } from 'node:path';
import type { MultipartUploads, ObjectInfo, PutOptions } from '../../core/ports/object-store.js';
import { javaUrlEncode } from '../el/url-encode.js';
import type { ProcessContext, ProcessorSpec } from '../processor-api.js';
import { parseDataSize } from '../units.js';
import { ageOffUploads, MultipartStateFile, resumableUpload } from './s3-multipart-resume.js';
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
    { name: 'Content Type', description: 'Content-Type of the object (S3). Unset: application/octet-stream.', expressionScope: 'flowfile' },
    {
      name: 'Content Disposition',
      description: 'inline, or attachment (sent as attachment; filename="<URL-encoded filename>"). Unset: the URL-encoded filename (NiFi).',
      allowedValues: ['inline', 'attachment'],
    },
    { name: 'Cache Control', description: 'Cache-Control of the object (S3).', expressionScope: 'flowfile' },
    { name: 'Multipart Threshold', description: 'Bodies larger than this are uploaded in parts, resumably (S3 buckets).', default: '5 GB', kind: 'data-size', check: partBounds },
    { name: 'Multipart Part Size', description: 'Size of each part (held in memory while it is sent).', default: '5 GB', kind: 'data-size', check: partBounds },
    { name: 'Multipart Upload AgeOff Interval', description: 'How often unfinished uploads are looked for.', default: '60 min', kind: 'time-period' },
    { name: 'Multipart Upload Max Age Threshold', description: 'Unfinished uploads older than this are aborted.', default: '7 days', kind: 'time-period' },
    { name: 'Temporary Directory Multipart State', description: 'Folder for the resume state file (default: the processor’s folder under .floe/flow/<flow>/processors/).', expressionScope: 'environment' },
    { name: 'Storage Class', description: 'Only STANDARD is supported.', default: 'STANDARD', check: (v) => (v === 'STANDARD' ? undefined : `unsupported: Storage Class '${v}' (floe's object-store port stores STANDARD only)`) },
    ...S3_CONNECTION_PROPERTIES,
  ],
  writesAttributes: [
    { name: 's3.bucket', description: 'Bucket.' },
    { name: 's3.key', description: 'Object key.' },
    { name: 's3.url', description: 'file://… for a local bucket, s3://bucket/key for S3.' },
    {
      name: 's3.etag',
      description:
        'ETag without quotes (multipart: <md5>-<parts>). A folder bucket gives objects of 64 MiB and more the multipart shape with 64 MiB parts, even for a single put.',
    },
    { name: 's3.storeClass', description: 'STANDARD.' },
    { name: 's3.apimethod', description: 'putobject, or multipartupload (an S3 multipart upload; a folder bucket is always putobject).' },
    { name: 's3.uploadId', description: 'When this run initiated a multipart upload.' },
    { name: 's3.contenttype / s3.contentdisposition / s3.cachecontrol', description: 'When the property is set.' },
    { name: 's3.exception / s3.errorCode / s3.statusCode / s3.errorMessage', description: 'On failure.' },
  ],
  create: (init) => {
    const dir = init.properties['Temporary Directory Multipart State'] || init.stateDir;
    const state = new MultipartStateFile(join(isAbsolute(dir) ? dir : join(init.projectDir, dir), `multipart-${init.id}.json`));
    const lastAgeOff = new Map<string, number>();
    return { onTrigger: (ctx, session) => putObjects(ctx, session, { state, lastAgeOff }) };
  },
};

function partBounds(v: string): string | undefined {
  const n = parseDataSize(v);
  return n < 50 * 1024 ** 2 || n > 5 * 1024 ** 3 ? 'must be between 50 MB and 5 GB' : undefined;
}

interface MultipartContext {
  readonly state: MultipartStateFile;
  readonly lastAgeOff: Map<string, number>;
}

/** Uploads of one batch overlap (one commit for the batch); a crash mid-batch repeats idempotent PUTs. */
const PARALLEL_PUTS = 16;

async function putObjects(ctx: ProcessContext, session: ProcessSession, mp: MultipartContext): Promise<void> {
  await forEachLimit(session.get(ctx.batchSize), PARALLEL_PUTS, (ff) => putOne(ctx, session, ff, mp));
}

async function putOne(ctx: ProcessContext, session: ProcessSession, ff: FlowFile, mp: MultipartContext): Promise<void> {
  let bucket = '';
  let key = '';
  try {
    bucket = bucketOf(ctx, ff);
    key = ctx.property('Object Key').evaluate(ff) ?? '';
    if (key === '' || key.startsWith('/')) throw new Error(`Object Key '${key}' is empty or starts with '/'`);
    const store = await storeFor(ctx, bucket);
    const headers = objectHeaders(ctx, ff);
    const started = performance.now();
    const uploads = store.multipartUploads;
    let info: ObjectInfo;
    let uploadId: string | undefined;
    if (uploads && ff.size > (ctx.property('Multipart Threshold').asDataSize() ?? Infinity)) {
      await ageOff(ctx, uploads, bucket, mp);
      ({ info, initiatedUploadId: uploadId } = await resumableUpload({
        uploads,
        state: mp.state,
        stateKey: `${ctx.id}/${bucket}/${key}/${ff.uuid}`,
        key,
        options: headers.options,
        partSize: ctx.property('Multipart Part Size').asDataSize()!,
        contentLength: ff.size,
        content: (skip) => session.stream(ff, skip),
        now: () => ctx.now(),
      }));
    } else if (ff.size <= IN_MEMORY_LIMIT) {
      info = await store.put(key, await session.read(ff), headers.options);
    } else {
      const file = store.putFile && (await session.contentFile(ff));
      const etag = ff.claim?.etag;
      info = file ? await store.putFile!(key, file, { ...headers.options, ...(etag ? { contentEtag: etag } : {}) }) : await store.put(key, session.stream(ff), headers.options);
    }
    crashPoint('put-s3-after-put');
    const url = s3Url(store, key);
    const out = session.putAllAttributes(ff, {
      's3.bucket': bucket,
      's3.key': key,
      's3.url': url,
      's3.etag': info.etag.replace(/^"|"$/g, ''),
      's3.storeClass': 'STANDARD',
      // A folder bucket's big objects have a multipart-shaped ETag but are always written by one put.
      's3.apimethod': store.kind === 's3' && /-\d+$/.test(info.etag) ? 'multipartupload' : 'putobject',
      ...(uploadId ? { 's3.uploadId': uploadId } : {}),
      ...headers.attributes,
    });
    session.event('SEND', out, { transitUri: url, durationMillis: Math.round(performance.now() - started) });
    session.transfer(out, 'success');
  } catch (error) {
    ctx.log.error(`failed to put ${key || ff.attributes['filename']} into bucket '${bucket}': ${(error as Error).message}; routing to failure`);
    session.transfer(session.penalize(session.putAllAttributes(ff, failureAttributes(error))), 'failure');
  }
}

/** NiFi's object headers: Content-Type (SDK v2 default application/octet-stream), Content-Disposition, Cache-Control. */
function objectHeaders(ctx: ProcessContext, ff: FlowFile): { options: PutOptions; attributes: Record<string, string> } {
  const attributes: Record<string, string> = {};
  const type = ctx.property('Content Type').evaluate(ff) || undefined;
  const disposition = ctx.property('Content Disposition').evaluate();
  const cache = ctx.property('Cache Control').evaluate(ff) || undefined;
  const filename = javaUrlEncode(ff.attributes['filename'] ?? '');
  const options: PutOptions = {
    contentType: type ?? 'application/octet-stream',
    contentDisposition: disposition === 'attachment' ? `attachment; filename="${filename}"` : disposition === 'inline' ? 'inline' : filename,
    ...(cache ? { cacheControl: cache } : {}),
  };
  if (type) attributes['s3.contenttype'] = type;
  if (disposition) attributes['s3.contentdisposition'] = options.contentDisposition!;
  if (cache) attributes['s3.cachecontrol'] = cache;
  return { options, attributes };
}

/** At most once per AgeOff Interval per bucket: abort uploads older than the Max Age Threshold. */
async function ageOff(ctx: ProcessContext, uploads: MultipartUploads, bucket: string, mp: MultipartContext): Promise<void> {
  const now = ctx.now();
  if (now - (mp.lastAgeOff.get(bucket) ?? 0) < (ctx.property('Multipart Upload AgeOff Interval').asTimePeriod() ?? 3_600_000)) return;
  mp.lastAgeOff.set(bucket, now);
  try {
    const aborted = await ageOffUploads(uploads, mp.state, now, ctx.property('Multipart Upload Max Age Threshold').asTimePeriod() ?? 7 * 86_400_000);
    if (aborted > 0) ctx.log.info(`aborted ${aborted} multipart upload(s) older than the max age in bucket '${bucket}'`);
  } catch (error) {
    ctx.log.warn(`could not age off multipart uploads in bucket '${bucket}': ${(error as Error).message}`);
  }
}
