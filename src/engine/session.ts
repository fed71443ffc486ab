/**
 * A floe session: Snowflake's session state (current database/schema/role/warehouse, parameters,
 * transaction) over one backend connection. Runs scripts statement by statement.
 */
import { randomUUID } from 'node:crypto';
import { FloeError, isFloeError } from '../core/errors.js';
import type { FloeValue, ResultColumn, StatementResult } from '../core/result.js';
import { REMEMBERED_RESULTS, REMEMBERED_VALUES } from './session-functions.js';
import { splitScript } from '../sql/split-script.js';
import type { RunOptions, Session, StatementOutcome } from './engine-api.js';
import type { EngineCore, ExecContext, HandlerResult, SessionState } from './exec-context.js';
import type { Token } from '../sql/lexer.js';
import { SessionParameters } from './session-parameters.js';
import { routeStatement } from './statement-router.js';
import { endTransaction } from './transactions.js';
import type { WarehouseConnection } from '../core/ports/warehouse.js';
import { addErrorPosition } from './error-position.js';
import { TempTables } from './temp-tables.js';

export interface SessionDefaults {
  database?: string;
  schema?: string;
}

export class SessionImpl implements Session {
  readonly state: SessionState;

  constructor(
    private readonly engine: EngineCore,
    conn: WarehouseConnection,
    defaults: SessionDefaults,
  ) {
    this.state = {
      database: defaults.database,
      schema: defaults.schema,
      role: 'ACCOUNTADMIN',
      warehouse: undefined,
      user: 'FLOE',
      params: new SessionParameters(),
      inTransaction: false,
      txn: undefined,
      conn,
      lastQueryId: undefined,
      results: new Map(),
      temporary: new TempTables(),
    };
  }

  async init(): Promise<void> {
    await this.state.conn.setTimeZone(this.state.params.get('TIMEZONE'));
  }

  async *run(script: string, options: RunOptions = {}): AsyncGenerator<StatementOutcome> {
    let number = options.firstStatement ?? 1;
    let statements;
    try {
      statements = splitScript(script);
    } catch (e) {
      yield { ok: false, statement: number, sql: script.trim(), error: withFile(toFloeError(e), options.file, number) };
      return;
    }
    for (const st of statements) {
      try {
        const { result: r, queryId } = await executeStatement(this.engine, this.state, st);
        const result: StatementResult = { statement: number, sql: st.sql, columns: r.columns, rows: r.rows, queryId };
        if (r.rowsAffected !== undefined) result.rowsAffected = r.rowsAffected;
        yield { ok: true, result };
      } catch (e) {
        const error = withFile(toFloeError(e), options.file, number);
        addErrorPosition(error, st.tokens);
        if (error.location?.line === undefined) error.location = { ...error.location, line: st.line, column: st.column };
        yield { ok: false, statement: number, sql: st.sql, error };
        if (!options.continueOnError) return;
      }
      number++;
    }
  }

  async query(script: string): Promise<StatementResult[]> {
    const out: StatementResult[] = [];
    for await (const o of this.run(script)) {
      if (!o.ok) throw o.error;
      out.push(o.result);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.state.inTransaction) {
      // Snowflake rolls back an open transaction when the session ends without COMMIT.
      await endTransaction(this.engine, this.state, false).catch(() => undefined);
    }
    this.engine.clock.release(this.state);
    await this.state.conn.close();
  }
}

/**
 * Run one statement on the session and give it a query id (LAST_QUERY_ID, RESULT_SCAN). Scripting blocks and
 * procedures run their statements through here too, on the caller's session.
 */
export async function executeStatement(
  engine: EngineCore,
  state: SessionState,
  st: { sql: string; tokens: Token[]; line: number },
): Promise<{ result: HandlerResult; queryId: string }> {
  const ctx: ExecContext = { engine, session: state, stmt: { sql: st.sql, tokens: st.tokens, line: st.line } };
  const r = await routeStatement(ctx);
  const queryId = r.queryId ?? randomUUID();
  state.lastQueryId = queryId;
  remember(state, queryId, r.columns, r.rows);
  return { result: r, queryId };
}

/** Keeps a result for RESULT_SCAN: the last REMEMBERED_RESULTS, at most REMEMBERED_VALUES together, the newest always. */
export function remember(state: Pick<SessionState, 'results'>, queryId: string, columns: ResultColumn[], rows: FloeValue[][]): void {
  const results = state.results;
  results.set(queryId, { columns, rows });
  const size = (r: { columns: unknown[]; rows: unknown[] }): number => r.rows.length * Math.max(1, r.columns.length);
  let values = 0;
  for (const r of results.values()) values += size(r);
  while (results.size > 1 && (results.size > REMEMBERED_RESULTS || values > REMEMBERED_VALUES)) {
    const oldest = results.keys().next().value as string;
    values -= size(results.get(oldest)!);
    results.delete(oldest);
  }
}

function toFloeError(e: unknown): FloeError {
  if (isFloeError(e)) return e;
  return new FloeError('INTERNAL', `internal error: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

function withFile(e: FloeError, file: string | undefined, statement: number): FloeError {
  e.location = { ...e.location, statement, ...(file !== undefined ? { file } : {}) };
  return e;
}
