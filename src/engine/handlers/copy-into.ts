/**
 * COPY INTO <table> FROM @stage | 'url' (reference §4.4–4.8): file selection with the table's load
 * history (name + checksum, 64 days, reset by TRUNCATE, bypassed by FORCE), per-file ON_ERROR decisions and
 * Snowflake's result set. One backend transaction per statement: rows and history commit together.
 */
import { writeToTable } from '../changes/tracked-dml.js';
import { randomUUID } from 'node:crypto';
import { compilationError, unsupported } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { FileFormatSpec, FormatOptions } from '../../core/catalog/load-objects.js';
import type { ColumnDef } from '../../core/catalog/catalog-model.js';
import { resolveFileFormat, type CsvFormat } from '../../core/load/file-format.js';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import type { FloeValue } from '../../core/result.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { errorExprs, valueSql, type TargetColumn } from '../load/copy-sql.js';
import { judgeBatch, loadFilter, readBatch, type OnError } from '../load/copy-batch.js';
import { loadedFiles, recordLoads, type FileOutcome, type PipeLoadInfo } from '../load/load-history.js';
import { rawFieldColumn, type RawShape } from '../load/raw-table.js';
import { formatOptions, optionBool, optionString, parseOptions, type OptionMap } from '../load/option-parser.js';
import { displayKey, parseStageRef, relativeKey, resolveStageRef, urlLocation, type StageLocation } from '../load/stage-location.js';
import { findTable } from '../resolve-names.js';
import { validateCopy } from '../load/copy-validate.js';
import { parseTransform, transformSql, type CopyTransform } from '../load/copy-transform.js';
import { matchSql, parseMatchMode, readHeader } from '../load/copy-match.js';
import { patternMatcher } from './stage-files.js';
import { formatNameOf } from './stage-ddl.js';
import { resultColumns } from './show-common.js';

const COPY_OPTIONS = new Set([
  'FILES', 'PATTERN', 'FILE_FORMAT', 'ON_ERROR', 'SIZE_LIMIT', 'PURGE', 'RETURN_FAILED_ONLY', 'MATCH_BY_COLUMN_NAME', 'ENFORCE_LENGTH',
  'TRUNCATECOLUMNS', 'FORCE', 'LOAD_UNCERTAIN_FILES', 'VALIDATION_MODE', 'CREDENTIALS', 'STORAGE_INTEGRATION', 'ENCRYPTION', 'INCLUDE_METADATA',
]);

export function parseOnError(v: string | undefined, dflt: OnError): OnError {
  if (v === undefined) return dflt;
  const u = v.toUpperCase();
  if (u === 'ABORT_STATEMENT') return { mode: 'ABORT_STATEMENT' };
  if (u === 'CONTINUE') return { mode: 'CONTINUE' };
  if (u === 'SKIP_FILE') return { mode: 'SKIP_FILE', limit: 1, percent: false };
  const m = /^SKIP_FILE_(\d+)(%?)$/.exec(u);
  if (m) return { mode: 'SKIP_FILE', limit: Number(m[1]), percent: m[2] === '%' };
  throw compilationError(`invalid value '${v}' for copy option ON_ERROR`);
}

/** The identity of a file in the table's bulk load history (with its checksum). */
export const fileIdOf = (loc: StageLocation, info: ObjectInfo): string => `${loc.store.kind}:${loc.store.bucket}:${info.key}`;

export const optionOnError = (o: OptionMap): string | undefined => optionString('ON_ERROR', o.ON_ERROR);

/** Whether a transforming COPY filters rows (pipes forbid it). */
export const transformHasWhere = (plan: CopyPlan): boolean => plan.transform?.hasWhere ?? false;

export interface CopyPlan {
  table: { database: string; schema: string; name: string };
  loc: StageLocation;
  files?: string[];
  pattern?: string;
  options: OptionMap;
  /** `COPY INTO t (a, b) …`: the target columns of a transformation. */
  columns?: string[];
  /** `FROM (SELECT …)`: see copy-transform.ts. */
  transform?: CopyTransform;
}

