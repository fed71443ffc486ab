/**
 * COPY … VALIDATION_MODE (reference §4.7): parse and check the files in scope without loading anything.
 * RETURN_<n>_ROWS returns the first n rows as they would load (failing at the first error), RETURN_ERRORS
 * every error of the files a COPY would load now, RETURN_ALL_ERRORS also those of files loaded before
 * (partially loaded with ON_ERROR = CONTINUE included).
 */
import { compilationError, executionError } from '../../core/errors.js';
import type { FloeValue, ResultColumn } from '../../core/result.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { loadHistoryKey, lookupTable } from '../temp-tables.js';
import { candidateFiles, fileIdOf, resolveFormat, type CopyPlan } from '../handlers/copy-into.js';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import { datetimeFormats, errorExprs, valueSql } from './copy-sql.js';
import { readFileIntoRaw } from './copy-batch.js';
import { copyLayout } from './copy-layout.js';
import { parseMatchMode } from './copy-match.js';
import { probeWith } from './json-reader.js';
import { errorRowsSql } from './load-errors.js';
import { loadedFiles } from './load-history.js';
import { formatOptions, optionBool, optionString } from './option-parser.js';
import { rawTableDdl } from './raw-table.js';
import { displayKey } from './stage-location.js';

const raw = '__floe_copy_validate';

export async function validateCopy(ctx: ExecContext, plan: CopyPlan, mode: string): Promise<HandlerResult> {
  const m = /^RETURN_(?:(\d+)_ROWS|(ERRORS)|(ALL_ERRORS))$/.exec(mode.toUpperCase());
  if (!m) throw compilationError(`invalid value '${mode}' for VALIDATION_MODE: expected RETURN_<n>_ROWS, RETURN_ERRORS or RETURN_ALL_ERRORS`);
  if (plan.transform) throw compilationError('VALIDATION_MODE is not supported with COPY transformations.');
  // Reference §4.6: MATCH_BY_COLUMN_NAME is incompatible with VALIDATION_MODE.
  if (parseMatchMode(optionString('MATCH_BY_COLUMN_NAME', plan.options.MATCH_BY_COLUMN_NAME))) {
    throw compilationError('VALIDATION_MODE is not supported with MATCH_BY_COLUMN_NAME.');
  }
  const { table, loc, options: o } = plan;
  const d = ctx.engine.driver.dialect;
  const conn = ctx.session.conn;
  const def = lookupTable(ctx, table)!;
  const declared = resolveFormat(ctx, loc.fileFormat, formatOptions('FILE_FORMAT', o.FILE_FORMAT));
  const layout = await copyLayout(ctx, plan, def, declared, loc.store, []);
  const { cols, shape, readFormat: format } = layout;
  const truncate = optionBool('TRUNCATECOLUMNS', o.TRUNCATECOLUMNS, !optionBool('ENFORCE_LENGTH', o.ENFORCE_LENGTH, true));
  const err = errorExprs(d, table.name, cols, truncate, datetimeFormats(format));
  const side = ctx.session.inTransaction && format.type !== 'CSV' ? await ctx.engine.driver.connect() : undefined;
  const readOne = (info: ObjectInfo, limitRows?: number) =>
    readFileIntoRaw(conn, d, raw, loc.store, info, format, shape, 1, { fastPath: false, ...(side ? { probe: probeWith(side) } : {}), ...(limitRows !== undefined ? { limitRows } : {}) });
  const tableKey = loadHistoryKey(def);
  const force = optionBool('FORCE', o.FORCE, false);
  let files = await candidateFiles(plan);
  if (!m[3] && !force) {
    const known = await loadedFiles(conn, d, tableKey, def.createdOn);
    files = files.filter((f) => !known.has(`${fileIdOf(loc, f)}\u0000${f.etag}`));
  }
  const create = rawTableDdl(raw, shape.fields);
  try {
    if (m[1] !== undefined) {
      const want = Number(m[1]);
      await conn.execute(create);
      const valuesSql = `SELECT ${cols.map((c) => `${valueSql(d, c, truncate, datetimeFormats(format))} AS ${d.quoteIdent(c.def.name)}`).join(', ')} FROM ${raw} ORDER BY r`;
      const columns: ResultColumn[] = (await conn.query(valuesSql)).columns;
      const rows: FloeValue[][] = [];
      for (const f of files) {
        if (rows.length >= want) break;
        await conn.execute(create);
        const name = displayKey(loc, f.key);
        const read = await readOne(f, want - rows.length);
        if (read.fileError) throw executionError(`${read.fileError.message}\n  File '${name}'`);
        const bad = await conn.query(`SELECT ${err.message}, l, ${err.character}, ${err.column} FROM ${raw} WHERE (${err.message}) IS NOT NULL ORDER BY r LIMIT 1`);
        if (bad.rows.length > 0) {
          const [msg, l, c, col] = bad.rows[0]!;
          throw executionError(`${msg}\n  File '${name}', line ${l}, character ${c}\n  Row ${l}, column ${col}`);
        }
        rows.push(...(await conn.query(valuesSql)).rows);
      }
      return { columns, rows: rows.slice(0, want) };
    }
    const out: FloeValue[][] = [];
    await conn.execute(create);
    const errorsSql = (name: string) => `SELECT * EXCLUDE ("REJECTED_RECORD") FROM (${errorRowsSql(d, raw, err, name, [], null)}) ORDER BY "ROW_NUMBER"`;
    const columns = (await conn.query(errorsSql(''))).columns;
    for (const f of files) {
      await conn.execute(create);
      const name = displayKey(loc, f.key);
      const read = await readOne(f);
      if (read.fileError) {
        out.push([read.fileError.message, name, 1, 1, null, 'parsing', read.fileError.code, '22000', null, 1, 1]);
        continue;
      }
      out.push(...(await conn.query(errorsSql(name))).rows);
    }
    return { columns, rows: out };
  } finally {
    await side?.close();
    await conn.execute(`DROP TABLE IF EXISTS ${raw}`);
  }
}
