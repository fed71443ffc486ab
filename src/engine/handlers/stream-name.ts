/**
 * Object names passed as string arguments (`AT (STREAM => 'db.s.name')`, `SYSTEM$STREAM_HAS_DATA('name')`):
 * they follow identifier rules — unquoted parts resolve to upper case, double-quoted parts keep their case.
 */
import type { ObjectName } from '../../core/catalog/identifiers.js';
import { tokenize } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';

export function nameInString(text: string): ObjectName {
  const cur = new TokenCursor(tokenize(text));
  const n = cur.objectName();
  cur.expectEnd();
  return n;
}
