/**
 * The HTTP API as a Hono app: authentication first, then the routes, with every failure mapped to a status and
 * an error body in one place (http-errors.ts). Routes stay thin: parse, call the application services, format.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiContext } from './api-context.js';
import { authorized } from './auth.js';
import { flowRoutes } from './flow-routes.js';
import { errorBody, httpStatus } from './http-errors.js';
import { sqlRoutes } from './sql-routes.js';
import { statusRoutes } from './status-routes.js';

/** Largest request body (a SQL script): bigger scripts belong in files the project applies. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function apiApp(ctx: ApiContext, token: string, onInternalError: (error: unknown) => void): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!authorized(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="floe"');
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token (see .floe/server.json)' } }, 401);
    }
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: { code: 'CONFIG', message: `request body is larger than ${MAX_BODY_BYTES} bytes` } }, 413),
    }),
  );
  statusRoutes(app, ctx);
  sqlRoutes(app, ctx);
  flowRoutes(app, ctx);
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no endpoint ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));
  app.onError((error, c) => {
    const status = httpStatus(error);
    if (status === 500) onInternalError(error);
    return c.json(errorBody(error), status);
  });
  return app;
}
