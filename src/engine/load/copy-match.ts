/**
 * MATCH_BY_COLUMN_NAME for CSV (reference §4.6, CV-10): with PARSE_HEADER = TRUE each file's first line names
 * its fields; table columns take the field of the same name (CASE_SENSITIVE or CASE_INSENSITIVE), columns
 * without a field get NULL, fields without a column are ignored. Files may order their fields differently:
 * the mapping is per file, applied in SQL over the raw table.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { compilationError } from '../../core/errors.js';
import type { ColumnDef } from '../../core/catalog/catalog-model.js';
import { CsvParser, type CsvRecord } from '../../core/load/csv-parser.js';
import type { CsvFormat } from '../../core/load/file-format.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseDialect } from '../../core/ports/warehouse.js';
import { rawFieldColumn, RAW_FIXED_COLUMNS } from './raw-table.js';

export type MatchMode = 'CASE_SENSITIVE' | 'CASE_INSENSITIVE';

export function parseMatchMode(v: string | undefined): MatchMode | undefined {
  const u = (v ?? 'NONE').toUpperCase();
  if (u === 'NONE') return undefined;
  if (u === 'CASE_SENSITIVE' || u === 'CASE_INSENSITIVE') return u;
  throw compilationError(`invalid value '${v}' for copy option MATCH_BY_COLUMN_NAME: expected CASE_SENSITIVE, CASE_INSENSITIVE or NONE`);
}

/** The first record of a file (its header), read with the file's format; [] for an empty file. */
export async function readHeader(store: ObjectStore, key: string, format: CsvFormat): Promise<string[]> {
  const parser = new CsvParser({ ...format, parseHeader: false, skipHeader: 0 });
  let header: CsvRecord | undefined;
  const stream = await store.getStream(key);
  try {
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return [];
    const head = first.value as Buffer;
    const gz = format.compression === 'GZIP' || (format.compression === 'AUTO' && head[0] === 0x1f && head[1] === 0x8b);
    const source = (async function* () {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value as Buffer;
      }
    })();
    const chunks: AsyncIterable<Buffer> = gz ? Readable.from(source).pipe(createGunzip()) : source;
    const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
    for await (const chunk of chunks) {
      parser.push(decoder.decode(chunk, { stream: true }), (r) => (header ??= r));
      if (header) break;
    }
    if (!header) parser.end((r) => (header ??= r));
  } catch {
    return []; // a corrupt file fails when its data is read, with Snowflake's file error
  } finally {
    stream.destroy();
  }
  return (header?.fields ?? []).map((f) => f ?? '');
}

/**
 * The SELECT over the raw table with fields re-ordered per file so that field i is the
 * header field named like `columns[i]` (NULL when the file has none). INCLUDE_METADATA columns take their
 * metadata value instead (`metadata`: column name → SQL over the raw table).
 */
export function matchSql(
  raw: string,
  columns: readonly ColumnDef[],
  headers: readonly string[][],
  mode: MatchMode,
  metadata: ReadonlyMap<string, string> = new Map(),
): string {
  const norm = (s: string) => (mode === 'CASE_INSENSITIVE' ? s.toUpperCase() : s);
  const exprs = columns.map((c, i) => {
    const meta = metadata.get(c.name);
    if (meta !== undefined) return `CAST(${meta} AS VARCHAR) AS ${rawFieldColumn(i + 1)}`;
    const whens = headers.flatMap((h, f) => {
      const idx = h.findIndex((name) => norm(name) === norm(c.name));
      return idx < 0 ? [] : [`WHEN ${f + 1} THEN ${rawFieldColumn(idx + 1)}`];
    });
    return `${whens.length ? `CASE f ${whens.join(' ')} END` : 'CAST(NULL AS VARCHAR)'} AS ${rawFieldColumn(i + 1)}`;
  });
  return `SELECT ${RAW_FIXED_COLUMNS.join(', ')}, ${exprs.join(', ')} FROM ${raw}`;
}

const VARIANT_KINDS = ['VARIANT', 'OBJECT', 'ARRAY'];

/**
 * MATCH_BY_COLUMN_NAME for JSON and Parquet: `$1` (c1) is an object per record; each table column takes the
 * value of the key named like it (CASE_SENSITIVE, or the first key equal ignoring case). VARIANT columns
 * keep the JSON value, others its scalar text (a string without quotes); JSON null and missing keys are NULL;
 * TRIM_SPACE and NULL_IF apply to the text. Records that are not objects load NULLs (and error rows stay
 * errors: `perr` is kept).
 */
export function documentMatchSql(
  d: WarehouseDialect,
  raw: string,
  columns: readonly ColumnDef[],
  mode: MatchMode,
  f: { trimSpace: boolean; nullIf: readonly string[] },
  metadata: ReadonlyMap<string, string> = new Map(),
): string {
  const pointer = (name: string) => '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
  const exprs = columns.map((c, i) => {
    const meta = metadata.get(c.name);
    if (meta !== undefined) return `CAST(${meta} AS VARCHAR) AS ${rawFieldColumn(i + 1)}`;
    const path =
      mode === 'CASE_SENSITIVE'
        ? d.quoteString(pointer(c.name))
        : `'/' || replace(replace(list_filter(json_keys(j), k -> upper(k) = ${d.quoteString(c.name.toUpperCase())})[1], '~', '~0'), '/', '~1')`;
    let v: string;
    if (VARIANT_KINDS.includes(c.type.kind)) v = `nullif(CAST(json_extract(j, ${path}) AS VARCHAR), 'null')`;
    else {
      v = `json_extract_string(j, ${path})`;
      if (f.trimSpace) v = `trim(${v})`;
      if (f.nullIf.length) v = `CASE WHEN ${v} IN (${f.nullIf.map((n) => d.quoteString(n)).join(', ')}) THEN NULL ELSE ${v} END`;
    }
    return `CASE WHEN j IS NOT NULL THEN ${v} END AS ${rawFieldColumn(i + 1)}`;
  });
  // Error rows keep their malformed text in c1: JSON functions must not see it (only CASE guards them).
  const j = `CASE WHEN perr IS NULL THEN CASE WHEN json_type(c1) = 'OBJECT' THEN CAST(c1 AS JSON) END END AS j`;
  return `SELECT ${RAW_FIXED_COLUMNS.join(', ')}, ${exprs.join(', ')} FROM (SELECT *, ${j} FROM ${raw})`;
}
