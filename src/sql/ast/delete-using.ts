/**
 * `DELETE … USING` forms Snowflake accepts and the SQL parser (@polyglot-sql/sdk 0.12.1) rejects, rewritten into
 * forms it accepts before parsing, and put back in the AST afterwards:
 *  - a qualified name in the USING list (`USING db.schema.t y`, `USING schema.t`): the parser only takes a plain name
 *    there, so the name is written as its last part and the schema and database are set on the parsed table node
 *    (the implicit alias stays the table's own name, as in Snowflake);
 *  - a derived table without `AS` (`USING (SELECT …) d`): `AS` is inserted before the alias.
 * Nothing else in the statement changes, so the printed SQL is what the user wrote, with `AS` spelled out.
 */
import type { AstNode, Ident } from './ast-node.js';
import { tokenize, type Token } from '../lexer.js';

/** The schema and database of the USING list's `index`-th table, taken out of the text the parser sees. */
interface Qualifier {
  index: number;
  schema: Ident;
  catalog: Ident | undefined;
}

export interface DeleteUsingRewrite {
  /** The statement as the parser should see it. */
  sql: string;
  /** Puts the qualifiers back into the parsed statement. */
  restore(ast: AstNode[]): void;
  /** Where a position (1-based line and column) in the parser's text is in the text the user wrote. */
  original(line: number, column: number): { line: number; column: number };
}

const LIST_END = new Set(['WHERE', 'ORDER', 'LIMIT', 'RETURNING']);

/** The rewrite for `sql`, or undefined when it has nothing the parser would reject in a DELETE's USING list. */
export function rewriteDeleteUsing(sql: string): DeleteUsingRewrite | undefined {
  if (!/\bDELETE\b/i.test(sql) || !/\bUSING\b/i.test(sql)) return undefined;
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return undefined; // the parser reports it
  }
  if (tokens[0]?.value !== 'DELETE') return undefined;
  const using = findTopLevel(tokens, 0, (t) => t.type === 'word' && t.value === 'USING');
  if (using < 0) return undefined;
  const edits: { start: number; end: number; text: string }[] = [];
  const qualifiers: Qualifier[] = [];
  let i = using + 1;
  for (let index = 0; i < tokens.length; index++) {
    const t = tokens[i]!;
    if (t.text === '(') {
      const close = findTopLevel(tokens, i + 1, (u) => u.text === ')');
      if (close < 0) return undefined;
      const alias = tokens[close + 1];
      if (alias && isName(alias)) edits.push({ start: alias.start, end: alias.start, text: 'AS ' });
      i = close + 1;
    } else if (isName(t)) {
      const parts = [t];
      while (tokens[i + 1]?.text === '.' && tokens[i + 2] && isNamePart(tokens[i + 2]!)) {
        parts.push(tokens[i + 2]!);
        i += 2;
      }
      if (parts.length > 1) {
        const last = parts[parts.length - 1]!;
        edits.push({ start: parts[0]!.start, end: last.end, text: last.text });
        const schema = parts[parts.length - 2]!;
        qualifiers.push({ index, schema: ident(schema), catalog: parts.length > 2 ? ident(parts[parts.length - 3]!) : undefined });
      }
      i++;
    }
    // Past the item's alias (and anything else) to the next item, or the end of the list.
    i = findTopLevel(tokens, i, (u) => u.text === ',' || u.text === ';' || (u.type === 'word' && LIST_END.has(u.value)));
    if (tokens[i]?.text !== ',') break;
    i++;
  }
  if (edits.length === 0) return undefined;
  let out = '';
  let at = 0;
  // Each edit's place in the rewritten text, and how many characters the text gained or lost up to its end.
  const shifts: { from: number; to: number; delta: number }[] = [];
  for (const e of edits) {
    out += sql.slice(at, e.start);
    const from = out.length;
    out += e.text;
    shifts.push({ from, to: out.length, delta: e.end - e.start - e.text.length });
    at = e.end;
  }
  out += sql.slice(at);
  return {
    sql: out,
    original(line, column) {
      const offset = offsetOf(out, line, column);
      let mapped = offset;
      for (const sh of shifts) {
        if (offset >= sh.to) mapped += sh.delta;
        else if (offset >= sh.from) mapped = mapped - (offset - sh.from);
      }
      return positionOf(sql, mapped);
    },
    restore(ast) {
      const list = (ast[0] as { delete?: { using?: AstNode[] } } | undefined)?.delete?.using;
      for (const q of qualifiers) {
        const table = list?.[q.index];
        if (!table || !('name' in table)) continue;
        table.schema = q.schema;
        table.catalog = q.catalog ?? null;
      }
    },
  };
}

function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return Math.min(text.length, at + Math.max(0, column - 1));
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

/**
 * The index of the first token from `from` on that `stop` accepts outside any parentheses opened after `from` (a `)`
 * closing the one `from` is inside counts as outside), or -1.
 */
function findTopLevel(tokens: Token[], from: number, stop: (t: Token) => boolean): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')' && depth > 0) depth--;
    else if (depth === 0 && stop(t)) return i;
  }
  return -1;
}

/** A table name or alias: an identifier that is not a keyword ending the item or the list. */
const isName = (t: Token): boolean => t.type === 'quoted' || (t.type === 'word' && t.value !== 'AS' && !LIST_END.has(t.value));
const isNamePart = (t: Token): boolean => t.type === 'quoted' || t.type === 'word';

function ident(t: Token): Ident {
  return { name: t.type === 'quoted' ? t.value : t.text, quoted: t.type === 'quoted', trailing_comments: [], span: null };
}
