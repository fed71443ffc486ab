/**
 * Reads one staged JSON file into the loader's raw table (c1 = the document as minified JSON text), in
 * DuckDB. The file is first made plain (gunzipped by zlib, CR bytes dropped, invalid UTF-8 replaced if asked),
 * then its lines are read with read_csv and documents found as Snowflake's stream reader sees them:
 * - newline-delimited documents (NDJSON): every non-blank line is a document; a malformed line is an error
 *   row (ON_ERROR applies per document) with its line number;
 * - documents spanning lines (pretty-printed; MULTI_LINE = TRUE): lines are grouped by bracket depth, each
 *   group a document, a malformed group an error row;
 * - STRIP_OUTER_ARRAY = TRUE: each element of a top-level array is a document (a file that is one array is
 *   streamed element by element with read_json_objects).
 * Then per document: duplicate keys are an error unless ALLOW_DUPLICATE = TRUE (the last value wins),
 * STRIP_NULL_VALUES drops null fields/elements; the few documents that need it go through floe_json_error /
 * floe_json_rewrite (JS UDFs), everything else stays set-based SQL.
 */
import type { JsonFormat } from '../../core/load/file-format.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { localFile } from './local-file.js';
import type { ReadResult } from './stage-file-reader.js';

const DOCS = '__floe_json_docs';
const LINES = '__floe_json_lines';
/** Largest document read_json_objects accepts (Snowflake's VARIANT limit is 128 MB). */
const MAX_OBJECT = 128 * 1024 * 1024;
/** Longest NDJSON line read (read_csv buffers a multiple of it; a longer line fails the file). */
const MAX_LINE = 32 * 1024 * 1024;
export const JSON_PARSE_CODE = 100069;

/** A file-level failure from an engine read error (its message names the temp path: keep only the reason). */
export function engineReadError(e: unknown, key: string, path?: string): NonNullable<ReadResult['fileError']> {
  const cause = (e as { cause?: unknown }).cause;
  const full = `${(e as Error).message}\n${cause instanceof Error ? cause.message : ''}`;
  let m = full.split('\n')[0]!.replace(/ in file "[^"]*"/g, '');
  if (path) m = m.split(path).join(key);
  if (/gzip|decompress|zlib|inflate|unexpected end of file|incorrect header/i.test(m) || (e as NodeJS.ErrnoException).code?.startsWith('Z_')) {
    return { message: `Invalid data encountered during decompression for file: '${key}' (${m})`, code: 100233 };
  }
  if (/utf-?8|unicode|encoding/i.test(full)) return { message: 'Invalid UTF8 detected in string. File must be UTF-8 encoded (or use REPLACE_INVALID_CHARACTERS = TRUE)', code: 100144 };
  return { message: `Error parsing JSON: ${m.replace(/^[A-Za-z ]*Error: /, '')}`, code: JSON_PARSE_CODE };
}

/**
 * Runs a read that may fail on a bad file; returns the error instead of throwing. Inside an explicit
 * transaction a failed statement would abort it, so `probe` (a side connection) tries the read first.
 */
export type Probe = (selectSql: string) => Promise<unknown>;

export async function attemptRead(conn: WarehouseConnection, target: string, select: string, probe?: Probe): Promise<unknown> {
  if (probe) {
    const failed = await probe(select);
    if (failed) return failed;
  }
  try {
    await conn.execute(`CREATE OR REPLACE TEMP TABLE ${target} AS ${select}`);
    return undefined;
  } catch (e) {
    return e;
  }
}

export function probeWith(side: WarehouseConnection): Probe {
  return async (select) => {
    try {
      await side.query(`SELECT count(*) FROM (${select})`);
      return undefined;
    } catch (e) {
      return e;
    }
  };
}

/**
 * Documents spanning lines: a document starts at a line where the bracket depth (outside strings, clamped
 * at zero like a stream parser recovering from a stray closer) is zero, and takes lines until it is again.
 */
function assembleSql(): string {
  const bare = `regexp_replace(line, '"(\\\\.|[^"\\\\])*"', '', 'g')`;
  const count = (chars: string[]) => chars.map((c) => `(length(bare) - length(replace(bare, '${c}', '')))`).join(' + ');
  return (
    `SELECT min(n) AS l, string_agg(line, chr(10) ORDER BY n) AS t FROM (` +
    `SELECT n, line, sum(CASE WHEN prev = lowest THEN 1 ELSE 0 END) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS doc FROM (` +
    `SELECT n, line, prev, min(prev) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS lowest FROM (` +
    `SELECT n, line, sum(delta) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) - delta AS prev FROM (` +
    `SELECT n, line, (${count(['{', '['])}) - (${count(['}', ']'])}) AS delta FROM (SELECT n, line, ${bare} AS bare FROM ${LINES} WHERE ${NON_BLANK}))))) GROUP BY doc`
  );
}

const NON_BLANK = `line IS NOT NULL AND trim(line, ' ' || chr(9)) <> ''`;

