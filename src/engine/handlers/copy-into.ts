/**
 * COPY INTO <table> FROM @stage | 'url' (reference §4.4–4.8): file selection with the table's load
 * history (name + checksum, 64 days, reset by TRUNCATE, bypassed by FORCE), per-file ON_ERROR decisions and
 * Snowflake's result set. One backend transaction per statement: rows and history commit together.
 */
import { writeToTable } from '../changes/tracked-dml.js';
import { randomUUID } from 'node:crypto';
import { compilationError, executionError, unsupported } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { FileFormatSpec, FormatOptions } from '../../core/catalog/load-objects.js';
import { resolveFileFormat, type CsvFormat } from '../../core/load/file-format.js';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import type { FloeValue } from '../../core/result.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { errorExprs, valueSql, type TargetColumn } from '../load/copy-sql.js';
import { errorRowsSql, recordErrors, recordFileError } from '../load/load-errors.js';
import { ensureLoadHistory, loadedBefore, recordLoads, type FileOutcome, type PipeLoadInfo } from '../load/load-history.js';
import { formatOptions, optionBool, optionString, parseOptions, type OptionMap } from '../load/option-parser.js';
import { readCsvIntoRaw } from '../load/stage-file-reader.js';
import { displayKey, parseStageRef, relativeKey, resolveStageRef, urlLocation, type StageLocation } from '../load/stage-location.js';
import { findTable } from '../resolve-names.js';
import { validateCopy } from '../load/copy-validate.js';
import { patternMatcher } from './stage-files.js';
import { formatNameOf } from './stage-ddl.js';
import { resultColumns } from './show-common.js';

type OnError = { mode: 'ABORT_STATEMENT' } | { mode: 'CONTINUE' } | { mode: 'SKIP_FILE'; limit: number; percent: boolean };

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
  /** `FROM (SELECT …)`: see copy-transform.ts. */
  transform?: { hasWhere: boolean };
}

