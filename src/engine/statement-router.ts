/**
 * Routes a statement to its handler by its leading keywords. Statements about objects the backend lacks
 * (databases, schemas, roles, session, SHOW, …) are parsed and run by floe; tables, views, queries and
 * DML are translated for the backend.
 */
import { syntaxError, unsupported } from '../core/errors.js';
import type { ExecContext, HandlerResult } from './exec-context.js';
import { endTransaction } from './transactions.js';
import { handleAccountObject, handleGrant } from './handlers/account-objects.js';
import { handleCreateDatabaseOrSchema, handleDropDatabaseOrSchema, handleUse, handleAlterDatabaseOrSchema } from './handlers/database-schema.js';
import { handleDescribe } from './handlers/describe.js';
import { handleMerge } from './handlers/merge.js';
import { handleQueryOrDml, handleSystemCall } from './handlers/query.js';
import { handleAlterTask, handleCreateTask, handleDropTask, handleExecuteTask } from './handlers/task-ddl.js';
import { handleAlterSession, handleTransaction } from './handlers/session-statements.js';
import { handleBlock, handleExecuteImmediate } from './scripting/block-handler.js';
import { startsBlock } from './scripting/script-parser.js';
import { handleCreateProcedure, handleDropProcedure } from './procedures/procedure-ddl.js';
import { handleCall } from './procedures/call.js';
import { handleShow } from './handlers/show.js';
import { handleCreateStageOrFormat, handleDropStageOrFormat } from './handlers/stage-ddl.js';
import { handleGet, handleList, handlePut, handleRemove } from './handlers/stage-files.js';
import { handleCopyInto } from './handlers/copy-into.js';
import { handleAlterPipe, handleCreatePipe, handleDropPipe } from './handlers/pipe-ddl.js';
import { handleCreateStream, handleDropStream } from './handlers/stream-ddl.js';
import { handleAlterTable, handleCreateTableOrView, handleDropTableOrView, handleTruncate } from './handlers/table-ddl.js';

type Handler = (ctx: ExecContext) => Promise<HandlerResult>;

const OBJECT_KINDS_AFTER_CREATE = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'STREAM', 'TASK', 'ROLE', 'WAREHOUSE', 'USER', 'STAGE', 'FILE', 'PIPE', 'PROCEDURE'];

/** The object kind of CREATE [OR REPLACE] [TRANSIENT|TEMPORARY|…] <kind>. */
function createdKind(words: string[]): string | undefined {
  for (let i = 1; i < Math.min(words.length, 7); i++) {
    if (OBJECT_KINDS_AFTER_CREATE.includes(words[i])) return words[i];
    if (words[i] === 'MATERIALIZED' || words[i] === 'SECURE' || words[i] === 'RECURSIVE') continue;
  }
  return undefined;
}

export async function routeStatement(ctx: ExecContext): Promise<HandlerResult> {
  const words = ctx.stmt.tokens.slice(0, 8).map((t) => (t.type === 'word' ? t.value : t.text));
  const handler = startsBlock(ctx.stmt.tokens) ? handleBlock : pickHandler(words);
  try {
    return await handler(ctx);
  } catch (e) {
    await recoverTransaction(ctx);
    throw e;
  } finally {
    // A statement that took the change lock and holds no transaction any more gives it back.
    if (!ctx.session.inTransaction) ctx.engine.clock.release(ctx.session);
  }
}

