/**
 * The fast paths of COPY for local CSV files: DuckDB reads the file, so no byte goes through the JS parser.
 * They are only taken when the result is provably the JS parser's (csv-parser.ts), and each falls back to
 * the next when the engine refuses the file (nothing is written then):
 * 1. native — read_csv parses the records (quotes included: FIELD_OPTIONALLY_ENCLOSED_BY with doubled
 *    quotes), every field as VARCHAR. read_csv is strict, so a successful read means every record had the
 *    table's field count; a record count that differs from the line count (a quoted line break) refuses it.
 * 2. line mode — read_csv returns lines and SQL splits the fields; column-count errors and blank lines are
 *    handled per record. Only for files without quote characters (or without FIELD_OPTIONALLY_ENCLOSED_BY).
 * A streaming pre-scan of the bytes (gunzipped for gzip files, which also proves the stream complete) rules
 * out what neither path expresses: CR, NUL, escapes other than a whole `\N` field in NULL_IF, blanks around a
 * quote (the engine trims them, Snowflake does not). Invalid UTF-8 makes the engine refuse the file.
 */
import type { CsvFormat } from '../../core/load/file-format.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { columnCountMessage, rawFieldColumn, type RawShape } from './raw-table.js';
import { scanCsvFile, type CsvScan } from './csv-scan.js';

/**
 * read_csv buffers 16 × max_line_size by default, and with parallel = false the whole file: both would make
 * memory grow with the file. 64 MiB buffers bound it; lines longer than that go to the JS parser.
 * Record numbers come from row_number() OVER () on the (order-preserving) scan.
 */
const READ_LIMITS = `max_line_size = ${64 * 1024 * 1024}, buffer_size = ${64 * 1024 * 1024}`;

/** Below this size the pre-scan and the extra statements cost more than the JS parser (~5 ms vs ~1 ms a file). */
export const FAST_PATH_MIN_BYTES = 256 * 1024;

/** Format options the engine's reader reproduces; anything else goes to the JS parser. */
export function formatEligible(f: CsvFormat): boolean {
  return (
    f.recordDelimiter === '\n' &&
    f.fieldDelimiter !== null &&
    f.fieldDelimiter.length === 1 &&
    f.fieldDelimiter !== '\n' &&
    f.fieldDelimiter.charCodeAt(0) < 0x80 &&
    f.encoding === 'UTF8' &&
    f.skipByteOrderMark &&
    !f.trimSpace &&
    !f.parseHeader &&
    !f.replaceInvalidCharacters &&
    (f.escape === null || f.escape === f.fieldOptionallyEnclosedBy)
  );
}

const q = (d: WarehouseDialect, s: string) => d.quoteString(s);

/** NULL_IF (and EMPTY_FIELD_AS_NULL for line mode) applied to a field expression. */
function nullIfSql(d: WarehouseDialect, v: string, f: CsvFormat, emptyToo: boolean): string {
  const conds = [...(f.nullIf.length ? [`${v} IN (${f.nullIf.map((n) => q(d, n)).join(', ')})`] : []), ...(emptyToo && f.emptyFieldAsNull ? [`${v} = ''`] : [])];
  return conds.length ? `CASE WHEN ${conds.join(' OR ')} THEN NULL ELSE ${v} END` : v;
}

/**
 * The rows of one file in the raw-table layout, read_csv parsing the records. An unquoted empty field is NULL
 * (EMPTY_FIELD_AS_NULL) or '' (nullstr is then a byte the scan ruled out); a quoted one is ''
 * (allow_quoted_nulls = false). A relation: COPY inserts it into the raw table, or streams it (copy-source.ts).
 */
export function nativeSelectSql(d: WarehouseDialect, path: string, f: CsvFormat, shape: RawShape, fileNo: number, gzip: boolean): string {
  const cols = Array.from({ length: shape.fields }, (_, i) => `'${rawFieldColumn(i + 1)}': 'VARCHAR'`).join(', ');
  const quote = f.fieldOptionallyEnclosedBy ?? '';
  const read =
    `read_csv(${q(d, path)}, columns = {${cols}}, delim = ${q(d, f.fieldDelimiter!)}, quote = ${q(d, quote)}, escape = ${q(d, quote)}, header = false, ` +
    `auto_detect = false, skip = ${f.skipHeader}, new_line = '\\n', nullstr = ${f.emptyFieldAsNull ? "''" : 'chr(1)'}, allow_quoted_nulls = false, ` +
    `strict_mode = true, null_padding = false, ${READ_LIMITS}, compression = '${gzip ? 'gzip' : 'none'}')`;
  const fields = Array.from({ length: shape.fields }, (_, i) => `${nullIfSql(d, rawFieldColumn(i + 1), f, false)} AS ${rawFieldColumn(i + 1)}`).join(', ');
  return (
    `SELECT CAST(${fileNo} AS INTEGER) AS f, CAST(r AS INTEGER) AS r, CAST(r + ${f.skipHeader} AS INTEGER) AS l, CAST(NULL AS VARCHAR) AS perr, ` +
    `CAST(NULL AS INTEGER) AS pcode, CAST(NULL AS INTEGER) AS pchar, CAST(NULL AS VARCHAR) AS pcol, ${fields} ` +
    `FROM (SELECT row_number() OVER () AS r, * FROM ${read})`
  );
}

