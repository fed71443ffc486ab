/**
 * Reads one staged Parquet file into the loader's raw table with DuckDB's read_parquet: each row becomes
 * `$1`, an OBJECT of the row's columns (c1 = its JSON text), as Snowflake presents Parquet data. Logical types
 * are read (dates, timestamps, decimals; nested lists/structs become arrays/objects); BINARY_AS_TEXT decides
 * whether byte arrays without a logical type are text, else binary values are shown as hex. A file DuckDB
 * cannot read (not Parquet, corrupt) is a file-level error.
 */
import type { ParquetFormat } from '../../core/load/file-format.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { localFile } from './local-file.js';
import type { Probe } from './json-reader.js';
import type { ReadResult } from './stage-file-reader.js';

/** floe's code for an unreadable Parquet file (the reference gives none). */
export const PARQUET_READ_CODE = 100146;

function parquetError(e: unknown, key: string, path?: string): NonNullable<ReadResult['fileError']> {
  let m = (e as Error).message.split('\n')[0]!.replace(/^[A-Za-z ]*Error: /, '');
  if (path) m = m.split(path).join(key);
  return { message: `Error reading Parquet file: ${m}`, code: PARQUET_READ_CODE };
}

/**
 * JSON value of one column for the row object: binary as hex; wide integers as exact number text; decimals
 * with more than 15 digits and a fraction as exact text in a JSON string (the engine's JSON numbers with a
 * fraction are doubles, which would round them); everything else through to_json.
 */
function valueExpr(d: WarehouseDialect, name: string, type: string): string {
  const col = d.quoteIdent(name);
  if (type === 'BLOB') return `hex(${col})`;
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (dec && Number(dec[1]) > 15 && Number(dec[2]) > 0) return `CAST(${col} AS VARCHAR)`;
  if (dec || /^U?HUGEINT$/.test(type)) return `CAST(CAST(${col} AS VARCHAR) AS JSON)`;
  return col;
}

export async function readParquetIntoRaw(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  store: ObjectStore,
  key: string,
  f: ParquetFormat,
  fileNo: number,
  o: { limitRows?: number; probe?: Probe } = {},
): Promise<ReadResult> {
  let file;
  try {
    file = await localFile(store, key, { compression: 'NONE' });
  } catch (e) {
    return { records: 0, fileError: parquetError(e, key) };
  }
  try {
    const source = `read_parquet(${d.quoteString(file.path)}, binary_as_string = ${f.binaryAsText}, file_row_number = true)`;
    const describe = `SELECT * FROM ${source} LIMIT 0`;
    const failed = o.probe ? await o.probe(describe) : undefined;
    if (failed) return { records: 0, fileError: parquetError(failed, key, file.path) };
    let columns: [string, string][];
    try {
      columns = (await conn.query(`DESCRIBE ${describe}`)).rows.map((r) => [String(r[0]), String(r[1])] as [string, string]).filter(([n]) => n !== 'file_row_number');
    } catch (e) {
      return { records: 0, fileError: parquetError(e, key, file.path) };
    }
    const object = columns.length ? `json_object(${columns.map(([n, t]) => `${d.quoteString(n)}, ${valueExpr(d, n, t)}`).join(', ')})` : `json_object()`;
    const limit = o.limitRows !== undefined ? ` WHERE file_row_number < ${o.limitRows}` : '';
    const select =
      `SELECT ${fileNo} AS f, CAST(file_row_number + 1 AS INTEGER) AS r, CAST(file_row_number + 1 AS INTEGER) AS l, NULL AS perr, NULL AS pcode, NULL AS pchar, NULL AS pcol, ` +
      `CAST(${object} AS VARCHAR) AS c1 FROM ${source}${limit} ORDER BY file_row_number`;
    const bad = o.probe ? await o.probe(select) : undefined;
    if (bad) return { records: 0, fileError: parquetError(bad, key, file.path) };
    try {
      const r = await conn.query(`INSERT INTO ${raw} (f, r, l, perr, pcode, pchar, pcol, c1) ${select}`);
      return { records: Number(r.rowsChanged ?? 0) };
    } catch (e) {
      return { records: 0, fileError: parquetError(e, key, file.path) };
    }
  } finally {
    file.release();
  }
}
