/**
 * Starts and stops the HTTP API of a running project: listens (127.0.0.1 and a free port by default), writes
 * `.floe/server.json` with a fresh token, and on stop removes the file first (so no client picks a server that
 * is going away), lets streaming requests end after their current statement, and closes the API's sessions.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { FloeError } from '../core/errors.js';
import type { Engine } from '../engine/engine-api.js';
import type { FlowEngine } from '../flow/flow-engine.js';
import { apiApp } from './api-app.js';
import { ApiSessions } from './api-sessions.js';
import { newToken } from './auth.js';
import { removeServerFile, writeServerFile, type ServerInfo } from './server-file.js';

export const DEFAULT_HOST = '127.0.0.1';

export interface ApiServerOptions {
  projectDir: string;
  engine: Engine;
  flows: readonly FlowEngine[];
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Where unexpected errors are reported (never with request bodies or the token). */
  onInternalError?: (error: unknown) => void;
}

export interface ApiServer {
  readonly url: string;
  readonly info: ServerInfo;
  close(): Promise<void>;
}

/** How long stop waits for streaming clients to read their last lines before cutting connections. */
const GRACE_MS = 2000;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The URL clients on this machine use: a wildcard bind is reached through loopback. */
function clientUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? DEFAULT_HOST;
  const token = newToken();
  const stopping = new AbortController();
  const sessions = new ApiSessions(options.engine);
  const startedAt = new Date();
  const onInternalError = options.onInternalError ?? ((e: unknown) => console.error('floe: API internal error:', e));
  const app = apiApp(
    { projectDir: options.projectDir, engine: options.engine, flows: new Map(options.flows.map((f) => [f.def.name, f])), sessions, startedAt, stopping: stopping.signal },
    token,
    onInternalError,
  );
  // overrideGlobalObjects: false keeps Node's own Request/Response for the rest of the process (SDK clients).
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      const why = error.code === 'EADDRINUSE' ? 'the address is in use' : error.code === 'EADDRNOTAVAIL' ? 'no such local address' : error.message;
      reject(new FloeError('CONFIG', `cannot serve the API on ${host}:${options.port ?? 0}: ${why} (set --host/--port or server: in floe.yaml)`));
    };
    server.once('error', failed);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const url = clientUrl(host, (server.address() as AddressInfo).port);
  const info: ServerInfo = { url, pid: process.pid, token, startedAt: startedAt.toISOString() };
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  const shutdown = async (): Promise<void> => {
    await removeServerFile(options.projectDir).catch(() => undefined);
    stopping.abort();
    server.close();
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    const cut = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), GRACE_MS);
    await sessions.closeAll();
    clearTimeout(cut);
    if ('closeAllConnections' in server) server.closeAllConnections();
    await closed;
  };
  try {
    await writeServerFile(options.projectDir, info);
  } catch (error) {
    await shutdown();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { url, info, close: () => (closing ??= shutdown()) };
}
