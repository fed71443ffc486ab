/**
 * `KEY = value` property lists as Snowflake DDL writes them (COMMENT = '…', DATA_RETENTION_TIME_IN_DAYS = 1, …).
 */
import type { TokenCursor } from '../../sql/token-cursor.js';

export function parseProperties(cur: TokenCursor, stopWords: string[] = []): Record<string, string> {
  const props: Record<string, string> = {};
  while (!cur.atEnd() && !cur.isWord(...stopWords)) {
    const key = cur.next();
    if (key.type !== 'word') throw cur.unexpectedAt(key, 'expected a property name');
    let name = key.value;
    // Two-word flags such as `WITH MANAGED ACCESS` carry no value.
    if (name === 'WITH' && cur.acceptWords('MANAGED', 'ACCESS')) {
      props.MANAGED_ACCESS = 'TRUE';
      continue;
    }
    if (name === 'WITH' && cur.peek()?.type === 'word') name = cur.next().value;
    if (cur.acceptSymbol('=')) {
      if (cur.acceptSymbol('(')) {
        const parts: string[] = [];
        while (!cur.acceptSymbol(')')) parts.push(cur.next().text);
        props[name] = parts.join(' ');
      } else {
        props[name] = cur.value();
      }
    } else {
      props[name] = 'TRUE';
    }
    cur.acceptSymbol(',');
  }
  return props;
}
