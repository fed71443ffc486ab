/**
 * The set-based half of COPY: parsed fields sit as VARCHAR in a temp table; these expressions find each
 * row's first error (Snowflake's messages) and convert values to the column types, all inside the engine.
 */
import type { ColumnDef } from '../../core/catalog/catalog-model.js';
import type { FileFormat } from '../../core/load/file-format.js';
import { unsupported } from '../../core/errors.js';
import type { WarehouseDialect } from '../../core/ports/warehouse.js';

export interface TargetColumn {
  def: ColumnDef;
  /** 1-based position in the target table (for "T"["C":n]). */
  position: number;
  /** Raw column holding the file field. */
  raw: string;
}

const lit = (d: WarehouseDialect, s: string): string => d.quoteString(s);

/**
 * TRY_CAST of file text to a column type. Wide decimals (p > 18) go through DECIMAL(18, s) first: DuckDB's
 * 128-bit decimal parse is ~30× slower, and almost every value fits 64 bits; the wide cast only sees the rest.
 */
export function tryCastSql(d: WarehouseDialect, x: string, t: ColumnDef['type'], f?: DateTimeFormats): string {
  const format = f && (t.kind === 'DATE' ? f.dateFormat : t.kind === 'TIME' ? f.timeFormat : t.kind.startsWith('TIMESTAMP') ? f.timestampFormat : 'AUTO');
  if (format !== undefined && format.toUpperCase() !== 'AUTO') return d.tryParseDateTime(x, t, format);
  const full = `TRY_CAST(${x} AS ${d.typeFor(t)})`;
  if (t.kind === 'NUMBER' && t.precision > 18 && t.scale <= 18) return `coalesce(TRY_CAST(${x} AS DECIMAL(18, ${t.scale})), ${full})`;
  return full;
}

/** COPY's DATE_FORMAT / TIME_FORMAT / TIMESTAMP_FORMAT file format options ('AUTO': the engine's casts). */
export interface DateTimeFormats {
  dateFormat: string;
  timeFormat: string;
  timestampFormat: string;
}

/** The format's date/time formats (Parquet values carry their types: none). */
export const datetimeFormats = (f: FileFormat): DateTimeFormats | undefined => (f.type === 'PARQUET' ? undefined : f);

/** Error text and code for a value that does not convert, or undefined when any text converts. */
function conversion(d: WarehouseDialect, c: TargetColumn, truncate: boolean, f?: DateTimeFormats): { cond: string; msg: string; code: number } | undefined {
  const x = c.raw;
  const t = c.def.type;
  const tryCast = tryCastSql(d, x, t, f);
  const bad = `(${x} IS NOT NULL AND ${tryCast} IS NULL)`;
  const quoted = (prefix: string) => `${lit(d, prefix + " '")} || ${x} || ${lit(d, "' is not recognized")}`;
  switch (t.kind) {
    case 'NUMBER':
    case 'FLOAT':
      return { cond: bad, msg: quoted('Numeric value'), code: 100038 };
    case 'DATE':
      return { cond: bad, msg: quoted('Date'), code: 100040 };
    case 'TIME':
      return { cond: bad, msg: quoted('Time'), code: 100108 };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { cond: bad, msg: quoted('Timestamp'), code: 100035 };
    case 'BOOLEAN':
      return { cond: bad, msg: quoted('Boolean value'), code: 100037 };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return { cond: `(${x} IS NOT NULL AND NOT json_valid(${x}))`, msg: `${lit(d, 'Error parsing JSON: ')} || ${x}`, code: 100069 };
    case 'VARCHAR':
      if (truncate) return undefined;
      return {
        cond: `(length(${x}) > ${t.length})`,
        msg: `${lit(d, "String '")} || ${x} || ${lit(d, "' is too long and would be truncated")}`,
        code: 100074,
      };
    case 'BINARY':
      throw unsupported('COPY into BINARY columns');
  }
}

export function valueSql(d: WarehouseDialect, c: TargetColumn, truncate: boolean, f?: DateTimeFormats): string {
  const t = c.def.type;
  if (t.kind === 'VARCHAR') return truncate ? `left(${c.raw}, ${t.length})` : c.raw;
  if (t.kind === 'VARIANT' || t.kind === 'OBJECT' || t.kind === 'ARRAY') return `CAST(${c.raw} AS JSON)`;
  return tryCastSql(d, c.raw, t, f);
}

export interface ErrorExprs {
  /** Error text of the row's first error, NULL when the row is good. */
  message: string;
  /** True when the row has an error (cheaper than testing `message`: no text is built). */
  bad: string;
  code: string;
  /** `"T"["C":n]` of the failing column. */
  column: string;
  /** 1-based character position of the failing field in its line (approximate for escaped fields). */
  character: string;
}

/** Per-row error expressions over the raw table (`perr`/`pcode`/`pchar`/`pcol` hold parse errors). */
export function errorExprs(d: WarehouseDialect, table: string, cols: readonly TargetColumn[], truncate: boolean, f?: DateTimeFormats): ErrorExprs {
  const msg: string[] = ['WHEN perr IS NOT NULL THEN perr'];
  const code: string[] = ['WHEN perr IS NOT NULL THEN pcode'];
  const col: string[] = ['WHEN perr IS NOT NULL THEN pcol'];
  const chr: string[] = ['WHEN perr IS NOT NULL THEN pchar'];
  const any: string[] = ['perr IS NOT NULL'];
  cols.forEach((c, i) => {
    const name = `"${table}"["${c.def.name}":${c.position}]`;
    const checks: { cond: string; msg: string; code: number }[] = [];
    if (!c.def.nullable) checks.push({ cond: `(${c.raw} IS NULL)`, msg: lit(d, 'NULL result in a non-nullable column'), code: 100072 });
    const conv = conversion(d, c, truncate, f);
    if (conv) checks.push(conv);
    // Character position: fields before this one, each with its delimiter.
    const before = cols.slice(0, i).map((p) => `coalesce(length(${p.raw}), 0) + 1`);
    const position = before.length ? `1 + ${before.join(' + ')}` : '1';
    for (const k of checks) {
      msg.push(`WHEN ${k.cond} THEN ${k.msg}`);
      code.push(`WHEN ${k.cond} THEN ${k.code}`);
      col.push(`WHEN ${k.cond} THEN ${lit(d, name)}`);
      chr.push(`WHEN ${k.cond} THEN ${position}`);
      any.push(k.cond);
    }
  });
  const wrap = (parts: string[]) => `CASE ${parts.join(' ')} END`;
  return { message: wrap(msg), bad: `(${any.join(' OR ')})`, code: wrap(code), column: wrap(col), character: wrap(chr) };
}
