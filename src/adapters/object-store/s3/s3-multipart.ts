/**
 * The port's step-by-step multipart operations on S3 (CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, ListMultipartUploads, AbortMultipartUpload), so a caller can persist an upload's
 * progress and resume it after a restart — lib-storage's Upload (used by put) cannot resume.
 */
import type { FloeError } from '../../../core/errors.js';
import type { MultipartUploads, ObjectInfo, PutOptions } from '../../../core/ports/object-store.js';
import { checkKey, normaliseEtag } from '../keys.js';

type S3Module = typeof import('@aws-sdk/client-s3');

export interface S3MultipartDeps {
  readonly bucket: string;
  readonly realBucket: string;
  client(): Promise<{ s3: S3Module; client: InstanceType<S3Module['S3Client']> }>;
  head(key: string): Promise<ObjectInfo | undefined>;
  mapError(key: string, error: unknown, op: string): FloeError;
  /** Reports the completed object like any other write. */
  created(info: ObjectInfo): void;
}

export class S3Multipart implements MultipartUploads {
  constructor(private readonly deps: S3MultipartDeps) {}

  async create(key: string, options: PutOptions = {}): Promise<string> {
    return this.call(key, 'create multipart upload for', async ({ s3, client }) => {
      const out = await client.send(new s3.CreateMultipartUploadCommand({ Bucket: this.deps.realBucket, Key: key, ...headers(options) }));
      return out.UploadId!;
    });
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
    return this.call(key, `upload part ${partNumber} of`, async ({ s3, client }) => {
      const out = await client.send(
        new s3.UploadPartCommand({ Bucket: this.deps.realBucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }),
      );
      return normaliseEtag(out.ETag);
    });
  }

  async complete(key: string, uploadId: string, parts: ReadonlyArray<{ partNumber: number; etag: string }>): Promise<ObjectInfo> {
    await this.call(key, 'complete multipart upload of', async ({ s3, client }) => {
      await client.send(
        new s3.CompleteMultipartUploadCommand({
          Bucket: this.deps.realBucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag}"` })) },
        }),
      );
    });
    const info = await this.deps.head(key);
    if (!info) throw this.deps.mapError(key, new Error('object missing right after CompleteMultipartUpload'), 'complete');
    this.deps.created(info);
    return info;
  }

  async list(prefix?: string): Promise<Array<{ key: string; uploadId: string; initiated: Date }>> {
    return this.call(prefix ?? '', 'list multipart uploads under', async ({ s3, client }) => {
      const out = await client.send(new s3.ListMultipartUploadsCommand({ Bucket: this.deps.realBucket, Prefix: prefix || undefined }));
      return (out.Uploads ?? []).map((u) => ({ key: u.Key!, uploadId: u.UploadId!, initiated: u.Initiated ?? new Date(0) }));
    });
  }

  async abort(key: string, uploadId: string): Promise<void> {
    await this.call(key, 'abort multipart upload of', async ({ s3, client }) => {
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket: this.deps.realBucket, Key: key, UploadId: uploadId }));
    });
  }

  private async call<T>(key: string, op: string, fn: (sdk: Awaited<ReturnType<S3MultipartDeps['client']>>) => Promise<T>): Promise<T> {
    if (key) checkKey(this.deps.bucket, key);
    const sdk = await this.deps.client();
    try {
      return await fn(sdk);
    } catch (error) {
      throw this.deps.mapError(key, error, op);
    }
  }
}

/** PutOptions as the SDK's request fields (absent fields are not sent). */
export function headers(o: PutOptions): { ContentType?: string; ContentDisposition?: string; CacheControl?: string } {
  return {
    ...(o.contentType !== undefined ? { ContentType: o.contentType } : {}),
    ...(o.contentDisposition !== undefined ? { ContentDisposition: o.contentDisposition } : {}),
    ...(o.cacheControl !== undefined ? { CacheControl: o.cacheControl } : {}),
  };
}
