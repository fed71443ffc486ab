/**
 * `storage:` section of floe.yaml — binds bucket names used in SQL (`s3://floe-demo/stream/`) to where the
 * environment keeps them: a local folder, or an S3-compatible endpoint (optionally with an SQS queue that
 * receives the bucket's object-created notifications, for pipe auto-ingest).
 */
import { z } from 'zod';

/** S3 bucket naming rules (lower case, digits, dots, hyphens, 3–63 chars): they also keep folder names safe. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const localBucket = z
  .object({
    type: z.literal('local'),
    /** Folder holding the bucket's objects; relative to the project folder. */
    path: z.string().min(1),
  })
  .strict();

const s3Bucket = z
  .object({
    type: z.literal('s3'),
    /** Real bucket name when it differs from the name used in SQL. */
    bucket: z.string().regex(BUCKET_NAME, 'expected an S3 bucket name').optional(),
    endpoint: z.url().optional(),
    region: z.string().min(1).default('us-east-1'),
    forcePathStyle: z.boolean().optional(),
    /** Credentials are read from the environment by default; names of env variables may be given instead. */
    accessKeyIdEnv: z.string().min(1).optional(),
    secretAccessKeyEnv: z.string().min(1).optional(),
    notifications: z.object({ sqs: z.url() }).strict().optional(),
  })
  .strict();

export const bucketConfig = z.discriminatedUnion('type', [localBucket, s3Bucket], {
  error: "expected a bucket with type 'local' (path: …) or 's3' (endpoint, region, …)",
});

export const storageSection = z
  .object({
    buckets: z.record(z.string().regex(BUCKET_NAME, 'bucket names use S3 rules: 3-63 chars of a-z, 0-9, . and -'), bucketConfig).default({}),
  })
  .strict();

export type BucketConfig = z.infer<typeof bucketConfig>;
export type StorageConfig = z.infer<typeof storageSection>;