function pickHandler(words: string[]): Handler {
  const [w0, w1] = words;
  switch (w0) {
    case 'SELECT':
    case 'WITH':
    case '(':
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
      return handleQueryOrDml;
    case 'MERGE':
      return handleMerge;
    case 'CREATE': {
      const kind = createdKind(words);
      if (kind === 'DATABASE' || kind === 'SCHEMA') return handleCreateDatabaseOrSchema;
      if (kind === 'TABLE' || kind === 'VIEW') return handleCreateTableOrView;
      if (kind === 'STREAM') return handleCreateStream;
      if (kind === 'TASK') return handleCreateTask;
      if (kind === 'ROLE' || kind === 'WAREHOUSE' || kind === 'USER') return handleAccountObject;
      if (kind === 'STAGE' || (kind === 'FILE' && words.includes('FORMAT'))) return handleCreateStageOrFormat;
      if (kind === 'PROCEDURE') return handleCreateProcedure;
      if (kind === 'PIPE') return handleCreatePipe;
      break;
    }
    case 'DROP':
      if (w1 === 'DATABASE' || w1 === 'SCHEMA') return handleDropDatabaseOrSchema;
      if (w1 === 'TABLE' || w1 === 'VIEW') return handleDropTableOrView;
      if (w1 === 'STREAM') return handleDropStream;
      if (w1 === 'TASK') return handleDropTask;
      if (w1 === 'ROLE' || w1 === 'WAREHOUSE' || w1 === 'USER') return handleAccountObject;
      if (w1 === 'STAGE' || (w1 === 'FILE' && words[2] === 'FORMAT')) return handleDropStageOrFormat;
      if (w1 === 'PROCEDURE') return handleDropProcedure;
      if (w1 === 'PIPE') return handleDropPipe;
      break;
    case 'ALTER':
      if (w1 === 'SESSION') return handleAlterSession;
      if (w1 === 'TABLE') return handleAlterTable;
      if (w1 === 'TASK') return handleAlterTask;
      if (w1 === 'DATABASE' || w1 === 'SCHEMA') return handleAlterDatabaseOrSchema;
      if (w1 === 'WAREHOUSE' || w1 === 'ROLE' || w1 === 'USER') return handleAccountObject;
      if (w1 === 'PIPE') return handleAlterPipe;
      break;
    case 'TRUNCATE':
      return handleTruncate;
    case 'EXECUTE':
      if (w1 === 'TASK') return handleExecuteTask;
      if (w1 === 'IMMEDIATE') return handleExecuteImmediate;
      break;
    case 'CALL':
      if (w1 !== undefined && w1.startsWith('SYSTEM$')) return handleSystemCall;
      return handleCall;
    case 'USE':
      return handleUse;
    case 'SHOW':
      return handleShow;
    case 'DESCRIBE':
    case 'DESC':
      return handleDescribe;
    case 'BEGIN':
    case 'START':
    case 'COMMIT':
    case 'ROLLBACK':
      return handleTransaction;
    case 'GRANT':
    case 'REVOKE':
      return handleGrant;
    case 'LIST':
    case 'LS':
      return handleList;
    case 'PUT':
      return handlePut;
    case 'GET':
      return handleGet;
    case 'REMOVE':
    case 'RM':
      return handleRemove;
    case 'COPY':
      return handleCopyInto;
  }
  return async (ctx) => {
    const known = /^(ALTER|CREATE|DROP|CALL|COPY|PUT|GET|LIST|REMOVE|EXECUTE|UNDROP|COMMENT|EXPLAIN|SET|UNSET)$/;
    const first = ctx.stmt.tokens[0];
    if (first && first.type === 'word' && known.test(first.value)) {
      // Real Snowflake statements whose objects later issues add (streams, stages, pipes, tasks, procedures).
      throw unsupported(`statement ${words.slice(0, w0 === 'CREATE' || w0 === 'ALTER' || w0 === 'DROP' ? 3 : 1).join(' ')}`);
    }
    throw syntaxError(`syntax error line ${first?.line ?? 1} at position ${(first?.column ?? 1) - 1} unexpected '${first?.text ?? ''}'.`, first?.line, first?.column);
  };
}

/**
 * DuckDB aborts the whole transaction when a statement fails inside it; Snowflake only rolls back the
 * statement. When the backend transaction is no longer usable, floe ends it and says so.
 */
async function recoverTransaction(ctx: ExecContext): Promise<void> {
  const { session } = ctx;
  if (!session.inTransaction) return;
  try {
    await session.conn.query('SELECT 1');
  } catch {
    await endTransaction(ctx.engine, session, false).catch(() => undefined);
  }
}
