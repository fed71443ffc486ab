/**
 * Content store: flowfile bytes in files under `<state>/content/`. Small contents are appended to a shared
 * "resource claim" file (like NiFi, so 10k small files do not cost 10k fsyncs); large ones get their own file.
 * `flush()` fsyncs everything written since the last flush and runs before the repository commit that
 * references it, so a journalled flowfile always has durable content. Unreferenced files are removed by `gc`.
 * Small contents just written are also kept in memory for the next reader (content-cache.ts); a big local file
 * can enter by hard link instead of a copy (`linkFrom`).
 */
import { constants, createReadStream, type ReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ContentCache } from './content-cache.js';
import { contentEtagOfFile } from '../adapters/object-store/local/content-etag.js';
import { copyInto, syncDir } from './file-utils.js';
import type { ContentClaim } from './flowfile.js';

/** A shared claim file stays appendable up to this size (NiFi's max appendable claim size is 50 KB per claim). */
const MAX_APPENDABLE = 8 * 1024 * 1024;
/** Contents at least this big get a file of their own, so deleting them frees disk at once. */
const OWN_FILE_THRESHOLD = 1024 * 1024;

export class ContentStore {
  private current: { name: string; handle: FileHandle; size: number } | undefined;
  private readonly dirty = new Set<FileHandle>();
  private readonly retired: FileHandle[] = [];
  /** Files written by sessions that have not committed yet: gc must not take them. */
  private readonly pinned = new Map<string, number>();
  /** In-progress positional writes per handle: a retired handle is closed only when none is left. */
  private readonly writing = new Map<FileHandle, number>();
  private seq = 0;
  private rolling: Promise<void> | undefined;
  /** A file was created since the last flush: the directory entry must be made durable too. */
  private newFiles = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly cache = new ContentCache();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<ContentStore> {
    await mkdir(dir, { recursive: true });
    const store = new ContentStore(dir);
    for (const name of await readdir(dir)) {
      const n = Number.parseInt(name, 10);
      if (Number.isFinite(n)) store.seq = Math.max(store.seq, n);
    }
    return store;
  }

  path(claim: ContentClaim): string {
    return join(this.dir, claim.file);
  }

  async write(data: Buffer): Promise<ContentClaim> {
    if (data.length >= OWN_FILE_THRESHOLD) return this.writeOwnFile(data);
    const current = await this.appendable(data.length);
    // Reserve the range synchronously: concurrent writers append without overlapping.
    const offset = current.size;
    current.size += data.length;
    this.pin(current.name);
    this.writing.set(current.handle, (this.writing.get(current.handle) ?? 0) + 1);
    try {
      await current.handle.write(data, 0, data.length, offset);
    } finally {
      this.writing.set(current.handle, this.writing.get(current.handle)! - 1);
    }
    this.dirty.add(current.handle);
    const claim = { file: current.name, offset, length: data.length };
    this.cache.remember(claim, data);
    return claim;
  }

