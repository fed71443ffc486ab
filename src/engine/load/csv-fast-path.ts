/**
 * The fast path of COPY for plain local CSV files: DuckDB reads the file line by line (`read_csv` with one
 * VARCHAR column) and splits fields with SQL, so no byte goes through JS. It is only taken when the result is
 * provably the one of the JS parser (csv-parser.ts): a pre-scan of the bytes rules out everything the split
 * cannot express — quote characters when FIELD_OPTIONALLY_ENCLOSED_BY is set, the unenclosed-field escape,
 * CR, NUL, invalid UTF-8, a BOM, gzip — and the caller falls back to the JS parser otherwise (and when the
 * engine rejects the read). Without quotes a record is exactly one line, so line numbers follow from row
 * numbers.
 */
import { createReadStream } from 'node:fs';
import type { CsvFormat } from '../../core/load/file-format.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { columnCountMessage, rawFieldColumn, type RawShape } from './raw-table.js';

/** Below this size the pre-scan and the extra statement cost more than the JS parser (~5 ms vs ~1 ms a file). */
export const FAST_PATH_MIN_BYTES = 256 * 1024;

/** A byte that never occurs in an eligible file; DuckDB splits lines on it (i.e. never). */
const LINE_DELIM = 0x01;

/** Format options the split reproduces; anything else goes to the JS parser. */
export function formatEligible(f: CsvFormat): boolean {
  return (
    f.recordDelimiter === '\n' &&
    f.fieldDelimiter !== null &&
    f.fieldDelimiter.length === 1 &&
    f.fieldDelimiter !== '\n' &&
    f.compression !== 'GZIP' &&
    f.encoding === 'UTF8' &&
    !f.trimSpace &&
    !f.parseHeader &&
    !f.replaceInvalidCharacters
  );
}

/** Scans the file's bytes (streaming, bounded memory) for anything only the JS parser handles. */
export async function fileEligible(path: string, f: CsvFormat): Promise<boolean> {
  const banned = new Set<number>([0x0d, 0x00, LINE_DELIM]);
  if (f.escapeUnenclosedField !== null) banned.add(f.escapeUnenclosedField.charCodeAt(0));
  if (f.fieldOptionallyEnclosedBy !== null) banned.add(f.fieldOptionallyEnclosedBy.charCodeAt(0));
  for (const b of banned) if (b > 0x7f) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let first = true;
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk[0] === 0x1f && chunk[1] === 0x8b) return false; // gzip (AUTO)
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return false; // BOM
      }
      bytes += chunk.length;
      for (const b of banned) if (chunk.indexOf(b) >= 0) return false;
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
  } catch {
    return false;
  }
  return bytes > 0;
}

/** `INSERT INTO raw …` reading one eligible file with DuckDB. */
export function fastReadSql(d: WarehouseDialect, raw: string, path: string, f: CsvFormat, shape: RawShape, fileNo: number): string {
  const q = (s: string) => d.quoteString(s);
  const field = (i: number) => {
    const v = `p[${i}]`;
    const isNull = [`${v} IS NULL`, ...(f.nullIf.length ? [`${v} IN (${f.nullIf.map(q).join(', ')})`] : []), ...(f.emptyFieldAsNull ? [`${v} = ''`] : [])].join(' OR ');
    return `CASE WHEN ${isNull} THEN NULL ELSE ${v} END AS ${rawFieldColumn(i)}`;
  };
  const fields = Array.from({ length: shape.fields }, (_, i) => field(i + 1)).join(', ');
  // A blank line is a record with one empty field; SKIP_BLANK_LINES drops it when that field reads as NULL.
  const blankIsNull = f.emptyFieldAsNull || f.nullIf.includes('');
  const keep = f.skipBlankLines && blankIsNull ? `WHERE line <> ''` : '';
  const count = shape.checkColumnCount && f.errorOnColumnCountMismatch ? `len(p) <> ${shape.fields}` : 'false';
  const expected = shape.fields;
  const [before, after] = columnCountMessage('\u0000', expected).split('\u0000') as [string, string];
  const msg = `${q(before)} || len(p) || ${q(after)}`;
  const tableRef = q(`"${shape.tableName}"[`);
  const read =
    `read_csv(${q(path)}, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, ` +
    `skip = ${f.skipHeader}, new_line = '\\n', max_line_size = ${2 ** 30}, parallel = false)`;
  return (
    `INSERT INTO ${raw} SELECT ${fileNo}, row_number() OVER (ORDER BY n), n + ${f.skipHeader}, ` +
    `CASE WHEN ${count} THEN ${msg} END, CASE WHEN ${count} THEN 100080 END, CASE WHEN ${count} THEN 1 END, ` +
    `CASE WHEN ${count} THEN ${tableRef} || len(p) || ']' END, ${fields} ` +
    `FROM (SELECT n, line, string_split(line, ${q(f.fieldDelimiter!)}) AS p FROM ` +
    `(SELECT row_number() OVER () AS n, coalesce(line, '') AS line FROM ${read}) ${keep}) ORDER BY n`
  );
}

/** Tries the fast path; false when the file must go through the JS parser (nothing was written then). */
export async function tryFastRead(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  path: string,
  f: CsvFormat,
  shape: RawShape,
  fileNo: number,
): Promise<{ records: number } | undefined> {
  if (!formatEligible(f) || !(await fileEligible(path, f))) return undefined;
  try {
    const r = await conn.query(fastReadSql(d, raw, path, f, shape, fileNo));
    return { records: Number(r.rowsChanged ?? 0) };
  } catch {
    // The engine refused something the pre-scan let through: the JS parser decides (its errors are Snowflake's).
    await conn.execute(`DELETE FROM ${raw} WHERE f = ${fileNo}`);
    return undefined;
  }
}
