/**
 * PutS3Object's resumable multipart upload (NiFi §3.4): the uploadId, each part's ETag and the byte position
 * are persisted after every part in a local state file, keyed by processor + bucket + key + flowfile uuid
 * (NIFI-15969: two flowfiles with the same key never share an upload). After a crash or a failure loop the
 * same flowfile resumes — if the upload still exists on the server — from the saved position; otherwise it
 * starts over. Uploads older than the max age are aborted at most once per age-off interval.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MultipartUploads, ObjectInfo, PutOptions } from '../../core/ports/object-store.js';
import { crashPoint } from '../fault-injection.js';

export interface UploadState {
  uploadId: string;
  position: number;
  parts: Array<{ partNumber: number; etag: string }>;
  partSize: number;
  contentLength: number;
  /** Epoch ms the upload was created. */
  timestamp: number;
}

/** The processor's multipart state: one JSON file, replaced atomically (temp + fsync + rename). */
export class MultipartStateFile {
  private cache: Record<string, UploadState> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(key: string): Promise<UploadState | undefined> {
    return (await this.load())[key];
  }

  async set(key: string, state: UploadState | undefined): Promise<void> {
    const all = await this.load();
    if (state) all[key] = state;
    else delete all[key];
    // Serialized: concurrent uploads of one processor share the file.
    this.writing = this.writing.then(() => this.save(all));
    await this.writing;
  }

  async entries(): Promise<Array<[string, UploadState]>> {
    return Object.entries(await this.load());
  }

  private async load(): Promise<Record<string, UploadState>> {
    this.cache ??= JSON.parse(await readFile(this.path, 'utf8').catch(() => '{}')) as Record<string, UploadState>;
    return this.cache;
  }

  private async save(all: Record<string, UploadState>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(all));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path);
  }
}

export interface ResumableUpload {
  readonly uploads: MultipartUploads;
  readonly state: MultipartStateFile;
  readonly stateKey: string;
  readonly key: string;
  /** Content-Type etc., sent when the upload is created. */
  readonly options?: PutOptions;
  readonly partSize: number;
  readonly contentLength: number;
  /** Content from byte `skip` on. */
  content(skip: number): AsyncIterable<Uint8Array>;
  now(): number;
}

/** Uploads (or resumes) and completes; returns the object and the uploadId if this run initiated it. */
export async function resumableUpload(u: ResumableUpload): Promise<{ info: ObjectInfo; initiatedUploadId?: string }> {
  let state = await u.state.get(u.stateKey);
  if (state && !(await u.uploads.list(u.key)).some((x) => x.uploadId === state!.uploadId)) {
    state = undefined; // aborted or aged off on the server: start over
    await u.state.set(u.stateKey, undefined);
  }
  let initiatedUploadId: string | undefined;
  if (!state) {
    initiatedUploadId = await u.uploads.create(u.key, u.options);
    state = { uploadId: initiatedUploadId, position: 0, parts: [], partSize: u.partSize, contentLength: u.contentLength, timestamp: u.now() };
    await u.state.set(u.stateKey, state);
  }
  const current = state;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flushPart = async (): Promise<void> => {
    const body = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    const partNumber = current.parts.length + 1;
    const etag = await u.uploads.uploadPart(u.key, current.uploadId, partNumber, body);
    current.parts.push({ partNumber, etag });
    current.position += body.length;
    await u.state.set(u.stateKey, current);
    crashPoint('put-s3-after-part');
  };
  for await (const chunk of u.content(current.position)) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (buf.length > 0) {
      const take = Math.min(buf.length, current.partSize - pendingBytes);
      pending.push(buf.subarray(0, take));
      pendingBytes += take;
      buf = buf.subarray(take);
      if (pendingBytes === current.partSize) await flushPart();
    }
  }
  if (pendingBytes > 0 || current.parts.length === 0) await flushPart();
  const info = await u.uploads.complete(u.key, current.uploadId, current.parts);
  await u.state.set(u.stateKey, undefined);
  return { info, initiatedUploadId };
}

/** Aborts server-side uploads initiated before `now - maxAge` and forgets old local entries. */
export async function ageOffUploads(uploads: MultipartUploads, state: MultipartStateFile, now: number, maxAge: number): Promise<number> {
  let aborted = 0;
  for (const u of await uploads.list()) {
    if (u.initiated.getTime() < now - maxAge) {
      await uploads.abort(u.key, u.uploadId);
      aborted++;
    }
  }
  for (const [key, s] of await state.entries()) if (s.timestamp < now - maxAge) await state.set(key, undefined);
  return aborted;
}
