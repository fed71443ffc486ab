/**
 * How one COPY's files map onto the target table: which columns it fills, the raw table's shape, and the
 * set-based step between reading and checking (MATCH_BY_COLUMN_NAME, a transformation, INCLUDE_METADATA).
 * Snowflake's compile-time rules for these combinations are enforced here, before any file is read.
 */
import { compilationError } from '../../core/errors.js';
import type { ColumnDef, TableDef } from '../../core/catalog/catalog-model.js';
import type { FileFormat } from '../../core/load/file-format.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { ExecContext } from '../exec-context.js';
import type { CopyPlan } from './copy-plan.js';
import type { TargetColumn } from './copy-sql.js';
import { documentMatchSql, matchSql, parseMatchMode, readHeader, type MatchMode } from './copy-match.js';
import { metadataSql, METADATA_COLUMNS, transformSql, type FileMeta } from './copy-transform.js';
import { formatOptions, optionString } from './option-parser.js';
import { rawFieldColumn, type RawShape } from './raw-table.js';

const VARIANT_KINDS = ['VARIANT', 'OBJECT', 'ARRAY'];

export interface CopyLayout {
  cols: TargetColumn[];
  shape: RawShape;
  /** The format files are read with (PARSE_HEADER turns into skipping the header line). */
  readFormat: FileFormat;
  /** Whether the checks run on the step's output table instead of the raw table. */
  stepped: boolean;
  /** The step's SELECT over the relation `raw` (its rows in the raw-table layout), given the files read. */
  step?: (raw: string, files: readonly FileMeta[], scanStart: Date) => string;
}

/** `INCLUDE_METADATA = (col = METADATA$FILENAME, …)` → column name → metadata name (FILENAME, …). */
function includeMetadata(plan: CopyPlan, columns: readonly ColumnDef[], match: MatchMode | undefined, format: FileFormat): Map<string, string> {
  const raw = plan.options.INCLUDE_METADATA;
  const out = new Map<string, string>();
  if (raw === undefined) return out;
  if (typeof raw === 'string' || Array.isArray(raw)) throw compilationError('INCLUDE_METADATA expects ( <column> = METADATA$<field> [ , … ] )');
  if (!match) throw compilationError('INCLUDE_METADATA is only supported with MATCH_BY_COLUMN_NAME.');
  if (format.type === 'CSV' && format.errorOnColumnCountMismatch) {
    throw compilationError('INCLUDE_METADATA with CSV files requires the file format option ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE.');
  }
  const fmt = formatOptions('INCLUDE_METADATA', raw);
  for (const [col, v] of Object.entries(fmt)) {
    const field = typeof v === 'string' ? v.toUpperCase() : '';
    const name = field.startsWith('METADATA$') ? field.slice('METADATA$'.length) : '';
    if (!METADATA_COLUMNS.includes(name)) throw compilationError(`invalid value '${String(v)}' for INCLUDE_METADATA column ${col}: expected METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, METADATA$FILE_CONTENT_KEY, METADATA$FILE_LAST_MODIFIED or METADATA$START_SCAN_TIME`);
    const target = columns.find((c) => c.name === col) ?? (match === 'CASE_INSENSITIVE' ? columns.find((c) => c.name.toUpperCase() === col.toUpperCase()) : undefined);
    if (!target) throw compilationError(`invalid identifier '${col}' in INCLUDE_METADATA: the target table has no such column`);
    out.set(target.name, name);
  }
  return out;
}

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

export async function copyLayout(ctx: ExecContext, plan: CopyPlan, def: TableDef, format: FileFormat, store: ObjectStore, keys: readonly string[]): Promise<CopyLayout> {
  const { transform } = plan;
  const d = ctx.engine.driver.dialect;
  const tableName = plan.table.name;
  if (transform?.hasWhere) {
    throw compilationError('COPY transformations do not support filtering: a WHERE clause is not allowed in the SELECT of COPY INTO <table>.');
  }
  const match = parseMatchMode(optionString('MATCH_BY_COLUMN_NAME', plan.options.MATCH_BY_COLUMN_NAME));
  if (match && transform) throw compilationError('match_by_column_name is not supported with copy transform.');
  const metadata = includeMetadata(plan, def.columns, match, format);
  const metaSql = (files: readonly FileMeta[], scanStart: Date) => {
    const all = metadataSql(d, files, scanStart);
    return new Map([...metadata].map(([col, name]) => [col, all[name]!]));
  };
  if (format.type !== 'CSV') {
    const semiType = format.type;
    if (transform) {
      if (transform.maxField > 1) throw compilationError(`${semiType} file format can produce one and only one column: use $1 (e.g. $1:field), not $${transform.maxField}.`);
      const cols = targetColumns(plan, def.columns);
      const variantTargets = cols.map((c) => VARIANT_KINDS.includes(c.def.type.kind));
      return {
        cols,
        shape: { fields: 1, tableName, checkColumnCount: false },
        readFormat: format,
        stepped: true,
        step: (raw, files, scanStart) => transformSql(ctx, transform, raw, files, scanStart, { semiStructured: true, variantTargets }),
      };
    }
    if (match) {
      return {
        cols: targetColumns(plan, def.columns),
        shape: { fields: 1, tableName, checkColumnCount: false },
        readFormat: format,
        stepped: true,
        step: (raw, files, scanStart) => documentMatchSql(d, raw, def.columns, match, { trimSpace: format.trimSpace, nullIf: format.nullIf }, metaSql(files, scanStart)),
      };
    }
    const only = def.columns.length === 1 ? def.columns[0]! : undefined;
    if (!only || !VARIANT_KINDS.includes(only.type.kind)) {
      throw compilationError(
        `${semiType} file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.`,
      );
    }
    return { cols: [{ def: only, position: 1, raw: rawFieldColumn(1) }], shape: { fields: 1, tableName, checkColumnCount: false }, readFormat: format, stepped: false };
  }
  if (match && !format.parseHeader) throw compilationError('MATCH_BY_COLUMN_NAME for CSV files requires the file format option PARSE_HEADER = TRUE.');
  const headers = format.parseHeader ? await Promise.all(keys.map((k) => readHeader(store, k, format))) : [];
  // PARSE_HEADER: the first line names the fields and is not data.
  const readFormat = format.parseHeader ? { ...format, parseHeader: false, skipHeader: 1 } : format;
  const cols = targetColumns(plan, def.columns);
  if (transform) {
    return {
      cols,
      shape: { fields: Math.max(transform.maxField, 1), tableName, checkColumnCount: false },
      readFormat,
      stepped: true,
      step: (raw, files, scanStart) => transformSql(ctx, transform, raw, files, scanStart, { semiStructured: false, variantTargets: cols.map((c) => VARIANT_KINDS.includes(c.def.type.kind)) }),
    };
  }
  if (match) {
    return {
      cols,
      shape: { fields: Math.max(1, ...headers.map((h) => h.length)), tableName, checkColumnCount: false },
      readFormat,
      stepped: true,
      step: (raw, files, scanStart) => matchSql(raw, def.columns, headers, match, metaSql(files, scanStart)),
    };
  }
  return { cols, shape: { fields: cols.length, tableName, checkColumnCount: true }, readFormat, stepped: false };
}
