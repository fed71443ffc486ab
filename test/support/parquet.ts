/** Parquet fixtures written by DuckDB at test time (nothing binary is committed). */
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';

/** Writes the rows of `select` (DuckDB SQL) as a Parquet file at `path`. */
export async function writeParquet(path: string, select: string): Promise<void> {
  const driver = await DuckDbDriver.open(':memory:');
  const conn = await driver.connect();
  try {
    await conn.execute(`COPY (${select}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    await conn.close();
    await driver.close();
  }
}
