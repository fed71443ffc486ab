/**
 * The pipes' durable queue and load history in one warehouse table (`_floe.pipe_files`): a row per
 * (pipe generation, path), PENDING until the load that handles it commits — the row's final state is written
 * in the load's own transaction, so a file is loaded exactly once across crashes and restarts. Rows stay
 * 14 days (reference §3.3: pipe history is by path only and remembers failed files).
 */
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { DAY_MS, PIPE_HISTORY_DAYS } from '../../core/pipe/pipe-rules.js';
import { METADATA_SCHEMA } from '../metadata-store.js';

export type PipeFileState = 'PENDING' | 'LOADED' | 'LOAD_FAILED' | 'PARTIALLY_LOADED';

export interface QueuedFile {
  path: string;
  key: string;
  etag: string;
  size: number;
  lastModified: Date;
}

export interface PendingFile extends QueuedFile {
  receivedMs: number;
}

const CHUNK = 200;

export const pipeFilesTable = (d: WarehouseDialect): string => `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('pipe_files')}`;

export async function ensurePipeQueue(conn: WarehouseConnection, d: WarehouseDialect): Promise<void> {
  await conn.execute(
    `CREATE TABLE IF NOT EXISTS ${pipeFilesTable(d)} (pipe_id VARCHAR NOT NULL, path VARCHAR NOT NULL, key VARCHAR NOT NULL, etag VARCHAR NOT NULL, ` +
      `size BIGINT NOT NULL, last_modified_ms BIGINT NOT NULL, received_ms BIGINT NOT NULL, state VARCHAR NOT NULL, done_ms BIGINT)`,
  );
}

const historyFloor = (nowMs: number): number => nowMs - PIPE_HISTORY_DAYS * DAY_MS;

/**
 * Queue the files this pipe has not seen within 14 days (by path only: a modified file under a known name
 * is ignored, as in Snowflake). Returns the paths queued, in the given order.
 */
export async function enqueue(conn: WarehouseConnection, d: WarehouseDialect, pipeId: string, files: readonly QueuedFile[], nowMs: number): Promise<string[]> {
  const t = pipeFilesTable(d);
  const out: string[] = [];
  const seen = new Set<string>();
  const unique = files.filter((f) => !seen.has(f.path) && seen.add(f.path));
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const values = chunk.map(() => '(?, ?, ?, ?, ?)').join(', ');
    const params = chunk.flatMap((f) => [f.path, f.key, f.etag, f.size, f.lastModified.getTime()]);
    const r = await conn.query(
      `INSERT INTO ${t} SELECT ${d.quoteString(pipeId)}, v.path, v.key, v.etag, v.size, v.lm, ${Math.trunc(nowMs)}, 'PENDING', NULL ` +
        `FROM (VALUES ${values}) v(path, key, etag, size, lm) WHERE NOT EXISTS (SELECT 1 FROM ${t} h WHERE h.pipe_id = ${d.quoteString(pipeId)} ` +
        `AND h.path = v.path AND (h.state = 'PENDING' OR h.done_ms > ${historyFloor(nowMs)})) RETURNING path`,
      params,
    );
    const queued = new Set(r.rows.map((x) => String(x[0])));
    for (const f of chunk) if (queued.has(f.path)) out.push(f.path);
  }
  return out;
}

/** Paths of `paths` this pipe already knows (queued, or loaded / failed within 14 days). */
export async function knownPaths(conn: WarehouseConnection, d: WarehouseDialect, pipeId: string, nowMs: number): Promise<Set<string>> {
  const r = await conn.query(`SELECT path FROM ${pipeFilesTable(d)} WHERE pipe_id = ? AND (state = 'PENDING' OR done_ms > ?)`, [pipeId, historyFloor(nowMs)]);
  return new Set(r.rows.map((x) => String(x[0])));
}

/** The oldest pending files of a pipe (Snowflake does not promise an order; floe loads oldest first). */
export async function pendingFiles(conn: WarehouseConnection, d: WarehouseDialect, pipeId: string, limit: number): Promise<PendingFile[]> {
  const r = await conn.query(
    `SELECT path, key, etag, size, last_modified_ms, received_ms FROM ${pipeFilesTable(d)} WHERE pipe_id = ? AND state = 'PENDING' ORDER BY received_ms, path LIMIT ${Math.trunc(limit)}`,
    [pipeId],
  );
  return r.rows.map(([path, key, etag, size, lm, rec]) => ({
    path: String(path),
    key: String(key),
    etag: String(etag),
    size: Number(size),
    lastModified: new Date(Number(lm)),
    receivedMs: Number(rec),
  }));
}

/** Final states of loaded files; called inside the load's transaction. */
export async function completeFiles(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  pipeId: string,
  results: readonly { path: string; state: Exclude<PipeFileState, 'PENDING'> }[],
  nowMs: number,
): Promise<void> {
  const t = pipeFilesTable(d);
  for (let i = 0; i < results.length; i += CHUNK) {
    const chunk = results.slice(i, i + CHUNK);
    const values = chunk.map(() => '(?, ?)').join(', ');
    await conn.query(
      // Only the VALUES rows are parameters: DuckDB numbers UPDATE … FROM parameters FROM-clause first.
      `UPDATE ${t} SET state = v.state, done_ms = ${Math.trunc(nowMs)} FROM (VALUES ${values}) v(path, state) ` +
        `WHERE ${t}.pipe_id = ${d.quoteString(pipeId)} AND ${t}.path = v.path AND ${t}.state = 'PENDING'`,
      chunk.flatMap((r) => [r.path, r.state]),
    );
  }
}

export interface QueueStats {
  pending: number;
  oldestPending?: { path: string; at: Date };
  lastIngested?: { path: string; at: Date };
}

export async function queueStats(conn: WarehouseConnection, d: WarehouseDialect, pipeId: string): Promise<QueueStats> {
  const t = pipeFilesTable(d);
  const p = await conn.query(`SELECT count(*), arg_min(path, received_ms), min(received_ms) FROM ${t} WHERE pipe_id = ? AND state = 'PENDING'`, [pipeId]);
  const l = await conn.query(
    `SELECT path, done_ms FROM ${t} WHERE pipe_id = ? AND state IN ('LOADED', 'PARTIALLY_LOADED') ORDER BY done_ms DESC, path DESC LIMIT 1`,
    [pipeId],
  );
  const [count, oldestPath, oldestMs] = p.rows[0] ?? [0, null, null];
  const out: QueueStats = { pending: Number(count) };
  if (out.pending > 0) out.oldestPending = { path: String(oldestPath), at: new Date(Number(oldestMs)) };
  const last = l.rows[0];
  if (last) out.lastIngested = { path: String(last[0]), at: new Date(Number(last[1])) };
  return out;
}

/** Forget a pipe generation (DROP PIPE, CREATE OR REPLACE PIPE) and rows past the 14-day window. */
export async function dropPipeRows(conn: WarehouseConnection, d: WarehouseDialect, pipeId: string): Promise<void> {
  await conn.query(`DELETE FROM ${pipeFilesTable(d)} WHERE pipe_id = ?`, [pipeId]);
}

export async function pruneHistory(conn: WarehouseConnection, d: WarehouseDialect, nowMs: number): Promise<void> {
  // Notifications older than 14 days are dropped too (reference §3.2), so old PENDING rows go as well.
  await conn.query(`DELETE FROM ${pipeFilesTable(d)} WHERE coalesce(done_ms, received_ms) <= ?`, [historyFloor(nowMs)]);
}