/** `INSERT INTO raw …` of one file's records (nativeSelectSql). */
export function nativeReadSql(d: WarehouseDialect, raw: string, path: string, f: CsvFormat, shape: RawShape, fileNo: number, gzip: boolean): string {
  return `INSERT INTO ${raw} ${nativeSelectSql(d, path, f, shape, fileNo, gzip)}`;
}

/** `INSERT INTO raw …` reading lines (read_csv with a delimiter the scan ruled out) and splitting them in SQL. */
export function lineReadSql(d: WarehouseDialect, raw: string, path: string, f: CsvFormat, shape: RawShape, fileNo: number, gzip: boolean): string {
  const fields = Array.from({ length: shape.fields }, (_, i) => `${nullIfSql(d, `p[${i + 1}]`, f, true)} AS ${rawFieldColumn(i + 1)}`).join(', ');
  // A blank line is a record with one empty field; SKIP_BLANK_LINES drops it when that field reads as NULL.
  const blankIsNull = f.emptyFieldAsNull || f.nullIf.includes('');
  const keep = f.skipBlankLines && blankIsNull ? `WHERE line <> ''` : '';
  const count = shape.checkColumnCount && f.errorOnColumnCountMismatch ? `len(p) <> ${shape.fields}` : 'false';
  const [before, after] = columnCountMessage('\u0000', shape.fields).split('\u0000') as [string, string];
  const msg = `${q(d, before)} || len(p) || ${q(d, after)}`;
  const tableRef = q(d, `"${shape.tableName}"[`);
  const read =
    `read_csv(${q(d, path)}, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, ` +
    `skip = ${f.skipHeader}, new_line = '\\n', ${READ_LIMITS}, compression = '${gzip ? 'gzip' : 'none'}')`;
  // Record numbers count kept lines; line numbers count every line (n). Both follow the file's order.
  return (
    `INSERT INTO ${raw} SELECT ${fileNo}, row_number() OVER (), n + ${f.skipHeader}, ` +
    `CASE WHEN ${count} THEN ${msg} END, CASE WHEN ${count} THEN 100080 END, CASE WHEN ${count} THEN 1 END, ` +
    `CASE WHEN ${count} THEN ${tableRef} || len(p) || ']' END, ${fields} ` +
    `FROM (SELECT n, line, string_split(line, ${q(d, f.fieldDelimiter!)}) AS p FROM ` +
    `(SELECT row_number() OVER () AS n, coalesce(line, '') AS line FROM ${read}) ${keep})`
  );
}

async function attempt(conn: WarehouseConnection, raw: string, fileNo: number, sql: string): Promise<number | undefined> {
  try {
    return Number((await conn.query(sql)).rowsChanged ?? 0);
  } catch {
    // The engine refused the file: the next reader decides (the JS parser's errors are Snowflake's).
    await conn.execute(`DELETE FROM ${raw} WHERE f = ${fileNo}`);
    return undefined;
  }
}

export type FastPath = 'native' | 'lines';

/** Tries the fast paths; undefined when the file must go through the JS parser (nothing was written then). */
export async function tryFastRead(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  path: string,
  f: CsvFormat,
  shape: RawShape,
  fileNo: number,
  paths: FastPath | readonly FastPath[] = ['native', 'lines'],
): Promise<{ records: number; path: FastPath } | undefined> {
  const allowed = typeof paths === 'string' ? [paths] : paths;
  if (!formatEligible(f)) return undefined;
  const scan: CsvScan | undefined = await scanCsvFile(path, f);
  if (!scan) return undefined;
  const quoted = f.fieldOptionallyEnclosedBy !== null;
  if (allowed.includes('native') && !scan.blankLine && !(quoted && scan.blankNextToQuote)) {
    const records = await attempt(conn, raw, fileNo, nativeReadSql(d, raw, path, f, shape, fileNo, scan.gzip));
    // Every record one line: otherwise line numbers would differ (a quoted line break), let the others decide.
    if (records !== undefined && records === Math.max(0, scan.lines - f.skipHeader)) return { records, path: 'native' };
    if (records !== undefined) await conn.execute(`DELETE FROM ${raw} WHERE f = ${fileNo}`);
  }
  if (allowed.includes('lines') && !(quoted && scan.quote)) {
    const records = await attempt(conn, raw, fileNo, lineReadSql(d, raw, path, f, shape, fileNo, scan.gzip));
    if (records !== undefined) return { records, path: 'lines' };
  }
  return undefined;
}
