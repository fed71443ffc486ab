/**
 * A bucket on S3 or an S3-compatible server (AWS SDK v3, imported lazily so projects without S3 buckets
 * never load it). Big or streamed bodies go through lib-storage's multipart upload.
 */
import type { Readable } from 'node:stream';
import { FloeError } from '../../../core/errors.js';
import type {
  ListOptions,
  ObjectBody,
  ObjectEventListener,
  ObjectInfo,
  ObjectStore,
  PutOptions,
  SubscribeOptions,
  Subscription,
} from '../../../core/ports/object-store.js';
import { EventHub } from '../event-hub.js';
import { checkKey, missingObject, normaliseEtag, toBytes } from '../keys.js';
import { loadLibStorage, loadS3 } from './aws-sdk.js';
import { SqsPoller } from './sqs-poller.js';
import { headers, S3Multipart } from './s3-multipart.js';

export interface S3ObjectStoreOptions {
  /** Logical bucket name (used in SQL URLs). */
  readonly bucket: string;
  /** Real bucket name on the server (defaults to the logical name). */
  readonly realBucket?: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** SQS queue URL receiving this bucket's object-created notifications. */
  readonly sqsQueueUrl?: string;
  /** Bodies at least this big (or streamed) use multipart upload. */
  readonly multipartThreshold?: number;
  readonly partSize?: number;
  readonly sqsWaitSeconds?: number;
  readonly onError?: (error: unknown) => void;
}

type S3Module = typeof import('@aws-sdk/client-s3');

