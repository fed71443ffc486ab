/**
 * `warehouse:` section of floe.yaml — settings of the embedded warehouse (DuckDB) that belong to the machine, not
 * to the SQL. `memoryLimit` bounds DuckDB's memory (its buffer cache otherwise grows towards 80 % of RAM as the
 * warehouse grows) but for clustered tables' indexes, which DuckDB holds in memory on top of it
 * (duckdb-index-memory.ts); larger operations spill to a temporary folder beside the warehouse file. `checkpointThreshold` is
 * the write-ahead-log size at which DuckDB merges the log into the database file (floe's default 256MB, DuckDB's 16MB).
 */
import { z } from 'zod';

const SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

export const warehouseSection = z
  .object({
    memoryLimit: z
      .string()
      .regex(SIZE, "a size such as '1GB' or '512MiB'")
      .optional(),
    checkpointThreshold: z
      .string()
      .regex(SIZE, "a size such as '1GB' or '256MB'")
      .optional(),
  })
  .strict();

export type WarehouseConfig = z.infer<typeof warehouseSection>;
