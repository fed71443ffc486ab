/**
 * Snowflake prefixes some compilation errors with `error line L at position P` (P 0-based). The backend
 * reports them against the translated SQL, so the position is found again in the statement as written:
 * the first unqualified use of the identifier the error names.
 */
import type { FloeError } from '../core/errors.js';
import type { Token } from '../sql/lexer.js';

const POSITIONED = /^SQL compilation error:\n(?:ambiguous column name '([^']+)'|'([^']+)' is not a valid group by expression)/;

export function addErrorPosition(error: FloeError, tokens: readonly Token[]): void {
  const m = error.message.match(POSITIONED);
  if (!m) return;
  const name = m[1] ?? m[2];
  const at = tokens.find(
    (t, i) => ((t.type === 'word' && t.value === name) || (t.type === 'quoted' && t.value === name)) && tokens[i - 1]?.text !== '.',
  );
  if (!at) return;
  error.message = error.message.replace('\n', `\nerror line ${at.line} at position ${at.column - 1}\n`);
  error.location = { ...error.location, line: at.line, column: at.column };
}
