/**
 * A bucket kept in a local folder: key `a/b.csv` is file `<root>/a/b.csv`. Writes go to a temp file in
 * `<root>/.floe-tmp/` and are renamed into place, so readers (and a crash) only ever see whole objects.
 * The ETag is a function of the content (content-etag.ts): its MD5 under 64 MiB, S3's multipart shape above.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
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
import { LOCAL_TMP_DIR, invalidKey, localKeySegments, missingObject, toBytes } from '../keys.js';
import { ChecksumCache } from './checksum-cache.js';
import { ContentEtagHash, contentEtagOfFile } from './content-etag.js';
import { FolderWatcher } from './folder-watcher.js';
import { listLocalKeys } from './list-keys.js';

export interface LocalObjectStoreOptions {
  readonly bucket: string;
  /** Absolute folder holding the bucket. Created if missing. */
  readonly root: string;
  /** Flush file data to disk before the rename (default true): survives power loss, not only kill -9. */
  readonly fsync?: boolean;
  readonly onError?: (error: unknown) => void;
}

export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly bucket: string;
  readonly location: string;
  private readonly root: string;
  private readonly fsync: boolean;
  private readonly hub = new EventHub();
  private readonly checksums = new ChecksumCache();
  private readonly onError: (error: unknown) => void;
  private watcher: FolderWatcher | undefined;
  private watchUsers = 0;

  constructor(options: LocalObjectStoreOptions) {
    this.bucket = options.bucket;
    this.root = options.root;
    this.location = options.root;
    this.fsync = options.fsync ?? true;
    this.onError = options.onError ?? ((e) => console.error(`floe: bucket '${options.bucket}': event listener failed:`, e));
  }

  get notificationChannel(): string | undefined {
    return this.root;
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  private pathOf(key: string): string {
    const path = join(this.root, ...localKeySegments(this.bucket, key));
    // Belt and braces: the segment rules already exclude `..`, this guards against future changes to them.
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) throw invalidKey(this.bucket, key, 'outside the bucket folder');
    return path;
  }

  async put(key: string, body: ObjectBody): Promise<ObjectInfo> {
    const target = this.pathOf(key);
    const tmp = this.tmpPath();
    const hash = new ContentEtagHash();
    let size = 0;
    const handle = await this.openTmp(tmp);
    try {
      const chunks: AsyncIterable<Uint8Array> | Uint8Array[] =
        typeof body === 'string' || body instanceof Uint8Array ? [toBytes(body)] : body;
      for await (const chunk of chunks) {
        const written = handle.write(chunk); // the chunk is hashed while it is being written
        hash.update(chunk);
        size += chunk.byteLength;
        await written;
      }
      if (this.fsync) await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return this.publish(key, tmp, target, size, hash.digest());
  }

  /**
   * Stores the bytes of a local file that nobody rewrites in place (it may be deleted): the object becomes a
   * hard link to it — no bytes copied — or, across file systems, a kernel copy; the ETag is computed meanwhile
   * (unless the caller passes it). The object and the file then share their bytes, which is why in-place rewrites are excluded.
   */
  async putFile(key: string, path: string, options: PutOptions = {}): Promise<ObjectInfo> {
    const target = this.pathOf(key);
    const tmp = this.tmpPath();
    const place = async (): Promise<void> => {
      try {
        await link(path, tmp).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          await mkdir(dirname(tmp), { recursive: true });
          await link(path, tmp);
        });
      } catch {
        await (await this.openTmp(tmp)).close(); // another device, protected hard links…: copy instead
        await copyFile(path, tmp, constants.COPYFILE_FICLONE);
      }
      if (!this.fsync) return;
      const handle = await open(tmp, 'r');
      await handle.sync().finally(() => handle.close());
    };
    // Both settle before any cleanup: when the source is missing the hash fails first, and placing it (falling back
    // to a copy into a fresh temp file) would otherwise leave that temp file behind after the unlink.
    const [placed, hashed] = await Promise.allSettled([place(), options.contentEtag ?? contentEtagOfFile(path)]);
    if (placed.status === 'rejected' || hashed.status === 'rejected') {
      await unlink(tmp).catch(() => undefined);
      throw placed.status === 'rejected' ? placed.reason : (hashed as PromiseRejectedResult).reason;
    }
    const etag = hashed.value;
    const info = await this.publish(key, tmp, target, (await stat(tmp)).size, etag);
    // Renaming a link onto another link of the same file (the same content put again) leaves both names.
    await unlink(tmp).catch(() => undefined);
    return info;
  }

  private tmpPath(): string {
    return join(this.root, LOCAL_TMP_DIR, `${randomUUID()}.part`);
  }

  /** Folders are created only when missing (ENOENT), not checked on every put: a flow puts thousands of objects. */
  private openTmp(tmp: string): Promise<FileHandle> {
    return open(tmp, 'wx').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(dirname(tmp), { recursive: true });
      return open(tmp, 'wx');
    });
  }

  /** Renames a complete temp file into place and reports the new object. */
  private async publish(key: string, tmp: string, target: string, size: number, etag: string): Promise<ObjectInfo> {
    try {
      await rename(tmp, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
      });
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw new FloeError('STORAGE', `cannot write '${key}' in bucket '${this.bucket}': ${(error as Error).message}`, { cause: error });
    }
    const st = await stat(target);
    this.checksums.remember(target, st, etag);
    this.watcher?.ownWrite(key, st);
    const info: ObjectInfo = { key, size, etag, lastModified: st.mtime };
    this.hub.notify({ bucket: this.bucket, key, size, etag, eventTime: new Date(), source: 'store' }, this.onError);
    return info;
  }

  async getStream(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // O_NOFOLLOW: a symlink planted in the folder cannot make a key read a file elsewhere.
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      return handle.createReadStream({ autoClose: true });
    } catch (error) {
      throw this.mapError(key, error);
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const path = this.pathOf(key);
    try {
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        return await readFile(handle);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw this.mapError(key, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(key);
    try {
      const st = await stat(path);
      if (!st.isFile()) return undefined;
      return { key, size: st.size, etag: await this.checksums.etag(path, st), lastModified: st.mtime };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.mapError(key, error);
    }
  }

  async *list(prefix = '', options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    const keys = await listLocalKeys(this.bucket, this.root, prefix);
    for (const key of keys) {
      if (options.startAfter !== undefined && Buffer.compare(Buffer.from(key), Buffer.from(options.startAfter)) <= 0) continue;
      const info = await this.head(key);
      if (info) yield info; // deleted between the directory walk and now: not listed
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw this.mapError(key, error);
    }
    this.checksums.forget(path);
  }

  async subscribe(listener: ObjectEventListener, options: SubscribeOptions = {}): Promise<Subscription> {
    const remove = this.hub.add(listener);
    if (options.external) {
      this.watchUsers++;
      if (!this.watcher) {
        await mkdir(this.root, { recursive: true });
        this.watcher = await FolderWatcher.start(this.root, (key, st) =>
          this.hub.publish({ bucket: this.bucket, key, size: st.size, eventTime: new Date(), source: 'watch' }),
          this.onError,
        );
      }
    }
    let closed = false;
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        remove();
        if (options.external && --this.watchUsers === 0) await this.stopWatcher();
      },
    };
  }

  private async stopWatcher(): Promise<void> {
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }

  async close(): Promise<void> {
    this.watchUsers = 0;
    await this.stopWatcher();
  }

  private mapError(key: string, error: unknown): FloeError {
    if (error instanceof FloeError) return error;
    if (isMissing(error)) return missingObject(this.bucket, key);
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return invalidKey(this.bucket, key, 'is a symbolic link');
    return new FloeError('STORAGE', `bucket '${this.bucket}', key '${key}': ${(error as Error).message}`, { cause: error });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
