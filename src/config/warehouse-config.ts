/**
 * `warehouse:` section of floe.yaml — settings of the embedded warehouse (DuckDB) that belong to the machine, not
 * to the SQL. `memoryLimit` bounds DuckDB's memory (its buffer cache otherwise grows towards 80 % of RAM as the
 * warehouse grows) but for clustered tables' indexes, which DuckDB holds in memory on top of it
 * (duckdb-index-memory.ts); larger operations spill to a temporary folder beside the warehouse file. `checkpointThreshold` is
 * the write-ahead-log size at which DuckDB merges the log into the database file (floe's default 256MB, DuckDB's 16MB).
 */
import { z } from 'zod';
import { byteSize } from '../core/byte-size.js';

const size = (example: string) => z.string().refine((s) => byteSize(s) !== undefined, `a size such as '1GB' or '${example}'`);

export const warehouseSection = z
  .object({
    memoryLimit: size('512MiB').optional(),
    checkpointThreshold: size('256MB').optional(),
  })
  .strict();

export type WarehouseConfig = z.infer<typeof warehouseSection>;
