/**
 * The HTTP API as a Hono app: authentication first, then the routes, with every failure mapped to a status and
 * an error body in one place (http-errors.ts). Routes stay thin: parse, call the application services, format.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiContext } from './api-context.js';
import { authorized } from './auth.js';
import { flowRoutes } from './flow-routes.js';
import { errorBody, httpStatus } from './http-errors.js';
import { sqlRoutes } from './sql-routes.js';
import { statusRoutes } from './status-routes.js';

export function apiApp(ctx: ApiContext, token: string, onInternalError: (error: unknown) => void): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!authorized(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="floe"');
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token (see .floe/server.json)' } }, 401);
    }
    await next();
  });
  statusRoutes(app, ctx);
  sqlRoutes(app, ctx);
  flowRoutes(app, ctx);
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no endpoint ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const status = httpStatus(error);
    if (status === 500) onInternalError(error);
    return c.json(errorBody(error), status);
  });
  return app;
}
