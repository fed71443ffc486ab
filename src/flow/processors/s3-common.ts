/**
 * Shared by PutS3Object, ListS3 and FetchS3Object: NiFi's connection properties and the bucket lookup through
 * the object-store port (a bucket bound in floe.yaml's storage section, or S3 as these properties describe
 * it), plus NiFi's failure attributes.
 */
import { FloeError } from '../../core/errors.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { FlowFile } from '../flowfile.js';
import type { ProcessContext, PropertySpec } from '../processor-api.js';

/** Used only for a bucket that is not bound in floe.yaml's storage.buckets (a bound bucket brings its own settings). */
export const S3_CONNECTION_PROPERTIES: PropertySpec[] = [
  { name: 'Region', description: 'AWS region of a bucket not bound in floe.yaml.', default: 'us-west-2', expressionScope: 'environment' },
  { name: 'Access Key ID', description: 'Credentials for a bucket not bound in floe.yaml (default: the AWS SDK credential chain). Prefer ${ENV_VAR}.', expressionScope: 'environment', sensitive: true },
  { name: 'Secret Access Key', description: 'Secret for Access Key ID. Never exported or shown.', expressionScope: 'environment', sensitive: true },
  { name: 'Endpoint Override URL', description: 'S3-compatible endpoint (MinIO, moto…) for a bucket not bound in floe.yaml; forces path-style addressing.', expressionScope: 'environment' },
];

export async function storeFor(ctx: ProcessContext, bucket: string): Promise<ObjectStore> {
  const resolve = ctx.services.objectStore;
  if (!resolve) throw new FloeError('FLOW', `${ctx.id}: no object stores are available to this flow`);
  const endpoint = ctx.property('Endpoint Override URL').evaluate() || undefined;
  const accessKeyId = ctx.property('Access Key ID').evaluate() || undefined;
  const secretAccessKey = ctx.property('Secret Access Key').evaluate() || undefined;
  return resolve(bucket, { region: ctx.property('Region').evaluate(), endpoint, accessKeyId, secretAccessKey });
}

/** NiFi's failure attributes (s3.exception, s3.errorCode, s3.statusCode, s3.errorMessage). */
export function failureAttributes(error: unknown): Record<string, string> {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  const cause = (e.cause ?? {}) as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const attrs: Record<string, string> = {
    's3.exception': cause.name ?? e.name ?? 'Error',
    's3.errorMessage': e.message ?? String(error),
  };
  const code = cause.Code ?? cause.code ?? (cause.name && cause.name !== 'Error' ? cause.name : undefined) ?? e.code;
  if (code) attrs['s3.errorCode'] = code;
  if (cause.$metadata?.httpStatusCode) attrs['s3.statusCode'] = String(cause.$metadata.httpStatusCode);
  return attrs;
}

export function s3Url(store: ObjectStore, key: string): string {
  return store.kind === 'local' ? `file://${store.location.replace(/\/$/, '')}/${key}` : `s3://${store.location.replace(/^s3:\/\//, '').split('/')[0]}/${key}`;
}

export const bucketOf = (ctx: ProcessContext, ff?: FlowFile): string => {
  const bucket = ctx.property('Bucket').evaluate(ff) ?? '';
  if (bucket.trim() === '') throw new FloeError('FLOW', `${ctx.id}: Bucket evaluated to an empty value`);
  return bucket;
};