export function parseCopy(ctx: ExecContext, cur: TokenCursor): CopyPlan {
  cur.expectWords('COPY', 'INTO');
  const t = cur.peek();
  if (t?.type === 'stage' || t?.type === 'string') throw unsupported('COPY INTO <location> (unloading)');
  const tableName = cur.objectName();
  let columns: string[] | undefined;
  if (cur.acceptSymbol('(')) {
    columns = [];
    do columns.push(cur.identifier().name);
    while (cur.acceptSymbol(','));
    cur.expectSymbol(')');
  }
  cur.expectWords('FROM');
  let src = cur.next();
  let transform: CopyTransform | undefined;
  if (src.type === 'symbol' && src.value === '(') {
    transform = parseTransform(ctx.stmt.sql, cur);
    src = transform.source;
  } else if (columns) throw compilationError('A column list in COPY INTO <table> requires a transformation: FROM (SELECT … FROM @stage)');
  let loc: StageLocation;
  if (src.type === 'stage') loc = resolveStageRef(ctx, parseStageRef(src.value));
  else if (src.type === 'string') loc = urlLocation(ctx, src.value);
  else throw cur.unexpectedAt(src, 'expected a stage or URL');
  const options = parseOptions(cur);
  cur.expectEnd();
  for (const k of Object.keys(options)) if (!COPY_OPTIONS.has(k)) throw compilationError(`invalid copy option '${k}'`);
  if (transform?.fileFormat !== undefined && options.FILE_FORMAT === undefined) options.FILE_FORMAT = { FORMAT_NAME: transform.fileFormat };
  const { full } = findTable(ctx, tableName, 'Table');
  const files = options.FILES;
  const pattern = options.PATTERN !== undefined ? optionString('PATTERN', options.PATTERN)! : transform?.pattern;
  return {
    table: full,
    loc,
    ...(files !== undefined ? { files: Array.isArray(files) ? files : [optionString('FILES', files)!] } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    options,
    ...(columns ? { columns } : {}),
    ...(transform ? { transform } : {}),
  };
}

export function resolveFormat(ctx: ExecContext, spec: FileFormatSpec, inline: FormatOptions): CsvFormat {
  let base: FormatOptions = {};
  if ('formatName' in spec) base = namedFormat(ctx, spec.formatName);
  else base = spec.options;
  let opts: FormatOptions = base;
  if (typeof inline.FORMAT_NAME === 'string') opts = namedFormat(ctx, inline.FORMAT_NAME);
  else if (Object.keys(inline).length > 0) opts = inline.TYPE !== undefined ? inline : { ...base, ...inline };
  const f = resolveFileFormat(opts);
  if (f.type !== 'CSV') throw unsupported(`COPY of ${f.type} files`);
  return f;
}

function namedFormat(ctx: ExecContext, name: string): FormatOptions {
  const n = formatNameOf(name);
  const db = n.database ?? ctx.session.database;
  const schema = n.schema ?? ctx.session.schema;
  const f = db && schema ? ctx.engine.catalog.schemaObject('FILE_FORMAT', db, schema, n.name) : undefined;
  if (!f) throw compilationError(`File format '${displayName(n)}' does not exist or not authorized.`);
  return f.options;
}

const RESULT_COLUMNS = resultColumns({
  file: 'TEXT',
  status: 'TEXT',
  rows_parsed: 'NUMBER',
  rows_loaded: 'NUMBER',
  error_limit: 'NUMBER',
  errors_seen: 'NUMBER',
  first_error: 'TEXT',
  first_error_line: 'NUMBER',
  first_error_character: 'NUMBER',
  first_error_column_name: 'TEXT',
});

export async function handleCopyInto(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  const plan = parseCopy(ctx, cur);
  const o = plan.options;
  if (o.INCLUDE_METADATA !== undefined) throw unsupported('INCLUDE_METADATA');
  const validation = optionString('VALIDATION_MODE', o.VALIDATION_MODE);
  if (validation !== undefined) return validateCopy(ctx, plan, validation);
  return runCopy(ctx, plan, { onErrorDefault: { mode: 'ABORT_STATEMENT' } });
}

/** Files a COPY selects: FILES wins over PATTERN; both are relative to the location's path. */
export async function candidateFiles(plan: CopyPlan): Promise<ObjectInfo[]> {
  const { loc } = plan;
  const candidates: ObjectInfo[] = [];
  if (plan.files) {
    const base = loc.prefix === '' || loc.prefix.endsWith('/') ? loc.prefix : `${loc.prefix}/`;
    for (const f of plan.files) {
      const info = (await loc.store.head(base + f)) ?? (await loc.store.head(loc.prefix + f));
      if (info) candidates.push(info);
    }
    return candidates;
  }
  const match = patternMatcher(plan.pattern);
  for await (const info of loc.store.list(loc.prefix)) if (match(relativeKey(loc, info.key)) || match(displayKey(loc, info.key))) candidates.push(info);
  return candidates;
}

export interface RunCopyOptions {
  onErrorDefault: OnError;
  /** The COPY's job id (its query id, for VALIDATE); a new one by default. */
  jobId?: string;
  /** Pipe loads: the pipe and the exact keys to load (already de-duplicated by the pipe's history). */
  pipe?: {
    info: PipeLoadInfo;
    keys: ObjectInfo[];
    /** Runs in the load's transaction after the history rows (the pipe marks its queue rows done). */
    inTransaction?: (outcomes: readonly FileOutcome[]) => Promise<void>;
  };
}

const RAW = '__floe_copy_raw';
const TRANSFORMED = '__floe_copy_tx';

/** The columns a COPY fills, in the order of the file's fields or of the transformation's items. */
function targetColumns(plan: CopyPlan, all: readonly ColumnDef[]): TargetColumn[] {
  const position = (c: ColumnDef) => all.indexOf(c) + 1;
  let defs: readonly ColumnDef[] = all;
  if (plan.columns) {
    defs = plan.columns.map((n) => {
      const c = all.find((x) => x.name === n);
      if (!c) throw compilationError(`invalid identifier '${n}'`);
      return c;
    });
  }
  if (plan.transform && plan.transform.items.length !== defs.length) {
    throw compilationError(`Insert value list does not match column list expecting ${defs.length} but got ${plan.transform.items.length}`);
  }
  return defs.map((c, i) => ({ def: c, position: position(c), raw: rawFieldColumn(i + 1) }));
}

export async function runCopy(ctx: ExecContext, plan: CopyPlan, run: RunCopyOptions): Promise<HandlerResult> {
  const { table, loc, options: o } = plan;
  const d = ctx.engine.driver.dialect;
  const conn = ctx.session.conn;
  const def = ctx.engine.catalog.table(table.database, table.schema, table.name)!;
  const format = resolveFormat(ctx, loc.fileFormat, formatOptions('FILE_FORMAT', o.FILE_FORMAT));
  const onError = parseOnError(optionString('ON_ERROR', o.ON_ERROR), run.onErrorDefault);
  const force = optionBool('FORCE', o.FORCE, false);
  const purge = optionBool('PURGE', o.PURGE, false);
  const returnFailedOnly = optionBool('RETURN_FAILED_ONLY', o.RETURN_FAILED_ONLY, false);
  const truncate = optionBool('TRUNCATECOLUMNS', o.TRUNCATECOLUMNS, !optionBool('ENFORCE_LENGTH', o.ENFORCE_LENGTH, true));
  const sizeLimitText = optionString('SIZE_LIMIT', o.SIZE_LIMIT);
  const sizeLimit = sizeLimitText === undefined ? undefined : Number(sizeLimitText);
  const tableKey = `${table.database}.${table.schema}.${table.name}`;

  // File selection: FILES wins over PATTERN; both are relative to the location's path.
  const explicit = plan.files !== undefined;
  const candidates = run.pipe ? run.pipe.keys : await candidateFiles(plan);
  const fileId = (info: ObjectInfo) => fileIdOf(loc, info);
  const known = force || run.pipe ? new Set<string>() : await loadedFiles(conn, d, tableKey);
  const rows: FloeValue[][] = [];
  const skippedRows: FloeValue[][] = [];
  const toLoad: ObjectInfo[] = [];
  let bytes = 0;
  for (const info of candidates) {
    if (known.has(`${fileId(info)}\u0000${info.etag}`)) {
      if (explicit) skippedRows.push([displayKey(loc, info.key), 'LOAD_SKIPPED', 0, 0, 1, 1, 'File was loaded before.', null, null, null]);
      continue;
    }
    // SIZE_LIMIT: at least one file; stop once the files taken so far exceed the limit.
    if (sizeLimit !== undefined && bytes > sizeLimit && toLoad.length > 0) continue;
    bytes += info.size;
    toLoad.push(info);
  }
  if (toLoad.length === 0 && skippedRows.length === 0) return statusResult('Copy executed with 0 files processed.');

  const { transform } = plan;
  if (transform?.hasWhere) throw unsupported('WHERE in a COPY transformation');
  const match = parseMatchMode(optionString('MATCH_BY_COLUMN_NAME', o.MATCH_BY_COLUMN_NAME));
  if (match && transform) throw compilationError('MATCH_BY_COLUMN_NAME is not supported with COPY transformations.');
  if (match && !format.parseHeader) throw compilationError('MATCH_BY_COLUMN_NAME for CSV files requires the file format option PARSE_HEADER = TRUE.');
  const raw = transform || match ? TRANSFORMED : RAW;
  const headers = format.parseHeader ? await Promise.all(toLoad.map((info) => readHeader(loc.store, info.key, format))) : [];
  // PARSE_HEADER: the first line names the fields and is not data.
  const dataFormat = format.parseHeader ? { ...format, parseHeader: false, skipHeader: 1 } : format;
  const cols = targetColumns(plan, def.columns);
  const shape: RawShape = transform
    ? { fields: Math.max(transform.maxField, 1), tableName: table.name, checkColumnCount: false }
    : match
      ? { fields: Math.max(1, ...headers.map((h) => h.length)), tableName: table.name, checkColumnCount: false }
      : { fields: cols.length, tableName: table.name, checkColumnCount: true };
  const err = errorExprs(d, table.name, cols, truncate, format);
  const colList = cols.map((c) => d.quoteIdent(c.def.name)).join(', ');
  const values = cols.map((c) => valueSql(d, c, truncate, format)).join(', ');
  const names = toLoad.map((info) => displayKey(loc, info.key));
  const jobId = run.jobId ?? randomUUID();
  const job = { jobId, tableKey, pipeId: run.pipe?.info.pipeId };
  ctx.session.lastCopyJob = jobId;
  // Outside an explicit transaction the files are read before the load's transaction opens: a read the
  // engine rejects (fast path → JS parser fallback) must not abort the transaction.
  const scanStart = new Date(ctx.engine.now());
  const read = async (fastPath: boolean) => {
    const reads = await readBatch(conn, d, RAW, loc.store, toLoad, dataFormat, shape, { fastPath });
    if (match) await conn.execute(matchSql(RAW, TRANSFORMED, def.columns, headers, match));
    if (transform) {
      const metas = toLoad.map((info) => ({ name: relativeKey(loc, info.key), etag: info.etag, lastModified: info.lastModified }));
      await conn.execute(transformSql(ctx, transform, RAW, TRANSFORMED, metas, scanStart));
    }
    return reads;
  };
  const early = ctx.session.inTransaction ? undefined : await read(true);
  const outcomes: FileOutcome[] = [];
  // Rows, load history (and, for a tracked table, its change version) commit together; loaded rows are
  // ordinary inserts for streams.
  try {
    await writeToTable(ctx, def, async (physical) => {
      const reads = early ?? (await read(false));
      const verdicts = await judgeBatch({ conn, d, raw, err, names, reads, onError, job, recordColumns: cols.map((c) => c.raw), delimiter: format.fieldDelimiter });
      const where = loadFilter(verdicts, err);
      if (where !== undefined) await conn.query(`INSERT INTO ${physical} (${colList}) SELECT ${values} FROM ${raw}${where} ORDER BY f, r`);
      for (const [i, v] of verdicts.entries()) {
        const info = toLoad[i]!;
        const status = v.errorsSeen === 0 ? 'LOADED' : v.rowsLoaded === 0 ? 'LOAD_FAILED' : 'PARTIALLY_LOADED';
        outcomes.push({
          file: names[i]!,
          path: relativeKey(loc, info.key),
          stageLocation: loc.display,
          fileId: fileId(info),
          etag: info.etag,
          size: info.size,
          status,
          rowsParsed: v.rowsParsed,
          rowsLoaded: v.rowsLoaded,
          errorLimit: v.errorLimit,
          errorsSeen: v.errorsSeen,
          firstError: v.first[0],
          firstErrorLine: v.first[1],
          firstErrorCharacter: v.first[2],
          firstErrorColumn: v.first[3],
        });
      }
      await recordLoads(conn, d, tableKey, outcomes, jobId, run.pipe?.info);
      await run.pipe?.inTransaction?.(outcomes);
    });
  } finally {
    for (const t of [RAW, TRANSFORMED]) await conn.execute(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  }
  if (purge) {
    // Purge failures are silent in Snowflake; the load has committed either way.
    for (const [i, oc] of outcomes.entries()) if (oc.status === 'LOADED') await loc.store.delete(toLoad[i]!.key).catch(() => undefined);
  }
  for (const oc of outcomes) {
    if (returnFailedOnly && oc.status === 'LOADED') continue;
    rows.push([oc.file, oc.status, oc.rowsParsed, oc.rowsLoaded, oc.errorLimit, oc.errorsSeen, oc.firstError, oc.firstErrorLine, oc.firstErrorCharacter, oc.firstErrorColumn]);
  }
  return { queryId: jobId, columns: RESULT_COLUMNS, rows: [...rows, ...skippedRows], rowsAffected: outcomes.reduce((a, x) => a + x.rowsLoaded, 0) };
}