/** Documents of the (plain, CR-free) file into DOCS (l = first line, t = text); the read error when unreadable. */
async function readDocuments(conn: WarehouseConnection, d: WarehouseDialect, path: string, f: JsonFormat, probe?: Probe): Promise<unknown> {
  const p = d.quoteString(path);
  // An outer array is streamed element by element when the whole file is one array.
  const array = `SELECT row_number() OVER () AS l, json AS t FROM read_json_objects(${p}, format = 'array', maximum_object_size = ${MAX_OBJECT})`;
  if (f.stripOuterArray && (await attemptRead(conn, DOCS, array, probe)) === undefined) return undefined;
  const lines =
    `SELECT row_number() OVER () AS n, line FROM read_csv(${p}, columns = {'line': 'VARCHAR'}, ` +
    `delim = '\\x01', quote = '', escape = '', header = false, auto_detect = false, new_line = '\\n', max_line_size = ${MAX_LINE}, buffer_size = ${2 * MAX_LINE})`;
  const failed = await attemptRead(conn, LINES, lines, probe);
  if (failed) return failed;
  const stats = await conn.query(`SELECT count(*) FILTER (WHERE json_valid(line)), count(*) FILTER (WHERE NOT json_valid(line)) FROM ${LINES} WHERE ${NON_BLANK}`);
  const [valid, invalid] = stats.rows[0]!.map(Number) as [number, number];
  // Pretty-printed documents make most lines fragments; NDJSON with a few bad lines keeps most lines whole
  // (and there a bad line must not swallow the lines after it).
  const ndjson = invalid === 0 || !f.multiLine || valid >= invalid;
  await conn.execute(`CREATE OR REPLACE TEMP TABLE ${DOCS} AS ${ndjson ? `SELECT n AS l, line AS t FROM ${LINES} WHERE ${NON_BLANK}` : assembleSql()}`);
  return undefined;
}

/** The documents' rows in the raw-table layout, with Snowflake's per-document checks and rewrites. */
export function documentsSql(f: JsonFormat, fileNo: number, limitRows?: number): string {
  // JSON functions raise on malformed text and AND does not short-circuit: only CASE guards them.
  const isArray = `coalesce(CASE WHEN json_valid(t) THEN json_type(t) = 'ARRAY' END, false)`;
  const expanded = f.stripOuterArray
    ? `SELECT l, 0 AS k, t, json_valid(t) AS ok FROM ${DOCS} WHERE NOT ${isArray} UNION ALL ` +
      `SELECT l, unnest(range(1, CAST(json_array_length(a) AS BIGINT) + 1)) AS k, CAST(unnest(CAST(a AS JSON[])) AS VARCHAR) AS t, true AS ok ` +
      `FROM (SELECT l, CASE WHEN ${isArray} THEN t END AS a FROM ${DOCS}) WHERE a IS NOT NULL`
    : `SELECT l, 0 AS k, t, json_valid(t) AS ok FROM ${DOCS}`;
  const dup =
    `list_bool_or(list_transform(list_prepend(CAST(t AS JSON), json_extract(t, '$..*')), ` +
    `x -> json_type(x) = 'OBJECT' AND len(json_keys(x)) <> len(list_distinct(json_keys(x)))))`;
  const perr = f.allowDuplicate
    ? `CASE WHEN NOT ok THEN coalesce(floe_json_error(t, false), 'Error parsing JSON: invalid document') END`
    : `CASE WHEN NOT ok THEN coalesce(floe_json_error(t, false), 'Error parsing JSON: invalid document') WHEN ${dup} THEN floe_json_error(t, true) END`;
  const needsRewrite = [...(f.allowDuplicate ? [dup] : []), ...(f.stripNullValues ? [`contains(t, 'null')`] : [])];
  const text = needsRewrite.length ? `CASE WHEN ${needsRewrite.join(' OR ')} THEN floe_json_rewrite(t, ${f.allowDuplicate}, ${f.stripNullValues}) ELSE t END` : 't';
  const limit = limitRows !== undefined ? ` WHERE r <= ${limitRows}` : '';
  return (
    `SELECT ${fileNo} AS f, r, l, perr, CASE WHEN perr IS NOT NULL THEN ${JSON_PARSE_CODE} END AS pcode, CASE WHEN perr IS NOT NULL THEN 1 END AS pchar, ` +
    `NULL AS pcol, CASE WHEN perr IS NULL THEN CAST(json(${text}) AS VARCHAR) ELSE t END AS c1 FROM (` +
    `SELECT row_number() OVER (ORDER BY l, k) AS r, l, t, ok, ${perr} AS perr FROM (${expanded}))${limit} ORDER BY r`
  );
}

/** Reads one JSON file into `raw` (c1 only), rows tagged with `fileNo`. */
export async function readJsonIntoRaw(
  conn: WarehouseConnection,
  d: WarehouseDialect,
  raw: string,
  store: ObjectStore,
  key: string,
  f: JsonFormat,
  fileNo: number,
  o: { limitRows?: number; probe?: Probe } = {},
): Promise<ReadResult> {
  let file;
  try {
    // gunzip here: zlib reports a truncated stream, which the engine's gzip reader does not.
    file = await localFile(store, key, { compression: f.compression, gunzip: true, replaceInvalidUtf8: f.replaceInvalidCharacters, stripCr: true });
  } catch (e) {
    return { records: 0, fileError: engineReadError(e, key) };
  }
  try {
    const failed = await readDocuments(conn, d, file.path, f, o.probe);
    if (failed) return { records: 0, fileError: engineReadError(failed, key, file.path) };
    const r = await conn.query(`INSERT INTO ${raw} (f, r, l, perr, pcode, pchar, pcol, c1) ${documentsSql(f, fileNo, o.limitRows)}`);
    return { records: Number(r.rowsChanged ?? 0) };
  } finally {
    file.release();
    await conn.execute(`DROP TABLE IF EXISTS ${DOCS}; DROP TABLE IF EXISTS ${LINES}`);
  }
}
