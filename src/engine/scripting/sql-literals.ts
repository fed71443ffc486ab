/**
 * Values as SQL text. Scripting variables and procedure binds reach SQL statements only as literals built
 * here (strings escaped, everything else typed), never as raw text, so a value cannot change a statement's
 * shape (no SQL injection). Identifiers from values (`IDENTIFIER(:v)`) are validated the same way.
 */
import { compilationError } from '../../core/errors.js';
import type { FloeValue, ResultColumn } from '../../core/result.js';
import { tokenize } from '../../sql/lexer.js';

/** A value with its Snowflake result type. */
export interface TypedValue {
  value: FloeValue;
  column: ResultColumn;
}

export const stringLiteral = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** SQL type text for a result column (used to keep the type of NULLs and typed literals). */
export function typeText(c: ResultColumn): string {
  switch (c.type) {
    case 'NUMBER':
      return `NUMBER(${c.precision ?? 38},${c.scale ?? 0})`;
    case 'TEXT':
      return 'VARCHAR';
    default:
      return c.type;
  }
}

export function sqlLiteral(v: TypedValue): string {
  const { value, column } = v;
  if (value === null) return `CAST(NULL AS ${typeText(column)})`;
  switch (column.type) {
    case 'BOOLEAN':
      return value === true || value === 'true' ? 'TRUE' : 'FALSE';
    case 'NUMBER': {
      const text = String(value);
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw compilationError(`invalid number value '${text}'`);
      return `CAST(${stringLiteral(text)} AS ${typeText(column)})`;
    }
    case 'FLOAT':
      return `CAST(${stringLiteral(String(value))} AS FLOAT)`;
    case 'TEXT':
      return stringLiteral(String(value));
    case 'VARIANT':
      return `PARSE_JSON(${stringLiteral(String(value))})`;
    case 'OBJECT':
    case 'ARRAY':
      return `PARSE_JSON(${stringLiteral(String(value))})::${column.type}`;
    case 'BINARY':
      return `TO_BINARY(${stringLiteral(String(value))}, 'HEX')`;
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      // floe's text 'YYYY-MM-DD HH:MM:SS.ffffff +HHMM' → ISO 8601, which the cast reads with its offset.
      const m = /^(\S+) (\S+) ([+-]\d\d)(\d\d)$/.exec(String(value));
      const iso = m ? `${m[1]}T${m[2]}${m[3]}:${m[4]}` : String(value);
      return `CAST(${stringLiteral(iso)} AS ${column.type})`;
    }
    default:
      return `CAST(${stringLiteral(String(value))} AS ${column.type})`;
  }
}

/** `IDENTIFIER(:v)`: the value must be an object name (`a`, `"b"`, `db.s.t`); returned as SQL text. */
export function identifierText(v: TypedValue): string {
  if (typeof v.value !== 'string') throw compilationError(`invalid identifier value ${String(v.value)}`);
  const bad = (): Error => compilationError(`invalid identifier '${String(v.value)}'`);
  let tokens;
  try {
    tokens = tokenize(v.value);
  } catch {
    throw bad();
  }
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (i % 2 === 1) {
      if (t.type !== 'symbol' || t.value !== '.') throw bad();
      continue;
    }
    if (t.type === 'word') parts.push(t.text);
    else if (t.type === 'quoted') parts.push(`"${t.value.replace(/"/g, '""')}"`);
    else throw bad();
  }
  if (parts.length === 0 || parts.length > 3 || tokens.length % 2 === 0) throw bad();
  return parts.join('.');
}
