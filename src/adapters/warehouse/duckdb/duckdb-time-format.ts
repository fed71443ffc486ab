/**
 * Snowflake datetime format strings (TO_VARCHAR / TO_CHAR / TO_DATE / TO_TIMESTAMP) → DuckDB
 * strftime/strptime patterns. Elements are matched case-insensitively, longest first; text in double
 * quotes is literal. An element DuckDB cannot render faithfully is refused, never approximated.
 */
import { unsupported } from '../../../core/errors.js';

// Longest spellings first so that e.g. MMMM wins over MM and HH24 over HH.
const ELEMENTS: ReadonlyArray<[string, string]> = [
  // Time zone offsets: strptime reads them with %z; strftime cannot print a session offset, so the
  // formatting side gets a marker that the caller replaces with an offset expression.
  ['TZHTZM', '%z'],
  ['TZH:TZM', '%z'],
  ['TZH', '%z'],
  ['TZM', ''],
  ['YYYY', '%Y'],
  ['MMMM', '%B'],
  ['HH24', '%H'],
  ['HH12', '%I'],
  ['FF9', '%f000'],
  ['FF6', '%f'],
  ['FF3', '%g'],
  ['FF0', ''],
  ['MON', '%b'],
  ['DY', '%a'],
  ['YY', '%y'],
  ['MM', '%m'],
  ['DD', '%d'],
  ['HH', '%H'],
  ['MI', '%M'],
  ['SS', '%S'],
  // Snowflake's FF without digits means the session precision (9).
  ['FF', '%f000'],
  ['AM', '%p'],
  ['PM', '%p'],
];

const PARSE_OVERRIDES: Record<string, string> = {
  // strptime reads up to 9 fractional digits with %n; a literal "000" would not match arbitrary digits.
  FF9: '%n',
  FF: '%n',
};

/** Encloses a time zone offset element (TZH, TZM, TZHTZM, TZH:TZM) in a strftime pattern. */
export const OFFSET_MARK = '\u0001';

export interface TimeFormatOptions {
  /** Produce a strptime pattern (parsing) rather than a strftime one. */
  parse?: boolean;
}

/** Translate a Snowflake datetime format to a DuckDB strftime/strptime pattern. */
export function snowflakeTimeFormatToDuckDb(format: string, options: TimeFormatOptions = {}): string {
  let out = '';
  let i = 0;
  const upper = format.toUpperCase();
  while (i < format.length) {
    const ch = format[i];
    if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      if (end < 0) throw unsupported(`date format '${format}' (unterminated quoted text)`);
      out += escapePercent(format.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const element = ELEMENTS.find(([e]) => upper.startsWith(e, i));
    if (element) {
      const [name, pattern] = element;
      if (name === 'FF' && /\d/.test(format[i + 2] ?? '')) {
        throw unsupported(`date format element FF${format[i + 2]} (only FF0, FF3, FF6 and FF9) in '${format}'`);
      }
      if (name.startsWith('TZ')) {
        if (options.parse && name === 'TZM') throw unsupported(`date format element TZM without TZH in '${format}'`);
        if (!options.parse) {
          out += `${OFFSET_MARK}${name}${OFFSET_MARK}`;
          i += name.length;
          continue;
        }
      }
      out += options.parse ? (PARSE_OVERRIDES[name] ?? pattern) : pattern;
      i += name.length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      // A T between date and time (ISO 8601) is literal; other letters are unknown elements.
      const beforeElement = ELEMENTS.some(([e]) => upper.startsWith(e, i + 1));
      if ((ch === 'T' || ch === 't') && (beforeElement || !/[A-Za-z]/.test(format[i + 1] ?? ''))) {
        out += ch;
        i++;
        continue;
      }
      throw unsupported(`date format element '${format.slice(i).match(/^[A-Za-z0-9]+/)?.[0] ?? ch}' in '${format}'`);
    }
    out += escapePercent(ch);
    i++;
  }
  return out;
}

const escapePercent = (s: string) => s.replace(/%/g, '%%');
