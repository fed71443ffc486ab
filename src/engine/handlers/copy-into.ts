/**
 * COPY INTO <table> FROM @stage | 'url' (reference §4.4–4.8): file selection with the table's load
 * history (name + checksum, 64 days, reset by TRUNCATE, bypassed by FORCE), per-file ON_ERROR decisions and
 * Snowflake's result set. One backend transaction per statement: rows and history commit together.
 */
import { writeToTable } from '../changes/tracked-dml.js';
import { enterTableGate } from '../changes/statement-changes.js';
import { randomUUID } from 'node:crypto';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import type { FloeValue } from '../../core/result.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { loadHistoryKey, lookupTable } from '../temp-tables.js';
import { datetimeFormats, errorExprs, valueSql } from '../load/copy-sql.js';
import { judgeBatch, loadFilter, type OnError } from '../load/copy-batch.js';
import { dropSource, readSource } from '../load/copy-source.js';
import { fileIdOf, parseCopy, parseOnError, resolveFormat, type CopyPlan } from '../load/copy-plan.js';
import { loadedFiles, recordLoads, type FileOutcome, type PipeLoadInfo } from '../load/load-history.js';
import { formatOptions, optionBool, optionString } from '../load/option-parser.js';
import { displayKey, relativeKey } from '../load/stage-location.js';
import { validateCopy } from '../load/copy-validate.js';
import { copyLayout } from '../load/copy-layout.js';
import { probeWith } from '../load/json-reader.js';
import { patternMatcher } from './stage-files.js';
import { resultColumns } from './show-common.js';

export { fileIdOf, optionOnError, parseCopy, parseOnError, resolveFormat, transformHasWhere, type CopyPlan } from '../load/copy-plan.js';

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
  const def = lookupTable(ctx, table)!;
  await enterTableGate(ctx, def, false);
  const format = resolveFormat(ctx, loc.fileFormat, formatOptions('FILE_FORMAT', o.FILE_FORMAT));
  const onError = parseOnError(optionString('ON_ERROR', o.ON_ERROR), run.onErrorDefault);
  const force = optionBool('FORCE', o.FORCE, false);
  const purge = optionBool('PURGE', o.PURGE, false);
  const returnFailedOnly = optionBool('RETURN_FAILED_ONLY', o.RETURN_FAILED_ONLY, false);
  const truncate = optionBool('TRUNCATECOLUMNS', o.TRUNCATECOLUMNS, !optionBool('ENFORCE_LENGTH', o.ENFORCE_LENGTH, true));
  const sizeLimitText = optionString('SIZE_LIMIT', o.SIZE_LIMIT);
  const sizeLimit = sizeLimitText === undefined ? undefined : Number(sizeLimitText);
  const tableKey = loadHistoryKey(def);

  // File selection: FILES wins over PATTERN; both are relative to the location's path.
  const explicit = plan.files !== undefined;
  const candidates = run.pipe ? run.pipe.keys : await candidateFiles(plan);
  const fileId = (info: ObjectInfo) => fileIdOf(loc, info);
  const known = force || run.pipe ? new Set<string>() : await loadedFiles(conn, d, tableKey, def.createdOn);
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

  const layout = await copyLayout(ctx, plan, def, format, loc.store, toLoad.map((info) => info.key));
  const { cols } = layout;
  const err = errorExprs(d, table.name, cols, truncate, datetimeFormats(format));
  const colList = cols.map((c) => d.quoteIdent(c.def.name)).join(', ');
  const values = cols.map((c) => valueSql(d, c, truncate, datetimeFormats(format))).join(', ');
  const names = toLoad.map((info) => displayKey(loc, info.key));
  const jobId = run.jobId ?? randomUUID();
  const job = { jobId, tableKey, pipeId: run.pipe?.info.pipeId };
  ctx.session.lastCopyJob = jobId;
  const metas = toLoad.map((info) => ({ name: relativeKey(loc, info.key), etag: info.etag, lastModified: info.lastModified }));
  const input = { conn, d, store: loc.store, files: toLoad, layout, err, metas, scanStart: new Date(ctx.engine.now()) };
  const outcomes: FileOutcome[] = [];
  // Rows, load history (and, for a tracked table, its change version) commit together; loaded rows are
  // ordinary inserts for streams.
  try {
    // Outside an explicit transaction the files are read before the load's transaction opens: a read the
    // engine rejects (a fast path falling back, a corrupt JSON/Parquet file) must not abort the
    // transaction. Inside one, a side connection tries the engine's reads first.
    const early = ctx.session.inTransaction ? undefined : await readSource(input, layout.readFormat, { fastPath: true });
    const readInTransaction = async () => {
      if (format.type === 'CSV') return readSource(input, layout.readFormat, { fastPath: false });
      const side = await ctx.engine.driver.connect();
      try {
        return await readSource(input, layout.readFormat, { fastPath: false, probe: probeWith(side) });
      } finally {
        await side.close();
      }
    };
    await writeToTable(ctx, def, async (physical) => {
      const source = early ?? (await readInTransaction());
      source.verify();
      const raw = source.relation;
      const delimiter = format.type === 'CSV' ? format.fieldDelimiter : null;
      const verdicts = await judgeBatch({
        conn, d, raw, err, names, reads: source.reads, onError, job, recordColumns: cols.map((c) => c.raw), delimiter, ...(source.errors ? { errorsByFile: source.errors } : {}),
      });
      const where = loadFilter(verdicts, err);
      if (where !== undefined) await conn.query(`INSERT INTO ${physical} (${colList}) SELECT ${values} FROM ${raw}${where}`);
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
      await recordLoads(conn, d, { key: tableKey, created: def.createdOn }, outcomes, jobId, run.pipe?.info);
      await run.pipe?.inTransaction?.(outcomes);
    });
  } finally {
    await dropSource(conn);
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
