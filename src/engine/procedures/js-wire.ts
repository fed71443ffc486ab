/**
 * What crosses the boundary between the engine and a JavaScript procedure's sandbox: JSON only, so no
 * object of the engine's realm ever reaches procedure code.
 */
import type { FloeValue, ResultColumn } from '../../core/result.js';
import type { TypedValue } from '../scripting/sql-literals.js';

/** A JS value going to SQL: integer / float / string / boolean / Date (ISO instant) / JSON text. */
export type WireValue = null | ['I' | 'F' | 'S' | 'B' | 'T' | 'J', string | number | boolean];

export interface WireColumn {
  name: string;
  type: string;
  scale: number;
  nullable: boolean;
}

export interface ExecRequest {
  sql: string;
  binds: WireValue[];
}

export type ExecResponse =
  | {
      ok: true;
      queryId: string;
      columns: WireColumn[];
      rows: (null | boolean | number | string)[][];
      rowsAffected: number;
      counts: { inserted: number; updated: number; deleted: number; duplicates: number };
    }
  | { ok: false; error: { message: string; code: string; state: string } };

/** Procedure arguments and SQL results for the sandbox: the floe value (bigint as text) and its type. */
export const wireCell = (v: FloeValue): null | boolean | number | string => (typeof v === 'bigint' ? v.toString() : v);

export const wireColumn = (c: ResultColumn): WireColumn => ({ name: c.name, type: c.type, scale: c.scale ?? 0, nullable: c.nullable ?? true });

const NUM0 = { name: '', type: 'NUMBER', precision: 38, scale: 0 } as const;

/** A JS bind or return value as a typed SQL value. */
export function typedFromWire(w: WireValue): TypedValue {
  if (w === null) return { value: null, column: { name: '', type: 'TEXT' } };
  const [t, v] = w;
  switch (t) {
    case 'I':
      return { value: String(v), column: NUM0 };
    case 'F':
      return { value: typeof v === 'number' ? v : String(v), column: { name: '', type: 'FLOAT' } };
    case 'B':
      return { value: v === true, column: { name: '', type: 'BOOLEAN' } };
    case 'T': {
      // ISO instant → floe's LTZ text with a +0000 offset.
      const iso = String(v);
      return { value: `${iso.slice(0, 10)} ${iso.slice(11, 23)}000 +0000`, column: { name: '', type: 'TIMESTAMP_LTZ' } };
    }
    case 'J':
      return { value: String(v), column: { name: '', type: 'VARIANT' } };
    default:
      return { value: String(v), column: { name: '', type: 'TEXT' } };
  }
}
