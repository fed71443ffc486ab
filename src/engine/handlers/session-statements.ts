/**
 * ALTER SESSION and transaction control. Autocommit is the default; BEGIN opens an explicit transaction
 * on the session's backend connection (DDL commits it first, see commitDdl).
 */
import { compilationError } from '../../core/errors.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { beginExplicit, endTransaction } from '../transactions.js';
import { statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';

export async function handleAlterSession(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('ALTER', 'SESSION');
  const { params } = ctx.session;
  if (cur.acceptWords('SET')) {
    const changes: [string, string][] = [];
    while (!cur.atEnd()) {
      const key = cur.identifier().name.toUpperCase();
      cur.expectSymbol('=');
      changes.push([key, cur.value()]);
      cur.acceptSymbol(',');
    }
    if (changes.length === 0) throw cur.error('expected a parameter');
    for (const [k, v] of changes) params.set(k, v);
    if (changes.some(([k]) => k === 'TIMEZONE')) await ctx.session.conn.setTimeZone(params.get('TIMEZONE'));
    return statusResult('Statement executed successfully.');
  }
  if (cur.acceptWords('UNSET')) {
    const keys: string[] = [];
    while (!cur.atEnd()) {
      keys.push(cur.identifier().name.toUpperCase());
      cur.acceptSymbol(',');
    }
    for (const k of keys) params.unset(k);
    if (keys.includes('TIMEZONE')) await ctx.session.conn.setTimeZone(params.get('TIMEZONE'));
    return statusResult('Statement executed successfully.');
  }
  throw cur.unexpected('expected SET or UNSET');
}

export async function handleTransaction(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  const { session } = ctx;
  if (cur.acceptWords('BEGIN') || cur.acceptWords('START', 'TRANSACTION')) {
    if (!cur.acceptWords('TRANSACTION')) cur.acceptWords('WORK');
    if (cur.acceptWords('NAME')) cur.identifier();
    cur.expectEnd();
    if (session.inTransaction) {
      // Snowflake ignores BEGIN inside an open transaction.
      return statusResult('Statement executed successfully.');
    }
    await beginExplicit(ctx.engine, session);
    return statusResult('Statement executed successfully.');
  }
  const commit = cur.acceptWords('COMMIT');
  if (!commit) cur.expectWords('ROLLBACK');
  cur.acceptWords('WORK');
  cur.expectEnd();
  if (!session.inTransaction) return statusResult('Statement executed successfully.');
  await endTransaction(ctx.engine, session, commit);
  return statusResult('Statement executed successfully.');
}

export function assertNotInTransaction(ctx: ExecContext, what: string): void {
  if (ctx.session.inTransaction) throw compilationError(`${what} cannot run inside an explicit transaction.`);
}
