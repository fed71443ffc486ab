/**
 * LIST / PUT / GET / REMOVE on stages (internal, table, user and external), with Snowflake's result columns.
 * Files stream between the local disk and the object store; nothing is held whole in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { compilationError, executionError } from '../../core/errors.js';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { optionBool, optionString, parseOptions } from '../load/option-parser.js';
import { displayKey, parseStageRef, resolveStageRef, type StageLocation } from '../load/stage-location.js';
import { showResult, type ColumnSpecs, type Row } from './show-common.js';

/** `@stage/path` (or the quoted form `'@stage/path with spaces'`). */
export function stageArg(ctx: ExecContext, cur: TokenCursor): StageLocation {
  const t = cur.next();
  if (t.type === 'stage') return resolveStageRef(ctx, parseStageRef(t.value));
  if (t.type === 'string' && t.value.startsWith('@')) return resolveStageRef(ctx, parseStageRef(t.value.slice(1)));
  throw cur.unexpectedAt(t, 'expected a stage (@name)');
}

/** Java-style full-match regex of LIST/COPY PATTERN. */
export function patternMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  let rx: RegExp;
  try {
    rx = new RegExp(`^(?:${pattern})$`, 's');
  } catch (e) {
    throw compilationError(`invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
  return (name) => rx.test(name);
}

export async function listLocation(loc: StageLocation, pattern: string | undefined): Promise<ObjectInfo[]> {
  const match = patternMatcher(pattern);
  const out: ObjectInfo[] = [];
  for await (const o of loc.store.list(loc.prefix)) if (match(displayKey(loc, o.key))) out.push(o);
  return out;
}

const LIST_COLUMNS: ColumnSpecs = { name: 'TEXT', size: 'NUMBER', md5: 'TEXT', last_modified: 'TEXT' };

export async function handleList(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.next(); // LIST | LS
  const loc = stageArg(ctx, cur);
  const opts = parseOptions(cur);
  cur.expectEnd();
  const files = await listLocation(loc, optionString('PATTERN', opts.PATTERN));
  const rows: Row[] = files.map((o) => ({ name: displayKey(loc, o.key), size: o.size, md5: o.etag, last_modified: o.lastModified.toUTCString() }));
  return showResult(LIST_COLUMNS, rows, {});
}

const PUT_COLUMNS: ColumnSpecs = {
  source: 'TEXT',
  target: 'TEXT',
  source_size: 'NUMBER',
  target_size: 'NUMBER',
  source_compression: 'TEXT',
  target_compression: 'TEXT',
  status: 'TEXT',
  message: 'TEXT',
};

function localPath(url: string): string {
  const u = url.replace(/^'|'$/g, '');
  if (!/^file:\/\//i.test(u)) throw compilationError(`expected a file:// URL, got '${u}'`);
  // file:///abs/path and file://C:/… forms; a relative file://dir/x is relative to the working directory.
  return /^file:\/\/\//i.test(u) ? fileURLToPath(u.replace(/ /g, '%20')) : u.slice('file://'.length);
}

async function expandGlob(path: string): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const dir = dirname(path);
  const rx = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && rx.test(e.name)).map((e) => join(dir, e.name)).sort();
}

async function isGzip(path: string): Promise<boolean> {
  const h = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await h.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await h.close();
  }
}

export async function handlePut(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('PUT');
  const src = cur.next();
  if (src.type !== 'string') throw cur.unexpectedAt(src, 'expected file://<path>');
  const loc = stageArg(ctx, cur);
  const opts = parseOptions(cur);
  cur.expectEnd();
  const autoCompress = optionBool('AUTO_COMPRESS', opts.AUTO_COMPRESS, true);
  const overwrite = optionBool('OVERWRITE', opts.OVERWRITE, false);
  const sourceCompression = (optionString('SOURCE_COMPRESSION', opts.SOURCE_COMPRESSION) ?? 'AUTO_DETECT').toUpperCase();
  if (!['AUTO_DETECT', 'GZIP', 'NONE'].includes(sourceCompression)) throw compilationError(`unsupported: SOURCE_COMPRESSION = ${sourceCompression} (floe detects GZIP or NONE)`);
  const files = await expandGlob(localPath(src.value));
  if (files.length === 0) throw executionError(`File doesn't exist: ['${localPath(src.value)}']`);
  const prefix = loc.prefix === '' || loc.prefix.endsWith('/') ? loc.prefix : `${loc.prefix}/`;
  const rows: Row[] = [];
  for (const file of files) {
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) throw executionError(`File doesn't exist: ['${file}']`);
    const gz = sourceCompression === 'GZIP' || (sourceCompression === 'AUTO_DETECT' && (await isGzip(file)));
    const compress = autoCompress && !gz;
    const target = basename(file) + (compress ? '.gz' : '');
    const key = prefix + target;
    const row: Row = { source: basename(file), target, source_size: st.size, source_compression: gz ? 'GZIP' : 'NONE', target_compression: gz || compress ? 'GZIP' : 'NONE', message: '' };
    const existing = overwrite ? undefined : await loc.store.head(key);
    if (existing) {
      rows.push({ ...row, target_size: existing.size, status: 'SKIPPED' });
      continue;
    }
    const body = compress ? createReadStream(file).pipe(createGzip()) : createReadStream(file);
    const info = await loc.store.put(key, body);
    rows.push({ ...row, target_size: info.size, status: 'UPLOADED' });
  }
  return showResult(PUT_COLUMNS, rows, {});
}

export async function handleGet(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('GET');
  const loc = stageArg(ctx, cur);
  const dst = cur.next();
  if (dst.type !== 'string') throw cur.unexpectedAt(dst, 'expected file://<directory>');
  const opts = parseOptions(cur);
  cur.expectEnd();
  const dir = localPath(dst.value);
  await mkdir(dir, { recursive: true });
  const rows: Row[] = [];
  for (const o of await listLocation(loc, optionString('PATTERN', opts.PATTERN))) {
    const name = basename(o.key);
    await pipeline(await loc.store.getStream(o.key), createWriteStream(join(dir, name)));
    rows.push({ file: name, size: o.size, status: 'DOWNLOADED', message: '' });
  }
  return showResult({ file: 'TEXT', size: 'NUMBER', status: 'TEXT', message: 'TEXT' }, rows, {});
}

export async function handleRemove(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.next(); // REMOVE | RM
  const loc = stageArg(ctx, cur);
  const opts = parseOptions(cur);
  cur.expectEnd();
  const rows: Row[] = [];
  for (const o of await listLocation(loc, optionString('PATTERN', opts.PATTERN))) {
    await loc.store.delete(o.key);
    rows.push({ name: displayKey(loc, o.key), result: 'removed' });
  }
  return showResult({ name: 'TEXT', result: 'TEXT' }, rows, {});
}
