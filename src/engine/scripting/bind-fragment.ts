/**
 * Turns a fragment (tokens of a SQL statement or expression) into SQL text with scripting variables bound
 * as literals: `:x` everywhere, bare `x` in scripting expressions (LET, IF, RETURN, loop bounds), record
 * fields as `rec.col`, and `IDENTIFIER(:x)` as a validated object name.
 */
import { compilationError } from '../../core/errors.js';
import { resolveIdent } from '../../core/catalog/identifiers.js';
import { tokenize, type Token } from '../../sql/lexer.js';
import type { Fragment } from './script-ast.js';
import { identifierText, sqlLiteral, type TypedValue } from './sql-literals.js';

export type Bound = { kind: 'value'; v: TypedValue } | { kind: 'record'; fields: Map<string, TypedValue> };

export type Lookup = (name: string) => Bound | undefined;

const nameOf = (t: Token | undefined): string | undefined =>
  t === undefined ? undefined : t.type === 'word' ? t.value : t.type === 'quoted' ? resolveIdent(t.value, true) : undefined;

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && t.type === 'symbol' && t.value === s;

/** `v:x` (no space after a name or bracket) is a VARIANT path, not a variable. */
function isPathColon(prev: Token | undefined, colon: Token): boolean {
  if (!prev || prev.end !== colon.start) return false;
  return prev.type === 'word' || prev.type === 'quoted' || isSym(prev, ')') || isSym(prev, ']');
}

/** Source text between two tokens of a fragment: their whitespace and comments, or one space when tokens were cut out. */
function gap(f: Fragment, a: Token, b: Token): string {
  const text = f.source.slice(a.end, b.start);
  return !/\S/.test(text) || tokenize(text).length === 0 ? text : ' ';
}

export function renderFragment(f: Fragment, lookup: Lookup, bare: boolean): string {
  const t = f.tokens;
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (i > 0) out += gap(f, t[i - 1], tok);
    let nameAt = -1;
    if (isSym(tok, ':') && !isPathColon(t[i - 1], tok) && nameOf(t[i + 1]) !== undefined && t[i + 1].start === tok.end) nameAt = i + 1;
    else if (bare && nameOf(tok) !== undefined && !isSym(t[i - 1], '.') && !isSym(t[i - 1], ':') && !isSym(t[i - 1], '::') && !isSym(t[i + 1], '(')) nameAt = i;
    const bound = nameAt < 0 ? undefined : lookup(nameOf(t[nameAt]) as string);
    if (!bound) {
      if (nameAt === i + 1) throw compilationError(`error line ${t[nameAt].line} at position ${t[nameAt].column - 1}\nBind variable :${t[nameAt].text} not set.`);
      out += tok.text;
      continue;
    }
    let end = nameAt;
    let value: TypedValue;
    if (bound.kind === 'record') {
      if (!isSym(t[nameAt + 1], '.') || nameOf(t[nameAt + 2]) === undefined) {
        // A bare name equal to a record variable without a field: leave it alone.
        if (nameAt === i) {
          out += tok.text;
          continue;
        }
        throw compilationError(`record variable '${t[nameAt].text}' used without a field`);
      }
      const field = nameOf(t[nameAt + 2]) as string;
      const v = bound.fields.get(field);
      if (!v) throw compilationError(`error line ${t[nameAt + 2].line} at position ${t[nameAt + 2].column - 1}\ninvalid identifier '${t[nameAt].text}.${t[nameAt + 2].text}'`);
      value = v;
      end = nameAt + 2;
    } else {
      // `x.col` where x is a table alias that happens to share a variable's name.
      if (isSym(t[nameAt + 1], '.') && nameAt === i) {
        out += tok.text;
        continue;
      }
      value = bound.v;
    }
    // IDENTIFIER(:x) names an object: the validated name replaces the whole call.
    const ident = isSym(t[i - 1], '(') && t[i - 2]?.type === 'word' && t[i - 2].value === 'IDENTIFIER' && isSym(t[end + 1], ')');
    if (ident) {
      out = out.slice(0, out.length - gap(f, t[i - 1], tok).length - t[i - 1].text.length - gap(f, t[i - 2], t[i - 1]).length - t[i - 2].text.length);
      out += identifierText(value);
      i = end + 1;
      continue;
    }
    out += sqlLiteral(value);
    i = end;
  }
  return out;
}

/**
 * Fill `?` placeholders in order, or `:1`, `:2` … by position (Snowflake's bind styles for EXECUTE IMMEDIATE
 * … USING, cursors and JavaScript `binds`), with literals.
 */
export function bindPlaceholders(sql: string, values: readonly TypedValue[]): string {
  const tokens = tokenize(sql);
  let out = '';
  let copied = 0;
  let next = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    let index: number | undefined;
    let end = i;
    if (isSym(t, '?')) index = next++;
    else if (isSym(t, ':') && tokens[i + 1]?.type === 'number' && tokens[i + 1].start === t.end && !isPathColon(tokens[i - 1], t)) {
      index = Number(tokens[i + 1].value) - 1;
      end = i + 1;
    }
    if (index === undefined) continue;
    const v = values[index];
    if (v === undefined) throw compilationError(`Bind variable ${t.value === '?' ? '?' : ':' + String(index + 1)} not set.`);
    out += sql.slice(copied, t.start) + sqlLiteral(v);
    copied = tokens[end].end;
    i = end;
  }
  return out + sql.slice(copied);
}
