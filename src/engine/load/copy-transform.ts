/**
 * Transforming COPY (reference §4.4): `COPY INTO t [(cols)] FROM (SELECT $1, $2::NUMBER, UPPER($3),
 * METADATA$FILENAME … FROM @stage [(FILE_FORMAT => …, PATTERN => …)] [alias])`.
 *
 * The select list is rewritten ($n → raw field n, METADATA$… → per-file/per-record values), translated like
 * any Snowflake query over a derived source, and evaluated into a second raw table whose fields are the
 * expressions' values as text. The normal COPY checks (type conversion, NOT NULL, lengths, ON_ERROR) then run
 * on that table exactly as for a plain COPY. An expression that raises (e.g. `'x'::NUMBER`) fails the whole
 * statement, whatever ON_ERROR says (floe deviation, docs/compatibility.md).
 */
import { compilationError, unsupported } from '../../core/errors.js';
import { fullKey } from '../../core/catalog/identifiers.js';
import type { WarehouseDialect } from '../../core/ports/warehouse.js';
import type { Token } from '../../sql/lexer.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import { parseSnowflake } from '../../sql/ast/polyglot.js';
import type { ExecContext } from '../exec-context.js';
import { prepareForBackend, print } from '../translate.js';
import { rawFieldColumn, RAW_FIXED_COLUMNS } from './raw-table.js';

export interface CopyTransform {
  /** Select items as Snowflake SQL over the derived source (`__C<n>`, `__M_<name>` columns). */
  items: string[];
  /** Highest `$n` referenced (raw fields to read). */
  maxField: number;
  hasWhere: boolean;
  /** `FROM @stage` / `'url'` token and the inline `(FILE_FORMAT => …, PATTERN => …)` values. */
  source: Token;
  fileFormat?: string;
  pattern?: string;
}

const METADATA = ['FILENAME', 'FILE_ROW_NUMBER', 'FILE_CONTENT_KEY', 'FILE_LAST_MODIFIED', 'START_SCAN_TIME'];
const SOURCE = { database: '__FLOE', schema: '__COPY', name: '__SRC' };

/** Parses `SELECT … FROM <stage> [(…)] [alias])` after the opening parenthesis (consumes the closing one). */
export function parseTransform(statementSql: string, cur: TokenCursor, statementStart = 0): CopyTransform {
  // Token offsets are relative to the whole script; the statement's text starts at its first token.
  const sql = ' '.repeat(statementStart) + statementSql;
  cur.expectWords('SELECT');
  const items: string[] = [];
  let maxField = 0;
  let depth = 0;
  let item: Token[] = [];
  const flush = () => {
    if (item.length === 0) throw compilationError('syntax error: empty item in the COPY transformation select list');
    items.push(rewrite(sql, item, (n) => (maxField = Math.max(maxField, n))));
    item = [];
  };
  for (;;) {
    const t = cur.next();
    if (depth === 0 && t.type === 'word' && t.value === 'FROM') break;
    if (t.type === 'symbol' && t.value === '(') depth++;
    if (t.type === 'symbol' && t.value === ')') depth--;
    if (depth === 0 && t.type === 'symbol' && t.value === ',') flush();
    else item.push(t);
  }
  flush();
  const source = cur.next();
  if (source.type !== 'stage' && source.type !== 'string') throw cur.unexpectedAt(source, 'expected a stage or URL');
  const out: CopyTransform = { items, maxField, hasWhere: false, source };
  if (cur.acceptSymbol('(')) {
    do {
      const key = cur.identifier().name.toUpperCase();
      if (!cur.acceptSymbol('=>')) {
        cur.expectSymbol('=');
        cur.expectSymbol('>');
      }
      const v = cur.string();
      if (key === 'FILE_FORMAT') out.fileFormat = v;
      else if (key === 'PATTERN') out.pattern = v;
      else throw compilationError(`invalid stage parameter '${key}' in a COPY transformation (FILE_FORMAT or PATTERN)`);
    } while (cur.acceptSymbol(','));
    cur.expectSymbol(')');
  }
  const clauses = ['WHERE', 'JOIN', 'GROUP', 'ORDER', 'LIMIT', 'UNION'];
  if (cur.peek()?.type === 'word' && !clauses.includes(cur.peek()!.value)) cur.next(); // the stage alias
  if (cur.isWord('WHERE')) {
    out.hasWhere = true;
    let d = 0;
    while (!(d === 0 && cur.peek()?.type === 'symbol' && cur.peek()?.value === ')')) {
      const t = cur.next();
      if (t.type === 'symbol' && t.value === '(') d++;
      if (t.type === 'symbol' && t.value === ')') d--;
    }
  }
  for (const w of clauses.slice(1)) if (cur.isWord(w)) throw compilationError(`${w} is not supported in a COPY transformation`);
  cur.expectSymbol(')');
  return out;
}