const MIB = 1024 * 1024;

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly location: string;
  readonly notificationChannel: string | undefined;
  private readonly real: string;
  private readonly hub = new EventHub();
  private readonly onError: (error: unknown) => void;
  private sdk: Promise<{ s3: S3Module; client: InstanceType<S3Module['S3Client']> }> | undefined;
  private poller: SqsPoller | undefined;
  private pollerUsers = 0;
  /** Step-by-step multipart uploads (PutS3Object resumes them across restarts). */
  readonly multipartUploads: S3Multipart;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.real = options.realBucket ?? options.bucket;
    this.location = `s3://${this.real}/${options.endpoint ? ` (${options.endpoint})` : ''}`;
    this.notificationChannel = options.sqsQueueUrl;
    this.onError = options.onError ?? ((e) => console.error(`floe: bucket '${options.bucket}':`, e));
    this.multipartUploads = new S3Multipart({
      bucket: this.bucket,
      realBucket: this.real,
      client: () => this.client(),
      head: (key) => this.head(key),
      mapError: (key, error, op) => this.mapError(key, error, op),
      created: (i) => this.hub.notify({ bucket: this.bucket, key: i.key, size: i.size, etag: i.etag, eventTime: new Date(), source: 'store' }, this.onError),
    });
  }

  private client() {
    this.sdk ??= (async () => {
      const s3 = await loadS3();
      const o = this.options;
      const client = new s3.S3Client({
        region: o.region,
        endpoint: o.endpoint,
        forcePathStyle: o.forcePathStyle ?? o.endpoint !== undefined,
        credentials: o.credentials,
        // S3-compatible servers reject or mis-handle the SDK's default CRC32 checksums (toolchain.md).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { s3, client };
    })();
    return this.sdk;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    checkKey(this.bucket, key);
    const { s3, client } = await this.client();
    const threshold = this.options.multipartThreshold ?? 16 * MIB;
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        const bytes = toBytes(body);
        if (bytes.byteLength < threshold) {
          await client.send(new s3.PutObjectCommand({ Bucket: this.real, Key: key, Body: bytes, ...headers(options) }));
        } else {
          await this.multipart(key, bytes, options);
        }
      } else {
        const { Readable } = await import('node:stream');
        await this.multipart(key, Readable.from(body), options);
      }
    } catch (error) {
      throw this.mapError(key, error, 'put');
    }
    const info = await this.head(key);
    if (!info) throw new FloeError('STORAGE', `bucket '${this.bucket}': object '${key}' missing right after upload`);
    this.hub.notify({ bucket: this.bucket, key, size: info.size, etag: info.etag, eventTime: new Date(), source: 'store' }, this.onError);
    return info;
  }

  private async multipart(key: string, body: Uint8Array | Readable, options: PutOptions): Promise<void> {
    const { client } = await this.client();
    const { Upload } = await loadLibStorage();
    const upload = new Upload({
      client,
      params: { Bucket: this.real, Key: key, Body: body, ...headers(options) },
      partSize: Math.max(this.options.partSize ?? 8 * MIB, 5 * MIB),
      queueSize: 4,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async getStream(key: string): Promise<Readable> {
    checkKey(this.bucket, key);
    const { s3, client } = await this.client();
    try {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: this.real, Key: key }));
      return out.Body as Readable;
    } catch (error) {
      throw this.mapError(key, error, 'get');
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    checkKey(this.bucket, key);
    const { s3, client } = await this.client();
    try {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: this.real, Key: key }));
      return await out.Body!.transformToByteArray();
    } catch (error) {
      throw this.mapError(key, error, 'get');
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    checkKey(this.bucket, key);
    const { s3, client } = await this.client();
    try {
      const out = await client.send(new s3.HeadObjectCommand({ Bucket: this.real, Key: key }));
      return { key, size: out.ContentLength ?? 0, etag: normaliseEtag(out.ETag), lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.mapError(key, error, 'head');
    }
  }

  async *list(prefix = '', options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const { s3, client } = await this.client();
    let token: string | undefined;
    do {
      let out;
      try {
        out = await client.send(
          new s3.ListObjectsV2Command({
            Bucket: this.real,
            Prefix: prefix || undefined,
            StartAfter: token === undefined ? options.startAfter : undefined,
            ContinuationToken: token,
            MaxKeys: options.pageSize,
          }),
        );
      } catch (error) {
        throw this.mapError(prefix, error, 'list');
      }
      for (const o of out.Contents ?? []) {
        if (o.Key === undefined) continue;
        yield { key: o.Key, size: o.Size ?? 0, etag: normaliseEtag(o.ETag), lastModified: o.LastModified ?? new Date(0) };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    checkKey(this.bucket, key);
    const { s3, client } = await this.client();
    try {
      await client.send(new s3.DeleteObjectCommand({ Bucket: this.real, Key: key }));
    } catch (error) {
      throw this.mapError(key, error, 'delete');
    }
  }

  async subscribe(listener: ObjectEventListener, options: SubscribeOptions = {}): Promise<Subscription> {
    const remove = this.hub.add(listener);
    const external = options.external === true && this.options.sqsQueueUrl !== undefined;
    if (external) {
      this.pollerUsers++;
      if (!this.poller) {
        const o = this.options;
        this.poller = new SqsPoller({
          queueUrl: o.sqsQueueUrl!,
          region: o.region,
          endpoint: o.endpoint,
          credentials: o.credentials,
          realBucket: this.real,
          logicalBucket: this.bucket,
          publish: (e) => this.hub.publish(e),
          onError: this.onError,
          waitSeconds: o.sqsWaitSeconds,
        });
        await this.poller.start();
      }
    }
    let closed = false;
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        remove();
        if (external && --this.pollerUsers === 0) await this.stopPoller();
      },
    };
  }

  private async stopPoller(): Promise<void> {
    const p = this.poller;
    this.poller = undefined;
    await p?.close();
  }

  async close(): Promise<void> {
    this.pollerUsers = 0;
    await this.stopPoller();
    const sdk = this.sdk;
    this.sdk = undefined;
    if (sdk) (await sdk).client.destroy();
  }

  private mapError(key: string, error: unknown, op: string): FloeError {
    if (error instanceof FloeError) return error;
    if (isNotFound(error)) return missingObject(this.bucket, key);
    const e = error as { name?: string; message?: string };
    return new FloeError('STORAGE', `bucket '${this.bucket}': ${op} '${key}' failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`, {
      cause: error,
    });
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
