import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mapDuckDbError } from './duckdb-errors.js';

describe('mapDuckDbError', () => {
  it('names the memory setting when DuckDB runs out of memory', async () => {
    const db = await DuckDBInstance.create(':memory:', { memory_limit: '8MB', threads: '1' });
    const con = await db.connect();
    try {
      const error = await con.run(`SELECT list(repeat('x', 100) || range) FROM range(2000000)`).then(() => undefined, (e: unknown) => e);
      expect(error).toBeDefined();
      const mapped = mapDuckDbError(error);
      expect(mapped.code).toBe('SQL_EXECUTION');
      expect(mapped.message).toMatch(/^SQL execution error: the warehouse ran out of memory \(.+\); raise warehouse\.memoryLimit in floe\.yaml$/);
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });

  it('keeps the commit failure in the message', () => {
    const mapped = mapDuckDbError(new Error('TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (488.0 MiB/488.2 MiB used)'));
    expect(mapped.message).toBe('SQL execution error: the warehouse ran out of memory (Failed to commit: failed to pin block of size 256.0 KiB (488.0 MiB/488.2 MiB used)); raise warehouse.memoryLimit in floe.yaml');
  });

  it('leaves other errors as they were', () => {
    expect(mapDuckDbError(new Error('Binder Error: something else')).message).toBe('SQL execution error: something else');
  });
});
