/**
 * SYSTEM$STREAM_HAS_DATA('<name>') (reference §1.9): answered by floe before the statement runs, from
 * the table's versions between the stream's offset and the read point — no false negatives, and a FALSE
 * answer moves the offset to the read point (nothing lies in between), which also keeps it from going stale.
 */
import { compilationError, notFound } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import { hasChangesSql } from '../../core/stream/net-changes.js';
import { functionName, make, transform, type AstNode } from '../../sql/ast/ast-node.js';
import type { ExecContext } from '../exec-context.js';
import { nameInString } from '../handlers/stream-name.js';
import { qualify } from '../resolve-names.js';
import { changeTables } from './change-store.js';
import { openStream } from './statement-changes.js';
import { trackedSource } from './stream-source.js';

export async function bindStreamFunctions(ctx: ExecContext, ast: AstNode): Promise<void> {
  const calls: { node: AstNode; arg: AstNode | undefined }[] = [];
  transform(ast, (node) => {
    if (functionName(node) !== 'SYSTEM$STREAM_HAS_DATA') return undefined;
    const replacement = make.raw('NULL');
    calls.push({ node: replacement, arg: node.function.args?.[0] });
    return replacement;
  });
  for (const c of calls) c.node.var.this = (await streamHasData(ctx, c.arg)) ? 'TRUE' : 'FALSE';
}

async function streamHasData(ctx: ExecContext, arg: AstNode | undefined): Promise<boolean> {
  if (arg?.literal?.literal_type !== 'string') throw compilationError('SYSTEM$STREAM_HAS_DATA expects the stream name as a string literal.');
  const n = nameInString(String(arg.literal.value));
  const full = qualify(ctx, n);
  const stream = ctx.engine.catalog.stream(full.database, full.schema, full.name);
  if (!stream) throw notFound('Stream', displayName(n));
  const { src, off } = await openStream(ctx, stream);
  const { engine, session } = ctx;
  const to = Math.max(session.txn?.startVersion ?? engine.clock.committed, off.offset);
  const from = off.initialPending ? -1 : off.offset;
  let has = false;
  for (const table of src.tables) {
    const r = await session.conn.query(hasChangesSql(trackedSource(engine.driver.dialect, table), { from, to }));
    has ||= r.rows[0]?.[0] === true;
  }
  if (!has && !session.inTransaction) {
    await engine.clock.acquireStream(session, stream.id);
    try {
      const t = changeTables(engine.driver.dialect);
      await session.conn.query(`UPDATE ${t.offsets} SET offset_version = ?, last_read_ms = ? WHERE stream_id = ? AND offset_version = ?`, [
        to,
        Math.trunc(engine.now()),
        stream.id,
        off.offset,
      ]);
    } finally {
      engine.clock.release(session);
    }
  }
  return has;
}
