/**
 * The client side of the API, for floe commands that find a live `floe run` of their project: reads
 * `.floe/server.json`, checks that the process is alive and answers with this token, then sends requests.
 * A stale file (dead pid, nothing listening, another token) means "not running": the caller opens the
 * warehouse itself.
 */
import { FloeError } from '../../core/errors.js';
import { errorFromReport } from '../sql-wire.js';
import { processAlive, readServerFile, type ServerInfo } from '../server-file.js';

/** How long the liveness check waits (a live local server answers in milliseconds; a loaded machine may not). */
const PING_TIMEOUT_MS = 10_000;

export class ApiClient {
  constructor(readonly info: ServerInfo) {}

  /** A request; an error response becomes a FloeError (codes the CLI knows how to report). */
  async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.info.url), {
        method,
        headers: { authorization: `Bearer ${this.info.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new FloeError('FLOW', `cannot reach floe run (pid ${this.info.pid}) at ${this.info.url}: ${(error as Error).message}`, { cause: error });
    }
    if (res.ok) return res;
    const report = await res.json().then(
      (j: { error?: Record<string, unknown> }) => j.error ?? {},
      () => ({}) as Record<string, unknown>,
    );
    throw remoteError(res.status, report);
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }
}

/**
 * The server's error as the CLI reports it: user errors (4xx) keep CONFIG/CONFLICT/FLOW and are CONFIG
 * otherwise (exit 2, like the same mistake made locally); server failures are FLOW (exit 1).
 */
export function remoteError(status: number, report: Record<string, unknown>): FloeError {
  const error = errorFromReport(report);
  if (error.code === 'CONFIG' || error.code === 'CONFLICT' || error.code === 'FLOW') return error;
  const message = typeof report.message === 'string' ? report.message : `HTTP ${status}`;
  return new FloeError(status >= 400 && status < 500 ? 'CONFIG' : 'FLOW', status >= 500 ? `floe run failed: ${message}` : message);
}

/** A client for the project's live server, or undefined when none is running (the file is missing or stale). */
export async function connectServer(projectDir: string): Promise<ApiClient | undefined> {
  const info = await readServerFile(projectDir);
  if (!info || !processAlive(info.pid)) return undefined;
  const client = new ApiClient(info);
  try {
    const res = await fetch(new URL('/v1/ping', info.url), { headers: { authorization: `Bearer ${info.token}` }, signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.ok ? client : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a streamed response body into lines as they arrive. */
export async function* responseLines(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 1);
        if (line.trim() !== '') yield line;
      }
      if (done) break;
    }
    if (buffer.trim() !== '') yield buffer;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
