/**
 * The loader's raw table: every file of one COPY lands here as text before set-based checks and conversion.
 * Layout: f (file number in the batch), r (record number), l (line), perr/pcode/pchar/pcol (parse error),
 * then c1..cK (the file's fields). One table per COPY, not per file, so a batch of small files costs a few
 * statements instead of a few per file.
 */
import type { WarehouseConnection } from '../../core/ports/warehouse.js';

export const RAW_FIXED_COLUMNS = ['f', 'r', 'l', 'perr', 'pcode', 'pchar', 'pcol'] as const;

export const rawFieldColumn = (i: number): string => `c${i}`;

export function rawTableDdl(name: string, fields: number): string {
  const cs = Array.from({ length: fields }, (_, i) => `, ${rawFieldColumn(i + 1)} VARCHAR`).join('');
  return `CREATE OR REPLACE TEMP TABLE ${name} (f INTEGER, r INTEGER, l INTEGER, perr VARCHAR, pcode INTEGER, pchar INTEGER, pcol VARCHAR${cs})`;
}

export async function createRawTable(conn: WarehouseConnection, name: string, fields: number): Promise<void> {
  await conn.execute(rawTableDdl(name, fields));
}

/** How a file's records map onto the raw table. */
export interface RawShape {
  /** Number of field columns (c1..cK). */
  fields: number;
  /** Table name for error texts (`"T"[n]`). */
  tableName: string;
  /** Whether a record with a different field count is an error (plain COPY; a transformation picks fields). */
  checkColumnCount: boolean;
}

export const columnCountMessage = (found: number | string, expected: number): string =>
  `Number of columns in file (${found}) does not match that of the corresponding table (${expected}), use file format option error_on_column_count_mismatch=false to ignore this error`;
