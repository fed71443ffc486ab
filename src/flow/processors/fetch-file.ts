/**
 * FetchFile: replaces a flowfile's content with the bytes of a local file (a snapshot taken now), then — only
 * after the session commit is durable — deletes or moves the source (NiFi §2.2). Routing: not.found and
 * permission.denied (ROUTE event, penalized), failure for read errors (penalized) and move-target problems
 * (not penalized).
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { FlowFile } from '../flowfile.js';
import type { LogLevel, ProcessContext, ProcessorSpec } from '../processor-api.js';
import type { ProcessSession } from '../session.js';
import { forEachLimit } from '../concurrency.js';
import { readSmallSync, SyncReads } from './sync-reads.js';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'];

export const fetchFileSpec: ProcessorSpec = {
  type: 'FetchFile',
  description: 'Reads the file named by an incoming flowfile (normally from ListFile) into its content; optionally deletes or moves the source afterwards.',
  tags: ['file', 'fetch', 'filesystem', 'ingest'],
  input: 'required',
  relationships: [
    { name: 'success', description: 'The file was read into the flowfile content.' },
    { name: 'not.found', description: 'The file does not exist (penalized).' },
    { name: 'permission.denied', description: 'The file cannot be read (penalized).' },
    { name: 'failure', description: 'Reading failed (penalized) or the move destination is unusable (not penalized).' },
  ],
  properties: [
    { name: 'File to Fetch', description: 'Full path of the file; relative paths are relative to the project folder.', default: '${absolute.path}/${filename}', required: true, expressionScope: 'flowfile' },
    { name: 'Completion Strategy', description: 'What to do with the source once the content is safely stored.', default: 'None', allowedValues: ['None', 'Move File', 'Delete File'] },
    { name: 'Move Destination Directory', description: 'Where Move File puts the source (created if missing).', expressionScope: 'flowfile', required: true, dependsOn: { property: 'Completion Strategy', values: ['Move File'] } },
    { name: 'Move Conflict Strategy', description: 'When the destination already has a file of that name.', default: 'Rename', allowedValues: ['Rename', 'Replace File', 'Keep Existing', 'Fail'] },
    { name: 'Log level when file not found', description: 'Level of the log message (and bulletin) for not.found.', default: 'ERROR', allowedValues: LOG_LEVELS },
    { name: 'Log level when permission denied', description: 'Level of the log message for permission.denied.', default: 'ERROR', allowedValues: LOG_LEVELS },
  ],
  create: () => {
    const reads = new SyncReads();
    return { onTrigger: (ctx, session) => fetchFiles(ctx, session, reads) };
  },
};

/** Reads of one batch overlap; the batch still commits once, before any source is deleted or moved. */
const PARALLEL_READS = 8;

async function fetchFiles(ctx: ProcessContext, session: ProcessSession, reads: SyncReads): Promise<void> {
  await forEachLimit(session.get(ctx.batchSize), PARALLEL_READS, (ff) => fetchOne(ctx, session, ff, reads));
}

async function fetchOne(ctx: ProcessContext, session: ProcessSession, ff: FlowFile, reads: SyncReads): Promise<void> {
  const raw = ctx.property('File to Fetch').evaluate(ff) ?? '';
  const path = isAbsolute(raw) ? resolve(raw) : resolve(ctx.projectDir, raw); // resolve() folds the '//' NiFi's default produces
  const strategy = ctx.property('Completion Strategy').evaluate();
  if (strategy !== 'Move File' && reads.enabled(ctx.now())) {
    const started = performance.now();
    const small = readSmallSync(path);
    reads.took(performance.now() - started, ctx.now());
    if (small && 'openError' in small) return routeOpenError(ctx, session, ff, path, small.openError);
    if (small && 'readError' in small) return fetchFailed(ctx, session, ff, path, small.readError);
    if (small) return fetched(ctx, session, await session.write(ff, small.data), path, strategy, undefined, started);
  }
  // One open() answers "exists?" and "readable?" (NiFi asks both separately; the routing is the same).
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return routeOpenError(ctx, session, ff, path, error);
  }
  try {
    await fetchOpened(ctx, session, ff, path, handle);
  } finally {
    await handle.close();
  }
}

