/**
 * Long-polls the SQS queue that receives a bucket's notifications. A message is deleted only after every
 * listener has handled its records (a pipe persists the file in its durable queue first), so a crash
 * between receive and delete means redelivery, never a lost file.
 */
import type { ObjectCreatedEvent } from '../../../core/ports/object-store.js';
import { normaliseEtag } from '../keys.js';
import { loadSqs } from './aws-sdk.js';
import { parseS3Message } from './s3-events.js';

export interface SqsPollerOptions {
  readonly queueUrl: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Real S3 bucket name (events for other buckets on the same queue are left to other consumers' rules). */
  readonly realBucket: string;
  readonly logicalBucket: string;
  readonly publish: (event: ObjectCreatedEvent) => Promise<void>;
  readonly onError: (error: unknown) => void;
  /** Seconds one ReceiveMessage waits for messages (1–20). */
  readonly waitSeconds?: number;
}

export class SqsPoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SqsPollerOptions) {}

  async start(): Promise<void> {
    const sqs = await loadSqs();
    const o = this.options;
    const client = new sqs.SQSClient({ region: o.region, endpoint: o.endpoint, credentials: o.credentials });
    this.loop = this.run(client, sqs).finally(() => client.destroy());
  }

  private async run(client: any, sqs: typeof import('@aws-sdk/client-sqs')): Promise<void> {
    const o = this.options;
    let backoff = 100;
    while (!this.abort.signal.aborted) {
      try {
        const out = await client.send(
          new sqs.ReceiveMessageCommand({ QueueUrl: o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: o.waitSeconds ?? 1 }),
          { abortSignal: this.abort.signal },
        );
        backoff = 100;
        for (const m of out.Messages ?? []) {
          if (await this.handle(m.Body ?? '')) {
            await client.send(new sqs.DeleteMessageCommand({ QueueUrl: o.queueUrl, ReceiptHandle: m.ReceiptHandle }));
          }
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        o.onError(error);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /** True when the message may be deleted. */
  private async handle(body: string): Promise<boolean> {
    const o = this.options;
    const parsed = parseS3Message(body);
    if (parsed.kind === 'test') return true;
    if (parsed.kind === 'unknown') {
      o.onError(new Error(`SQS ${o.queueUrl}: ignoring message (${parsed.reason})`));
      return true;
    }
    try {
      for (const r of parsed.records) {
        if (r.bucket !== o.realBucket) continue;
        await o.publish({
          bucket: o.logicalBucket,
          key: r.key,
          size: r.size,
          etag: r.etag === undefined ? undefined : normaliseEtag(r.etag),
          eventTime: r.eventTime,
          source: 'sqs',
        });
      }
      return true;
    } catch (error) {
      o.onError(error); // keep the message: SQS redelivers it after the visibility timeout
      return false;
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop?.catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
