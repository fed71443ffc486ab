/**
 * Fail-stop for DuckDB errors after which the instance's in-memory state cannot be trusted. A COMMIT that fails
 * for lack of memory may leave part of the transaction applied in memory (a 25-minute demo at 512MB kept a pipe
 * load's history row without its rows), and DuckDB itself gives up on a ROLLBACK that fails. What the write-ahead
 * log holds is only what committed, so the safe course is a crash's: stop using the instance, never checkpoint
 * its memory into the file, and let the next start replay the log.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FloeError } from '../../../core/errors.js';
import { OUT_OF_MEMORY } from './duckdb-errors.js';

/** A commit that failed for lack of memory, a failed rollback, or an instance DuckDB has already invalidated. */
export function isFatalDuckDbError(message: string): boolean {
  if (/Failed to rollback|database has been invalidated/i.test(message)) return true;
  return /Failed to commit/i.test(message) && OUT_OF_MEMORY.test(message);
}

/** The failure state of one DuckDB instance, shared by its connections. */
export class DuckDbHealth {
  private failure: FloeError | undefined;
  private readonly listeners = new Set<(error: FloeError) => void>();

  /** Throws once the instance has failed: no statement may run on it any more. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Records `raw` if it is fatal (first failure wins) and returns the error to throw, else undefined. */
  async observe(raw: unknown, con: DuckDBConnection): Promise<FloeError | undefined> {
    if (this.failure) return this.failure;
    const message = raw instanceof Error ? raw.message : String(raw);
    if (!isFatalDuckDbError(message)) return undefined;
    const first = message.split('\n')[0]!;
    this.failure = new FloeError(
      'WAREHOUSE_FAILED',
      `the warehouse failed (${first}) and may hold part of a transaction in memory: floe stopped using it. ` +
        `Restart floe; it recovers from the last committed state.${OUT_OF_MEMORY.test(message) ? ' Raise warehouse.memoryLimit in floe.yaml to avoid this.' : ''}`,
      { cause: raw },
    );
    // Closing the instance would otherwise write its memory into the database file (best effort: an invalidated
    // instance runs nothing, and it does not checkpoint either).
    await con.run('PRAGMA disable_checkpoint_on_shutdown').catch(() => undefined);
    for (const l of this.listeners) l(this.failure);
    return this.failure;
  }

  onFailure(listener: (error: FloeError) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
