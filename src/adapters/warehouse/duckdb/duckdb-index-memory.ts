/**
 * DuckDB 1.5 holds an ART index wholly in memory, inside `memory_limit`, and cannot evict it. A clustered table's
 * index grows with the table (the customer demo's event log and closed versions: ~10 MB a minute at 5 files/s), so
 * under a fixed limit the indexes squeeze the buffer cache out (the late keys' reads went 8 → 114 ms a run) and after
 * ~20 minutes a commit fails with `failed to pin block`, which stops floe (docs/status.md, session 17). So floe reads
 * the configured `memoryLimit` as the memory for everything but the indexes: every few seconds this raises DuckDB's
 * limit to it plus what the indexes hold — and lowers it again when a rebuild makes them smaller.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface IndexMemoryOptions {
  /** How often the indexes' memory is read. */
  intervalMs?: number;
  /** The limit moves in steps of this many bytes (no SET for every small change). */
  stepBytes?: number;
}

/** DuckDB's own accounting: everything its memory manager holds, of that the indexes, and its limit now (as shown). */
export async function readDuckDbMemory(con: DuckDBConnection): Promise<{ usedBytes: number; indexBytes: number; limit: string }> {
  const r = await con.runAndReadAll(
    `SELECT coalesce(sum(memory_usage_bytes), 0), coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'ART_INDEX'), 0), ` +
      `current_setting('memory_limit') FROM duckdb_memory()`,
  );
  const [used, index, limit] = r.getRows()[0] ?? [];
  return { usedBytes: Number(used ?? 0), indexBytes: Number(index ?? 0), limit: String(limit) };
}

export class IndexMemoryAllowance {
  /** DuckDB's memory limit as last set, in bytes. */
  limitBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<number> | undefined;
  private readonly stepBytes: number;

  private constructor(
    private readonly con: DuckDBConnection,
    /** The configured memory limit: for everything but the indexes. */
    readonly baseBytes: number,
    options: IndexMemoryOptions,
  ) {
    this.limitBytes = baseBytes;
    this.stepBytes = options.stepBytes ?? 16e6;
    const intervalMs = options.intervalMs ?? 5_000;
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.check().catch(() => undefined), intervalMs);
      this.timer.unref();
    }
  }

  /** `baseBytes`: the configured memory limit, for everything but the indexes. `intervalMs` 0: only `check()`. */
  static async start(instance: DuckDBInstance, baseBytes: number, options: IndexMemoryOptions = {}): Promise<IndexMemoryAllowance> {
    return new IndexMemoryAllowance(await instance.connect(), baseBytes, options);
  }

  /** Reads the indexes' memory and moves DuckDB's limit to the base plus it (rounded up to a step); returns the limit. */
  check(): Promise<number> {
    this.checking ??= this.adjust().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async adjust(): Promise<number> {
    const { indexBytes } = await readDuckDbMemory(this.con);
    const wanted = this.baseBytes + Math.ceil(indexBytes / this.stepBytes) * this.stepBytes;
    // Lower only by a whole step more than needed, so that a limit near a step boundary does not flap.
    if (wanted > this.limitBytes || wanted < this.limitBytes - this.stepBytes) {
      await this.con.run(`SET memory_limit = '${Math.ceil(wanted / 1e6)}MB'`);
      this.limitBytes = wanted;
    }
    return this.limitBytes;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.checking?.catch(() => undefined);
    this.con.closeSync();
  }
}
