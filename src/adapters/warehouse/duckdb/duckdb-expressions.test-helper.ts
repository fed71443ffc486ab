/** Test support: translate a Snowflake SELECT and run it on an in-memory DuckDB with floe's macros. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseSnowflake, printSql } from '../../../sql/ast/polyglot.js';
import { DUCKDB_MACROS, DUCKDB_SETTINGS } from './duckdb-macros.js';
import { registerUdfs } from './duckdb-udfs.js';
import { rewriteExpressions, type ExpressionContext } from './duckdb-expressions.js';
import { sfResultTypeOfColumnType, type SfResultType } from './duckdb-types.js';

export function translate(sql: string, ctx: ExpressionContext = {}): string {
  const [stmt] = parseSnowflake(sql);
  rewriteExpressions(stmt, ctx);
  return printSql(stmt);
}

export interface TestDb {
  /** Translate and run; returns the first row's values in order. */
  row(sql: string, ctx?: ExpressionContext): Promise<unknown[]>;
  /** Translate and run; returns the first row's first value. */
  value(sql: string, ctx?: ExpressionContext): Promise<unknown>;
  /** Translate and run; the first row with every value as DuckDB's VARCHAR text (NULL stays null). */
  texts(sql: string, ctx?: ExpressionContext): Promise<(string | null)[]>;
  /** Result types of the translated query. */
  types(sql: string, ctx?: ExpressionContext): Promise<SfResultType[]>;
  run(duckSql: string): Promise<void>;
  con: DuckDBConnection;
}

export async function openTestDb(timeZone = 'UTC'): Promise<TestDb> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  for (const s of [...DUCKDB_SETTINGS, ...DUCKDB_MACROS]) await con.run(s);
  registerUdfs(con);
  await con.run(`SET TimeZone='${timeZone}'`);
  const read = async (sql: string, ctx?: ExpressionContext, wrap = false) => {
    const translated = translate(sql, ctx);
    const duck = wrap ? `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (${translated})` : translated;
    try {
      return await con.runAndReadAll(duck);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- translated SQL:\n${duck}`);
    }
  };
  return {
    con,
    run: async (duckSql) => void (await con.run(duckSql)),
    row: async (sql, ctx) => (await read(sql, ctx)).getRowsJS()[0] as unknown[],
    value: async (sql, ctx) => ((await read(sql, ctx)).getRowsJS()[0] as unknown[])[0],
    texts: async (sql, ctx) => (await read(sql, ctx, true)).getRowsJS()[0] as (string | null)[],
    types: async (sql, ctx) => (await read(sql, ctx)).columnTypes().map((t) => sfResultTypeOfColumnType(t)),
  };
}