function routeOpenError(ctx: ProcessContext, session: ProcessSession, ff: FlowFile, path: string, error: unknown): void {
  const level = (name: string): LogLevel => {
    const v = ctx.property(name).evaluate() ?? 'ERROR';
    return (v === 'FATAL' ? 'ERROR' : v) as LogLevel;
  };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    ctx.log.log(level('Log level when file not found'), `file ${path} does not exist; routing to not.found`);
    session.event('ROUTE', ff, { relationship: 'not.found', details: `Could not find file ${path}` });
    session.transfer(session.penalize(ff), 'not.found');
  } else if (code === 'EACCES' || code === 'EPERM') {
    ctx.log.log(level('Log level when permission denied'), `cannot read ${path}; routing to permission.denied`);
    session.event('ROUTE', ff, { relationship: 'permission.denied', details: `Permission denied reading ${path}` });
    session.transfer(session.penalize(ff), 'permission.denied');
  } else {
    ctx.log.error(`could not open ${path}: ${(error as Error).message}; routing to failure`);
    session.transfer(session.penalize(ff), 'failure');
  }
}

function fetchFailed(ctx: ProcessContext, session: ProcessSession, ff: FlowFile, path: string, error: unknown): void {
  ctx.log.error(`could not fetch ${path}: ${(error as Error).message}; routing to failure`);
  session.transfer(session.penalize(ff), 'failure');
}

async function fetchOpened(ctx: ProcessContext, session: ProcessSession, ff: FlowFile, path: string, handle: FileHandle): Promise<void> {
  const strategy = ctx.property('Completion Strategy').evaluate();
  const conflict = ctx.property('Move Conflict Strategy').evaluate();
  let moveTo: string | undefined;
  if (strategy === 'Move File') {
    const dirRaw = ctx.property('Move Destination Directory').evaluate(ff) ?? '';
    const dir = isAbsolute(dirRaw) ? dirRaw : resolve(ctx.projectDir, dirRaw);
    const problem = await checkMoveTarget(dir, basename(path), conflict);
    if (problem) {
      ctx.log.error(`${problem}; routing to failure`);
      session.transfer(ff, 'failure');
      return;
    }
    moveTo = dir;
  }
  const started = performance.now();
  let out: FlowFile;
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Error('is a directory');
    // Delete File: a big file enters the content store by hard link (no copy); its name goes away after the
    // commit. Not when it has other names, which someone may still write through.
    out = await session.importFromHandle(handle, ff, path, info.size, strategy === 'Delete File' && info.nlink === 1);
  } catch (error) {
    return fetchFailed(ctx, session, ff, path, error);
  }
  fetched(ctx, session, out, path, strategy, moveTo, started);
}

/** FETCH event, success, and the completion action once the commit is durable. */
function fetched(ctx: ProcessContext, session: ProcessSession, out: FlowFile, path: string, strategy: string | undefined, moveTo: string | undefined, started: number): void {
  session.event('FETCH', out, { transitUri: `file://${path}`, durationMillis: Math.round(performance.now() - started) });
  session.transfer(out, 'success');
  if (strategy === 'Delete File') {
    session.onCommitted(async () => {
      try {
        await unlink(path);
      } catch (error) {
        ctx.log.warn(`fetched ${path} but could not delete it: ${(error as Error).message}`);
      }
    });
  } else if (moveTo !== undefined) {
    const dir = moveTo;
    const conflict = ctx.property('Move Conflict Strategy').evaluate() ?? 'Rename';
    session.onCommitted(() => completeMove(ctx, path, dir, conflict));
  }
}

async function checkMoveTarget(dir: string, name: string, conflict: string | undefined): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) return `move destination ${dir} exists but is not a directory`;
  if (!info) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      return `cannot create move destination ${dir}: ${(error as Error).message}`;
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `move destination ${dir} is not writable`;
  }
  if (conflict === 'Fail' && (await stat(join(dir, name)).catch(() => undefined))) {
    return `move destination ${dir} already has a file named ${name} (Move Conflict Strategy: Fail)`;
  }
  return undefined;
}

/** Runs after commit; failures are only warnings (the content is already safe). */
async function completeMove(ctx: ProcessContext, path: string, dir: string, conflict: string): Promise<void> {
  const name = basename(path);
  let target = join(dir, name);
  try {
    const taken = await stat(target).then(() => true, () => false);
    if (taken) {
      if (conflict === 'Keep Existing') {
        await unlink(path);
        return;
      }
      if (conflict === 'Rename') {
        const ext = extname(name);
        const stem = ext ? name.slice(0, -ext.length) : name;
        target = join(dir, `${stem}-${randomUUID()}${ext}`);
      }
    }
    await mkdir(dirname(target), { recursive: true });
    await rename(path, target);
  } catch (error) {
    ctx.log.warn(`fetched ${path} but could not move it to ${dir}: ${(error as Error).message}`);
  }
}
