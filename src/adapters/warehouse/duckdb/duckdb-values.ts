/**
 * DuckDB values → floe values (the encoding in src/core/result.ts). Timestamps are formatted here because
 * only the backend knows whether a value is an instant (LTZ) or a wall clock (NTZ).
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBArrayValue,
  DuckDBUUIDValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { FloeValue } from '../../../core/result.js';
import { formatMicrosInZone, formatNtzMicros } from '../../../core/types/timestamp-format.js';

export function toFloeValue(v: DuckDBValue, timeZone: string): FloeValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'inf';
      if (v === -Infinity) return '-inf';
      return v;
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  }
  if (v instanceof DuckDBDecimalValue) {
    if (v.scale === 0) {
      const n = Number(v.value);
      return Number.isSafeInteger(n) ? n : v.value;
    }
    return v.toString();
  }
  if (v instanceof DuckDBTimestampValue) return formatNtzMicros(v.micros);
  if (v instanceof DuckDBTimestampTZValue) return formatMicrosInZone(v.micros, timeZone);
  if (v instanceof DuckDBDateValue || v instanceof DuckDBTimeValue || v instanceof DuckDBUUIDValue) return v.toString();
  if (v instanceof DuckDBBlobValue) return Buffer.from(v.bytes).toString('hex').toUpperCase();
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue || v instanceof DuckDBStructValue || v instanceof DuckDBMapValue) {
    return JSON.stringify(toJson(v, timeZone));
  }
  return String(v);
}

/** Nested values become JSON, as Snowflake renders ARRAY/OBJECT values. */
function toJson(v: DuckDBValue, timeZone: string): unknown {
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map((x) => toJson(x, timeZone));
  if (v instanceof DuckDBStructValue) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v.entries)) o[k] = toJson(x, timeZone);
    return o;
  }
  if (v instanceof DuckDBMapValue) {
    const o: Record<string, unknown> = {};
    for (const e of v.entries) o[String(e.key)] = toJson(e.value, timeZone);
    return o;
  }
  const f = toFloeValue(v, timeZone);
  return typeof f === 'bigint' ? f.toString() : f;
}
