/**
 * What every statement returns, whatever the backend: Snowflake-shaped column metadata and rows of
 * floe values. Front ends (CLI formats, HTTP, JS procedures) format these; they never see backend values.
 */

/** Snowflake result type names (as in `DESCRIBE RESULT` / the JDBC `getColumnTypeName`). */
export type ResultTypeName =
  | 'NUMBER'
  | 'FLOAT'
  | 'TEXT'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP_NTZ'
  | 'TIMESTAMP_LTZ'
  | 'TIMESTAMP_TZ'
  | 'VARIANT'
  | 'OBJECT'
  | 'ARRAY'
  | 'BINARY';

export interface ResultColumn {
  name: string;
  type: ResultTypeName;
  /** NUMBER only. */
  precision?: number;
  scale?: number;
  nullable?: boolean;
}

/**
 * Value encoding inside floe (and the JSON Lines contract, DESIGN.md §3):
 * - NULL → null; BOOLEAN → boolean; TEXT → string
 * - NUMBER scale 0 → number, or bigint beyond 2^53; NUMBER scale > 0 → string holding the exact decimal text
 * - FLOAT → number (NaN/±Infinity as the strings 'NaN', 'inf', '-inf')
 * - DATE → 'YYYY-MM-DD'; TIME → 'HH:MM:SS[.ffffff]'
 * - TIMESTAMP_NTZ → 'YYYY-MM-DD HH:MM:SS.ffffff'
 * - TIMESTAMP_LTZ / TIMESTAMP_TZ → 'YYYY-MM-DD HH:MM:SS.ffffff +HHMM' (LTZ in the session time zone)
 * - VARIANT / OBJECT / ARRAY → the JSON text of the value
 * - BINARY → upper-case hex text
 */
export type FloeValue = null | boolean | number | bigint | string;

export interface StatementResult {
  /** 1-based position of the statement in the script. */
  statement: number;
  sql: string;
  columns: ResultColumn[];
  rows: FloeValue[][];
  /** Rows affected by DML, when the statement is DML. */
  rowsAffected?: number;
  queryId: string;
}