export function parseCopy(ctx: ExecContext, cur: TokenCursor): CopyPlan {
  cur.expectWords('COPY', 'INTO');
  const t = cur.peek();
  if (t?.type === 'stage' || t?.type === 'string') throw unsupported('COPY INTO <location> (unloading)');
  const tableName = cur.objectName();
  if (cur.acceptSymbol('(')) throw unsupported('COPY INTO <table> (<column list>) (only with a transformation, which floe does not run yet)');
  cur.expectWords('FROM');
  const src = cur.next();
  let loc: StageLocation;
  if (src.type === 'stage') loc = resolveStageRef(ctx, parseStageRef(src.value));
  else if (src.type === 'string') loc = urlLocation(ctx, src.value);
  else if (src.type === 'symbol' && src.value === '(') throw unsupported('COPY INTO … FROM (SELECT …) transformations');
  else throw cur.unexpectedAt(src, 'expected a stage or URL');
  const options = parseOptions(cur);
  cur.expectEnd();
  for (const k of Object.keys(options)) if (!COPY_OPTIONS.has(k)) throw compilationError(`invalid copy option '${k}'`);
  const { full } = findTable(ctx, tableName, 'Table');
  const files = options.FILES;
  return {
    table: full,
    loc,
    ...(files !== undefined ? { files: Array.isArray(files) ? files : [optionString('FILES', files)!] } : {}),
    ...(options.PATTERN !== undefined ? { pattern: optionString('PATTERN', options.PATTERN)! } : {}),
    options,
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
  for (const k of ['dateFormat', 'timeFormat', 'timestampFormat'] as const) {
    if (f[k].toUpperCase() !== 'AUTO') throw unsupported(`${k.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()} other than AUTO in COPY`);
  }
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
  if (o.MATCH_BY_COLUMN_NAME !== undefined && optionString('MATCH_BY_COLUMN_NAME', o.MATCH_BY_COLUMN_NAME)!.toUpperCase() !== 'NONE') {
    throw unsupported('MATCH_BY_COLUMN_NAME');
  }
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
  await ensureLoadHistory(conn, d);

  // File selection: FILES wins over PATTERN; both are relative to the location's path.
  const explicit = plan.files !== undefined;
  const candidates = run.pipe ? run.pipe.keys : await candidateFiles(plan);
  const fileId = (info: ObjectInfo) => fileIdOf(loc, info);
  const rows: FloeValue[][] = [];
  const skippedRows: FloeValue[][] = [];
  const toLoad: ObjectInfo[] = [];
  for (const info of candidates) {
    if (!force && !run.pipe && (await loadedBefore(conn, d, tableKey, fileId(info), info.etag))) {
      if (explicit) skippedRows.push([displayKey(loc, info.key), 'LOAD_SKIPPED', 0, 0, 1, 1, 'File was loaded before.', null, null, null]);
      continue;
    }
    toLoad.push(info);
  }
  if (toLoad.length === 0 && skippedRows.length === 0) return statusResult('Copy executed with 0 files processed.');

  const raw = `__floe_copy_raw`;
  const n = def.columns.length;
  const cols: TargetColumn[] = def.columns.map((c, i) => ({ def: c, position: i + 1, raw: `c${i + 1}` }));
  const err = errorExprs(d, table.name, cols, truncate);
  const colList = def.columns.map((c) => d.quoteIdent(c.name)).join(', ');
  const values = cols.map((c) => valueSql(d, c, truncate)).join(', ');
  const outcomes: FileOutcome[] = [];
  const jobId = run.jobId ?? randomUUID();
  const job = { jobId, tableKey, pipeId: run.pipe?.info.pipeId };
  ctx.session.lastCopyJob = jobId;
  // Rows, load history (and, for a tracked table, its change version) commit together; loaded rows are
  // ordinary inserts for streams.
  await writeToTable(ctx, def, async (physical) => {
    let bytes = 0;
    for (const info of toLoad) {
      if (sizeLimit !== undefined && bytes > sizeLimit && outcomes.length > 0) break;
      bytes += info.size;
      const fileName = displayKey(loc, info.key);
      await conn.execute(
        `CREATE OR REPLACE TEMP TABLE ${raw} (r INTEGER, l INTEGER, perr VARCHAR, pcode INTEGER, pchar INTEGER, pcol VARCHAR${cols.map((c) => `, ${c.raw} VARCHAR`).join('')})`,
      );
      const read = await readCsvIntoRaw(conn, raw, loc.store, info.key, format, n, table.name);
      let parsed = read.records;
      let errors = 0;
      let first: FloeValue[] = [null, null, null, null];
      if (read.fileError) {
        await recordFileError(conn, d, job, fileName, read.fileError);
        errors = 1;
        parsed = Math.max(parsed, 1);
        first = [read.fileError.message, 1, 1, null];
      } else {
        const stats = await conn.query(`SELECT count(*) FILTER (WHERE (${err.message}) IS NOT NULL) FROM ${raw}`);
        errors = Number(stats.rows[0]![0]);
        if (errors > 0) {
          await recordErrors(conn, d, job, errorRowsSql(d, raw, err, fileName, cols.map((c) => c.raw), format.fieldDelimiter));
          const f = await conn.query(`SELECT ${err.message}, l, ${err.character}, ${err.column}, r FROM ${raw} WHERE (${err.message}) IS NOT NULL ORDER BY r LIMIT 1`);
          const [m, l, c, colName, r] = f.rows[0]!;
          first = [m, l, c, colName];
          if (onError.mode === 'ABORT_STATEMENT') {
            const rowText = Number(r) === Number(l) ? `Row ${r}, column ${colName}` : `Row ${r} starts at line ${l}, column ${colName}`;
            throw executionError(
              `${m}\n  File '${fileName}', line ${l}, character ${c}\n  ${rowText}\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client.`,
            );
          }
        }
      }
      if (read.fileError && onError.mode === 'ABORT_STATEMENT') {
        throw executionError(`${read.fileError.message}\n  File '${fileName}'`);
      }
      let skip = false;
      let errorLimit = 1;
      if (onError.mode === 'CONTINUE') errorLimit = parsed;
      if (onError.mode === 'SKIP_FILE') {
        errorLimit = onError.percent ? Math.ceil((parsed * onError.limit) / 100) : onError.limit;
        skip = onError.percent ? errors > 0 && (errors * 100) / Math.max(parsed, 1) > onError.limit : errors >= onError.limit;
      }
      let loaded = 0;
      if (!skip && !read.fileError) {
        const where = errors > 0 ? ` WHERE (${err.message}) IS NULL` : '';
        const r = await conn.query(`INSERT INTO ${physical} (${colList}) SELECT ${values} FROM ${raw}${where} ORDER BY r`);
        loaded = Number(r.rowsChanged ?? parsed - errors);
      }
      const status = errors === 0 ? 'LOADED' : loaded === 0 ? 'LOAD_FAILED' : 'PARTIALLY_LOADED';
      outcomes.push({
        file: fileName,
        path: relativeKey(loc, info.key),
        stageLocation: loc.display,
        fileId: fileId(info),
        etag: info.etag,
        size: info.size,
        status,
        rowsParsed: parsed,
        rowsLoaded: loaded,
        errorLimit,
        errorsSeen: errors,
        firstError: first[0] as string | null,
        firstErrorLine: first[1] as number | null,
        firstErrorCharacter: first[2] as number | null,
        firstErrorColumn: first[3] as string | null,
      });
    }
    await conn.execute(`DROP TABLE IF EXISTS ${raw}`);
    await recordLoads(conn, d, tableKey, outcomes, jobId, run.pipe?.info);
    await run.pipe?.inTransaction?.(outcomes);
  });
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
