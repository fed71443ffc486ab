/**
 * Starts a real S3+SQS server (moto_server) on 127.0.0.1 and a free port for a test file, and stops it by
 * PID. `MOTO_SERVER` overrides the executable (default: `moto_server` on PATH).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Moto {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const bin = process.env.MOTO_SERVER ?? 'moto_server';
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const early = await Promise.race([exited, sleep(100).then(() => 'waiting' as const)]);
    if (early !== 'waiting') throw new Error(`moto_server exited (${early}) before it was ready: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      throw new Error(`moto_server did not become ready on ${endpoint}: ${stderr}`);
    }
  }
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await res.body?.cancel();
    },
    async stop() {
      if (child.exitCode !== null || !child.pid) return;
      process.kill(child.pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
      if (!done && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    },
  };
}

/** Creates a bucket, and optionally an SQS queue receiving its object-created notifications. */
export async function createBucket(
  moto: Moto,
  bucket: string,
  withQueue = false,
  visibilityTimeoutSeconds = 30,
): Promise<{ queueUrl: string | undefined }> {
  const { S3Client, CreateBucketCommand, PutBucketNotificationConfigurationCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: moto.region, endpoint: moto.endpoint, forcePathStyle: true, credentials: moto.credentials });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (!withQueue) return { queueUrl: undefined };
    const { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
    try {
      const q = await sqs.send(new CreateQueueCommand({
        QueueName: `${bucket}-events`,
        Attributes: { VisibilityTimeout: String(visibilityTimeoutSeconds) },
      }));
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }));
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: {
            QueueConfigurations: [{ QueueArn: attrs.Attributes!.QueueArn!, Events: ['s3:ObjectCreated:*'] }],
          },
        }),
      );
      return { queueUrl: q.QueueUrl };
    } finally {
      sqs.destroy();
    }
  } finally {
    s3.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
