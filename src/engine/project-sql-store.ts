/**
 * Which statements of a project's SQL files have been applied to this warehouse (`_floe.project_sql`), by a
 * hash of their text. `floe run` re-reads the files on every start and runs only what is new, so restarting
 * never re-runs a seed INSERT or silently re-creates a stream, a pipe or a table (DESIGN.md §2).
 */
import type { WarehouseDriver } from '../core/ports/warehouse.js';
import { METADATA_SCHEMA } from './metadata-store.js';

export interface AppliedSql {
  isApplied(hash: string): Promise<boolean>;
  markApplied(hash: string, file: string, statement: number, atMs: number): Promise<void>;
}

export function appliedSqlStore(driver: WarehouseDriver): AppliedSql {
  const d = driver.dialect;
  const table = `${d.quoteIdent(METADATA_SCHEMA)}.${d.quoteIdent('project_sql')}`;
  let ready: Promise<void> | undefined;
  const withConn = async <T>(work: (conn: Awaited<ReturnType<WarehouseDriver['connect']>>) => Promise<T>): Promise<T> => {
    const conn = await driver.connect();
    try {
      ready ??= conn.execute(`CREATE TABLE IF NOT EXISTS ${table} (hash VARCHAR NOT NULL, file VARCHAR NOT NULL, statement BIGINT NOT NULL, applied_ms BIGINT NOT NULL)`);
      await ready;
      return await work(conn);
    } finally {
      await conn.close();
    }
  };
  return {
    isApplied: (hash) => withConn(async (conn) => (await conn.query(`SELECT 1 FROM ${table} WHERE hash = ? LIMIT 1`, [hash])).rows.length > 0),
    markApplied: (hash, file, statement, atMs) =>
      withConn(async (conn) => void (await conn.query(`INSERT INTO ${table} VALUES (?, ?, ?, ?)`, [hash, file, statement, atMs]))),
  };
}