/** `$n`, `alias.$n` → `__C<n>`; `[alias.]METADATA$X` → `__M_X`; everything else as written. */
function rewrite(sql: string, tokens: Token[], field: (n: number) => void): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    // Drop an alias qualifier in front of $n / METADATA$….
    if (t.type === 'word' && next?.type === 'symbol' && next.value === '.' && after && isSourceRef(after)) continue;
    if (t.type === 'symbol' && t.value === '.' && next && isSourceRef(next) && tokens[i - 1]?.type === 'word') continue;
    const gap = i > 0 ? sql.slice(tokens[i - 1]!.end, t.start) : '';
    if (t.type === 'variable' && /^\$\d+$/.test(t.text)) {
      const n = Number(t.text.slice(1));
      if (n < 1) throw compilationError(`invalid column reference ${t.text}`);
      field(n);
      out += `${gap}__C${n}`;
    } else if (t.type === 'word' && t.value.startsWith('METADATA$')) {
      const m = t.value.slice('METADATA$'.length);
      if (!METADATA.includes(m)) throw compilationError(`invalid identifier '${t.value}'`);
      out += `${gap}__M_${m}`;
    } else if (t.type === 'variable') {
      throw unsupported(`session variable ${t.text} in a COPY transformation`);
    } else out += gap + sql.slice(t.start, t.end);
  }
  return out.trim();
}

const isSourceRef = (t: Token): boolean => (t.type === 'variable' && /^\$\d+$/.test(t.text)) || (t.type === 'word' && t.value.startsWith('METADATA$'));

export interface FileMeta {
  name: string;
  etag: string;
  lastModified: Date;
}

/** `METADATA$<name>` → SQL over the raw table (file number `f`, record number `r`), per file of the batch. */
export function metadataSql(d: WarehouseDialect, files: readonly FileMeta[], scanStart: Date): Record<string, string> {
  const perFile = (f: (m: FileMeta) => string) => `CASE f ${files.map((m, i) => `WHEN ${i + 1} THEN ${f(m)}`).join(' ')} END`;
  const ts = (x: Date) => `TIMESTAMP ${d.quoteString(x.toISOString().replace('T', ' ').replace('Z', ''))}`;
  return {
    FILENAME: perFile((m) => d.quoteString(m.name)),
    FILE_ROW_NUMBER: 'CAST(r AS BIGINT)',
    FILE_CONTENT_KEY: perFile((m) => d.quoteString(m.etag)),
    FILE_LAST_MODIFIED: perFile((m) => ts(m.lastModified)),
    START_SCAN_TIME: `CAST(${d.quoteString(scanStart.toISOString())} AS TIMESTAMPTZ)`,
  };
}

export const METADATA_COLUMNS: readonly string[] = METADATA;

/**
 * The SELECT of the transformation's values as text, in the raw-table layout, so the plain COPY checks
 * apply unchanged. For JSON and Parquet files `$1` is the document (a VARIANT).
 */
export function transformSql(
  ctx: ExecContext,
  t: CopyTransform,
  raw: string,
  files: readonly FileMeta[],
  scanStart: Date,
  o: { semiStructured: boolean; variantTargets: readonly boolean[] } = { semiStructured: false, variantTargets: [] },
): string {
  const d = ctx.engine.driver.dialect;
  const meta = metadataSql(d, files, scanStart);
  const field = (i: number) => (o.semiStructured && i === 1 ? `CASE WHEN perr IS NULL THEN CAST(c1 AS JSON) END` : rawFieldColumn(i));
  const source =
    `SELECT ${RAW_FIXED_COLUMNS.map((c) => `${c} AS __${c.toUpperCase()}`).join(', ')}` +
    Array.from({ length: t.maxField }, (_, i) => `, ${field(i + 1)} AS __C${i + 1}`).join('') +
    Object.entries(meta).map(([k, v]) => `, ${v} AS __M_${k}`).join('') +
    ` FROM ${raw}`;
  const fixed = RAW_FIXED_COLUMNS.map((c) => `__${c.toUpperCase()}`).join(', ');
  const query = `SELECT ${fixed}, ${t.items.map((x, i) => `${x} AS __X${i + 1}`).join(', ')} FROM ${SOURCE.database}.${SOURCE.schema}.${SOURCE.name}`;
  const ast = parseSnowflake(query)[0];
  const overrides = new Map(ctx.overrides ?? []);
  overrides.set(fullKey(SOURCE), source);
  prepareForBackend({ ...ctx, overrides }, ast);
  const cols = RAW_FIXED_COLUMNS.map((c) => `__${c.toUpperCase()} AS ${c}`).join(', ');
  return `SELECT ${cols}, ${t.items.map((_, i) => `${castText(`__X${i + 1}`, o.variantTargets[i] ?? false)} AS ${rawFieldColumn(i + 1)}`).join(', ')} FROM (${print(ast)})`;
}

/**
 * An item's value as text for the COPY checks. A VARIANT value (`$1:name`) going into a non-VARIANT column
 * is its scalar text (a JSON string without its quotes), as Snowflake's VARIANT → VARCHAR conversion.
 */
const castText = (x: string, variantTarget: boolean): string =>
  variantTarget ? `CAST(${x} AS VARCHAR)` : `CASE WHEN typeof(${x}) = 'JSON' THEN json_extract_string(CAST(${x} AS JSON), '$') ELSE CAST(${x} AS VARCHAR) END`;
