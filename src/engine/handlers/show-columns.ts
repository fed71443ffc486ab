/**
 * SHOW COLUMNS: one row per column of the tables and views in scope. Its `data_type` column is not
 * DESCRIBE's type text but the JSON type descriptor Snowflake's drivers use, so it is rebuilt here with
 * Snowflake's key order.
 */
import type { SfType } from '../../core/types/snowflake-type.js';
import { MAX_VARCHAR_LENGTH } from '../../core/types/snowflake-type.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { parseShowOptions, resolveScope, showResult, tablesInScope, type ColumnSpecs, type Row } from './show-common.js';

/** Snowflake's JSON type descriptor for a column (SHOW COLUMNS `data_type`). */
export function dataTypeJson(t: SfType, nullable: boolean): string {
  switch (t.kind) {
    case 'NUMBER':
      return JSON.stringify({ type: 'FIXED', precision: t.precision, scale: t.scale, nullable });
    case 'FLOAT':
      return JSON.stringify({ type: 'REAL', nullable });
    case 'VARCHAR':
      // byteLength is the UTF-8 worst case (4 bytes a character), capped at the maximum.
      return JSON.stringify({ type: 'TEXT', length: t.length, byteLength: Math.min(t.length * 4, MAX_VARCHAR_LENGTH), nullable, fixed: false });
    case 'BINARY':
      return JSON.stringify({ type: 'BINARY', length: t.length, byteLength: t.length, nullable, fixed: false });
    case 'TIME':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      // Snowflake reports the fractional-seconds digits as `scale`; `precision` is always 0.
      return JSON.stringify({ type: t.kind, precision: 0, scale: t.precision, nullable });
    default:
      return JSON.stringify({ type: t.kind, nullable });
  }
}

const COLUMN_COLUMNS: ColumnSpecs = {
  table_name: 'TEXT',
  schema_name: 'TEXT',
  column_name: 'TEXT',
  data_type: 'TEXT',
  'null?': 'TEXT',
  default: 'TEXT',
  kind: 'TEXT',
  expression: 'TEXT',
  comment: 'TEXT',
  database_name: 'TEXT',
  autoincrement: 'TEXT',
};

export async function showColumns(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW COLUMNS', 'SCHEMA', 'TABLE');
  const rows: Row[] = [];
  for (const t of tablesInScope(ctx, scope)) {
    for (const c of t.columns) {
      rows.push({
        table_name: t.name,
        schema_name: t.schema,
        column_name: c.name,
        data_type: dataTypeJson(c.type, c.nullable),
        'null?': c.nullable ? 'true' : 'false',
        default: c.default ?? '',
        kind: 'COLUMN',
        expression: '',
        comment: c.comment ?? '',
        database_name: t.database,
        autoincrement: '',
      });
    }
  }
  return showResult(COLUMN_COLUMNS, rows, opts, 'column_name');
}
