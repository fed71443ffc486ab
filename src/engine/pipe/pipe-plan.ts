/**
 * A pipe's COPY statement, compiled against the pipe's own database and schema (names in a pipe definition
 * resolve where the pipe lives, not where the session that uses it is).
 */
import type { PipeDef } from '../../core/catalog/load-objects.js';
import { tokenize } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, SessionState } from '../exec-context.js';
import { parseCopy, type CopyPlan } from '../handlers/copy-into.js';
import { patternMatcher } from '../handlers/stage-files.js';
import { relativeKey } from '../load/stage-location.js';
import { coversKey } from '../../core/pipe/pipe-rules.js';

/** The context a pipe's COPY runs in: the given session's connection, the pipe's database and schema. */
export function pipeContext(ctx: Pick<ExecContext, 'engine' | 'session'>, pipe: PipeDef, session: SessionState = ctx.session): ExecContext {
  const tokens = tokenize(pipe.definition);
  const state = session;
  // Name resolution reads the session's current database/schema: give it the pipe's for the duration. A pipe
  // outlives the session, so its COPY never binds to the session's temporary tables.
  return {
    engine: ctx.engine,
    session: new Proxy(state, {
      get: (t, k) =>
        k === 'database' ? pipe.database : k === 'schema' ? pipe.schema : k === 'temporary' ? undefined : (t as unknown as Record<string | symbol, unknown>)[k],
    }),
    stmt: { sql: pipe.definition, tokens, line: 1 },
  };
}

export function planPipe(ctx: ExecContext): CopyPlan {
  return parseCopy(ctx, new TokenCursor(ctx.stmt.tokens));
}

/** Does an object key (in the plan's store) belong to the pipe: under its path and matching its PATTERN? */
export function pipeCovers(plan: CopyPlan): (key: string) => boolean {
  const match = patternMatcher(plan.pattern);
  // Snowpipe applies PATTERN to the path after the stage URL's path (reference §3.1).
  return (key) => coversKey(plan.loc.prefix, key) && match(relativeKey(plan.loc, key));
}
