/**
 * SYSTEM$PIPE_STATUS('<pipe>') and SYSTEM$PIPE_FORCE_RESUME('<pipe>'[, '<override>']): answered by floe
 * before the query runs (like SYSTEM$STREAM_HAS_DATA), from the pipe's queue and the service's runtime facts.
 */
import { compilationError, notFound } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { PipeDef } from '../../core/catalog/load-objects.js';
import { DAY_MS, PIPE_HISTORY_DAYS, pipeStatusJson } from '../../core/pipe/pipe-rules.js';
import { functionName, make, transform, type AstNode } from '../../sql/ast/ast-node.js';
import type { ExecContext } from '../exec-context.js';
import { forceResume } from '../handlers/pipe-ddl.js';
import { nameInString } from '../handlers/stream-name.js';
import { qualify } from '../resolve-names.js';


const stringArg = (fn: string, a: AstNode | undefined): string => {
  if (a?.literal?.literal_type !== 'string') throw compilationError(`${fn} expects the pipe name as a string literal.`);
  return String(a.literal.value);
};

export function pipeNamed(ctx: ExecContext, text: string): PipeDef {
  const n = nameInString(text);
  const full = qualify(ctx, n);
  const p = ctx.engine.catalog.schemaObject('PIPE', full.database, full.schema, full.name);
  if (!p) throw notFound('Pipe', displayName(n));
  return p;
}

export async function bindPipeFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const calls: { node: AstNode; name: string; args: AstNode[] }[] = [];
  transform(ast, (node) => {
    const name = functionName(node);
    if (name !== 'SYSTEM$PIPE_STATUS' && name !== 'SYSTEM$PIPE_FORCE_RESUME') return undefined;
    const replacement = make.raw('NULL');
    calls.push({ node: replacement, name, args: node.function.args ?? [] });
    return replacement;
  });
  for (const c of calls) {
    const pipe = pipeNamed(ctx, stringArg(c.name, c.args[0]));
    let text: string;
    if (c.name === 'SYSTEM$PIPE_STATUS') {
      text = pipeStatusJson(await ctx.engine.pipes.status(pipe, ctx.session.conn));
    } else {
      const override = c.args[1] === undefined ? '' : stringArg(c.name, c.args[1]).toLowerCase();
      const stale = pipe.paused && pipe.pausedOn !== undefined && ctx.engine.now() - Date.parse(pipe.pausedOn) > PIPE_HISTORY_DAYS * DAY_MS;
      if (stale && !override.includes('staleness_check_override')) {
        throw compilationError(`Pipe ${pipe.name} is stale; pass 'staleness_check_override' to resume it (notifications older than ${PIPE_HISTORY_DAYS} days are skipped).`);
      }
      text = await forceResume(ctx, pipe);
    }
    c.node.var.this = ctx.engine.driver.dialect.quoteString(text);
  }
}
