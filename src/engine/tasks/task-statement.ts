/**
 * Parsing of CREATE TASK and ALTER TASK (reference §2.1, §2.6) from tokens: parameters, AFTER, FINALIZE,
 * WHEN (kept as Snowflake text) and the body after the top-level AS (kept as written).
 */
import type { ObjectName } from '../../core/catalog/identifiers.js';
import { compilationError } from '../../core/errors.js';
import type { Token } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';

export interface TaskClauses {
  params: Record<string, string>;
  after?: ObjectName[];
  finalize?: ObjectName;
  condition?: string;
  definition?: string;
  executeAsUser?: string;
}

/** Text of tokens [from, to) as written in the statement. */
function textOf(sql: string, tokens: Token[], from: number, to: number): string {
  const base = tokens[0]?.start ?? 0;
  const first = tokens[from];
  const last = tokens[to - 1];
  if (!first || !last) return '';
  return sql.slice(first.start - base, last.end - base).trim();
}

/** Index of the first token at parenthesis depth 0 that is the word `word`, at or after `from`. */
function topLevelWord(tokens: Token[], from: number, word: string): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'symbol' && t.value === '(') depth++;
    else if (t.type === 'symbol' && t.value === ')') depth--;
    else if (depth === 0 && t.type === 'word' && t.value === word) return i;
  }
  return -1;
}

/**
 * Parse the clauses that follow the task name (CREATE) or `SET` (ALTER … SET): `KEY = value` pairs, `AFTER a, b`,
 * `FINALIZE = root`, `WHEN <expr>`, `EXECUTE AS USER u`, and `AS <body>` when `allowBody`.
 */
export function parseTaskClauses(sql: string, tokens: Token[], start: number, allowBody: boolean): TaskClauses {
  const out: TaskClauses = { params: {} };
  const asAt = allowBody ? topLevelWord(tokens, start, 'AS') : -1;
  const end = asAt >= 0 ? asAt : tokens.length;
  const cur = new TokenCursor(tokens.slice(0, end));
  cur.pos = start;
  while (!cur.atEnd()) {
    if (cur.acceptWords('AFTER')) {
      out.after = [];
      do out.after.push(cur.objectName());
      while (cur.acceptSymbol(','));
    } else if (cur.acceptWords('WHEN')) {
      out.condition = textOf(sql, tokens, cur.pos, end);
      if (!out.condition) throw cur.error('expected a condition after WHEN');
      cur.pos = end;
    } else if (cur.acceptWords('EXECUTE', 'AS', 'USER')) {
      out.executeAsUser = cur.identifier().name;
    } else if (cur.acceptWords('COPY', 'GRANTS')) {
      continue;
    } else {
      const key = cur.next();
      if (key.type !== 'word') throw cur.unexpectedAt(key, 'expected a task parameter, AFTER, WHEN or AS');
      cur.expectSymbol('=');
      if (key.value === 'FINALIZE') {
        out.finalize = cur.objectName();
      } else {
        out.params[key.value] = cur.value();
      }
      cur.acceptSymbol(',');
    }
  }
  if (allowBody) {
    if (asAt < 0) throw compilationError('syntax error: CREATE TASK needs AS <statement>.');
    out.definition = textOf(sql, tokens, asAt + 1, tokens.length);
    if (!out.definition) throw compilationError('syntax error: the task body after AS is empty.');
  }
  return out;
}
