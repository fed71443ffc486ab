/** `GET /v1/ping` (who is serving) and `GET /v1/status` (pipes, tasks, flows, uptime, memory). */
import type { Hono } from 'hono';
import { warehouseStatus, type ProjectStatus } from '../runtime/project-status.js';
import type { ApiContext } from './api-context.js';
import { readProcessMemory } from '../runtime/process-memory.js';

export function statusRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/v1/ping', (c) => c.json({ pid: process.pid, project: ctx.projectDir, startedAt: ctx.startedAt.toISOString() }));

  app.get('/v1/status', async (c) => {
    const lease = await ctx.sessions.acquire(undefined);
    try {
      const status: ProjectStatus = {
        project: ctx.projectDir,
        source: 'server',
        server: { pid: process.pid, url: new URL(c.req.url).origin, startedAt: ctx.startedAt.toISOString(), uptimeSeconds: Math.floor((Date.now() - ctx.startedAt.getTime()) / 1000) },
        memory: await readProcessMemory(ctx.engine),
        ...(await warehouseStatus(lease.session)),
        flows: [...ctx.flows.values()].map((f) => ({ ...f.status(), live: true, runningPid: process.pid })),
      };
      return c.json(status);
    } finally {
      await lease.release();
    }
  });
}