  /** Streams `source` into a file of its own (large contents: a 1 GB file never sits in memory). */
  async writeStream(source: Readable): Promise<ContentClaim> {
    const name = this.nextName();
    this.pin(name);
    const handle = await open(join(this.dir, name), 'w');
    let length: number;
    try {
      length = await copyInto(source, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.dirty.add(handle);
    this.retired.push(handle);
    this.newFiles = true;
    return { file: name, offset: 0, length };
  }

  /**
   * A snapshot of the first `size` bytes (`size` from the caller's fstat) of a file the caller opened at
   * `path`: small files are read, big ones copied by the kernel — or, with `link`, hard-linked (no copy; the
   * caller removes the source name after the commit).
   */
  async importFile(handle: FileHandle, path: string, size: number, link = false): Promise<ContentClaim> {
    if (size >= OWN_FILE_THRESHOLD) return link ? this.linkFrom(path).catch(() => this.copyFrom(path)) : this.copyFrom(path);
    const buffer = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(buffer, done, size - done, done);
      if (bytesRead === 0) break; // truncated since the stat: the snapshot is what is there now
      done += bytesRead;
    }
    return this.write(done === size ? buffer : buffer.subarray(0, done));
  }

  /** Copies a whole file into a content file of its own with the kernel's copy (no bytes through JS). */
  async copyFrom(path: string): Promise<ContentClaim> {
    const name = this.nextName();
    this.pin(name);
    await copyFile(path, join(this.dir, name), constants.COPYFILE_FICLONE);
    return (await this.adopt(name)).claim;
  }

  /**
   * Makes `path` a content file by hard link: no bytes are copied. The content is then the source's inode,
   * so the caller must only do this when the source name goes away after the commit (FetchFile's Delete File)
   * and nothing else rewrites it in place. Throws when the file system refuses (another device, protected
   * hard links): the caller copies instead.
   */
  async linkFrom(path: string): Promise<ContentClaim> {
    const name = this.nextName();
    await link(path, join(this.dir, name));
    this.pin(name);
    try {
      const { claim, handle } = await this.adopt(name);
      // Nothing was copied, so there was no pass over the bytes to hash on: flush them to disk (the writer may
      // not have) while computing the ETag a folder bucket gives it — two slow jobs at once, not one after the other.
      const [, etag] = await Promise.all([handle.sync(), contentEtagOfFile(this.path(claim), claim.length)]);
      return { ...claim, etag };
    } catch (error) {
      this.unpin(name); // the caller copies instead; gc removes this name
      throw error;
    }
  }

  /** A new whole-file content: fsynced (data and directory entry) by the next flush. */
  private async adopt(name: string): Promise<{ claim: ContentClaim; handle: FileHandle }> {
    const handle = await open(join(this.dir, name), 'r');
    this.dirty.add(handle);
    this.retired.push(handle);
    this.newFiles = true;
    return { claim: { file: name, offset: 0, length: (await handle.stat()).size }, handle };
  }

  /** The content file's path when the claim is the whole file (big contents), so it can be copied as a file. */
  async wholeFile(claim: ContentClaim | null): Promise<string | undefined> {
    if (!claim || claim.offset !== 0) return undefined;
    const info = await stat(this.path(claim)).catch(() => undefined);
    return info?.size === claim.length ? this.path(claim) : undefined;
  }

  read(claim: ContentClaim | null): Promise<Buffer> {
    if (!claim || claim.length === 0) return Promise.resolve(Buffer.alloc(0));
    const cached = this.cache.get(claim);
    if (cached) return Promise.resolve(cached);
    return (async () => {
      const handle = await open(this.path(claim), 'r');
      try {
        const buffer = Buffer.allocUnsafe(claim.length);
        let done = 0;
        while (done < claim.length) {
          const { bytesRead } = await handle.read(buffer, done, claim.length - done, claim.offset + done);
          if (bytesRead === 0) throw new Error(`content file ${claim.file} is truncated`);
          done += bytesRead;
        }
        return buffer;
      } finally {
        await handle.close();
      }
    })();
  }

  /** A stream of the claim's bytes from `skip` on (multipart resume skips bytes already uploaded). */
  stream(claim: ContentClaim | null, skip = 0): ReadStream | Readable {
    if (!claim || claim.length - skip <= 0) return createReadStream('/dev/null');
    return createReadStream(this.path(claim), {
      start: claim.offset + skip,
      end: claim.offset + claim.length - 1,
      highWaterMark: 1024 * 1024,
    });
  }

  /**
   * Makes everything written so far durable. Flushes are chained: a handle synced by an earlier, still
   * running flush has left `dirty`, so a later flush must wait for that one too before its caller commits.
   */
  flush(): Promise<void> {
    const previous = this.flushing;
    const mine = this.syncDirty();
    const both = Promise.all([previous, mine]).then(() => undefined);
    this.flushing = both.catch(() => undefined);
    return both;
  }

  private async syncDirty(): Promise<void> {
    const handles = [...this.dirty];
    this.dirty.clear();
    const newFiles = this.newFiles;
    this.newFiles = false;
    await Promise.all(handles.map((h) => h.sync()));
    if (newFiles) await syncDir(this.dir);
    const idle = this.retired.filter((h) => (this.writing.get(h) ?? 0) === 0 && !this.dirty.has(h));
    for (const h of idle) {
      this.retired.splice(this.retired.indexOf(h), 1);
      this.writing.delete(h);
    }
    await Promise.all(idle.map((h) => h.close()));
  }

  /** Keeps `file` from gc until `unpin` (a session's uncommitted content). */
  pin(file: string): void {
    this.pinned.set(file, (this.pinned.get(file) ?? 0) + 1);
  }

  unpin(file: string): void {
    const n = (this.pinned.get(file) ?? 0) - 1;
    if (n <= 0) this.pinned.delete(file);
    else this.pinned.set(file, n);
  }

  /** Deletes content files no live flowfile references (except the one still being appended to). */
  async gc(live: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (live.has(name) || name === this.current?.name || this.pinned.has(name)) continue;
      await rm(join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.retired.splice(0).map((h) => h.close()));
    await this.current?.handle.close();
    this.current = undefined;
  }

  private nextName(): string {
    return `${String(++this.seq).padStart(10, '0')}.bin`;
  }

  /** The shared claim file with room for `length` more bytes; concurrent writers wait for one roll-over. */
  private async appendable(length: number): Promise<{ name: string; handle: FileHandle; size: number }> {
    while (!this.current || this.current.size + length > MAX_APPENDABLE) {
      this.rolling ??= (async () => {
        const name = this.nextName();
        const handle = await open(join(this.dir, name), 'w');
        if (this.current) this.retired.push(this.current.handle);
        this.current = { name, handle, size: 0 };
        this.newFiles = true;
      })().finally(() => (this.rolling = undefined));
      await this.rolling;
    }
    return this.current;
  }

  private async writeOwnFile(data: Buffer): Promise<ContentClaim> {
    const name = this.nextName();
    this.pin(name);
    const handle = await open(join(this.dir, name), 'w');
    await handle.write(data, 0, data.length, 0);
    this.dirty.add(handle);
    this.retired.push(handle);
    this.newFiles = true;
    return { file: name, offset: 0, length: data.length };
  }
}
