/**
 * `POST /v1/sql` runs a script on the live engine and streams one JSON line per statement as it completes
 * (`application/x-ndjson`), with `floe sql`'s semantics: statements numbered from `firstStatement`, the run stops
 * at the first failure unless `continueOnError`. HTTP 200 means the script ran; statement failures are lines.
 * Without `session` each request gets a fresh session; `POST /v1/sessions` makes one that keeps USE/ALTER
 * SESSION state across requests (`DELETE /v1/sessions/:id` closes it).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Session, StatementOutcome } from '../engine/engine-api.js';
import type { ApiContext } from './api-context.js';
import { readJsonBody } from './request-body.js';
import { failureLine, resultLine, WIRE_FORMATS, type WireFormat } from './sql-wire.js';

const sqlRequest = z
  .object({
    sql: z.string(),
    /** Name of the script's source file, for error locations. */
    file: z.string().optional(),
    format: z.enum(WIRE_FORMATS as [WireFormat, ...WireFormat[]]).default('json'),
    continueOnError: z.boolean().default(false),
    firstStatement: z.number().int().min(1).default(1),
    session: z.string().optional(),
  })
  .strict();

type SqlRequest = z.infer<typeof sqlRequest>;

export function sqlRoutes(app: Hono, ctx: ApiContext): void {
  app.post('/v1/sql', async (c) => {
    const req = await readJsonBody(c, sqlRequest);
    // The lease is taken before the response starts, so an unknown or busy session is a proper 404/409.
    const lease = await ctx.sessions.acquire(req.session);
    const lines = statementLines(lease.session, req, ctx.stopping);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let next: IteratorResult<string>;
        try {
          next = await lines.next();
        } catch (error) {
          await lease.release();
          controller.error(error);
          return;
        }
        if (next.done === true) {
          await lease.release();
          controller.close();
        } else {
          controller.enqueue(encoder.encode(`${next.value}\n`));
        }
      },
      async cancel() {
        // The client went away: stop after the running statement and give the session back.
        await lines.return(undefined);
        await lease.release();
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
  });

  app.post('/v1/sessions', async (c) => c.json({ session: await ctx.sessions.open() }, 201));

  app.delete('/v1/sessions/:id', async (c) => {
    await ctx.sessions.close(c.req.param('id'));
    return c.body(null, 204);
  });
}

async function* statementLines(session: Session, req: SqlRequest, stopping: AbortSignal): AsyncGenerator<string> {
  const outcomes = session.run(req.sql, { file: req.file, continueOnError: req.continueOnError, firstStatement: req.firstStatement });
  let statement = req.firstStatement;
  try {
    for (;;) {
      let next: IteratorResult<StatementOutcome, unknown>;
      try {
        next = await outcomes.next();
      } catch (error) {
        // The engine threw instead of yielding a failure: report it and end the stream (the CLI stops too).
        yield failureLine({ statement, sql: '', error, file: req.file, fatal: true }, req.format);
        return;
      }
      if (next.done === true) return;
      const outcome = next.value;
      if (outcome.ok) {
        statement = outcome.result.statement + 1;
        yield resultLine(outcome.result, req.format);
      } else {
        statement = outcome.statement + 1;
        yield failureLine({ statement: outcome.statement, sql: outcome.sql, error: outcome.error, file: req.file }, req.format);
        if (!req.continueOnError) return;
      }
      if (stopping.aborted) return;
    }
  } finally {
    // Lets the engine release what it holds for the statements it will not run.
    await outcomes.return(undefined).catch(() => undefined);
  }
}
