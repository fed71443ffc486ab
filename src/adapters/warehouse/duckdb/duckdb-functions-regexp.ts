/**
 * REGEXP_LIKE / RLIKE, REGEXP_SUBSTR, REGEXP_REPLACE, REGEXP_COUNT with Snowflake's optional position,
 * occurrence, parameters and group arguments, on DuckDB's RE2 functions. Parameters: `c`, `i`, `s` map
 * to DuckDB options, `m` becomes an inline `(?m)`, `e` makes REGEXP_SUBSTR return group 1.
 */
import { compilationError, unsupported } from '../../../core/errors.js';
import type { AstNode } from '../../../sql/ast/ast-node.js';
import { arity, concatOp, fn, isNumberLiteral, literalText, num, str, type FunctionTranslator } from './duckdb-expr-build.js';

interface Params {
  options: string;
  pattern: (p: AstNode) => AstNode;
  extract: boolean;
}

function params(n: AstNode | undefined, name: string): Params {
  const text = n === undefined ? 'c' : literalText(n, `${name.toUpperCase()} parameters`);
  let options = '';
  let multiline = false;
  let extract = false;
  for (const ch of text) {
    if (ch === 'c' || ch === 'i') options = options.replace(/[ci]/g, '') + ch;
    else if (ch === 's') options += 's';
    else if (ch === 'm') multiline = true;
    else if (ch === 'e') extract = true;
    else throw compilationError(`Invalid regular expression parameter '${ch}' for function ${name.toUpperCase()}.`);
  }
  return { options: options || 'c', pattern: (p) => (multiline ? concatOp(str('(?m)'), p) : p), extract };
}

const literalInt = (n: AstNode | undefined, dflt: number, what: string): number => {
  if (n === undefined) return dflt;
  if (!isNumberLiteral(n)) throw unsupported(`${what} that is not a literal`);
  return Number(n.literal.value);
};

/** The subject from a 1-based position on. */
const fromPosition = (s: AstNode, pos: AstNode | undefined): AstNode =>
  pos === undefined ? s : fn('substr', s, pos);

export const regexpLike: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2, 3);
  const p = params(args[2], name);
  return fn('regexp_full_match', args[0], p.pattern(args[1]), str(p.options));
};

const regexpSubstr: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2, 6);
  if (args.length === 2) return fn('floe_regexp_substr', args[0], args[1]);
  const p = params(args[4], name);
  const group = args[5] ?? num(p.extract ? 1 : 0);
  const all = fn('regexp_extract_all', fromPosition(args[0], args[2]), p.pattern(args[1]), group, str(p.options));
  return fn('list_extract', all, args[3] ?? num(1));
};

const regexpReplace: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2, 6);
  const occurrence = literalInt(args[4], 0, `${name.toUpperCase()} occurrence`);
  if (occurrence > 1) throw unsupported(`${name.toUpperCase()} of one occurrence other than the first`);
  const p = params(args[5], name);
  // Snowflake replaces every occurrence by default (0); DuckDB only the first unless 'g'.
  const options = p.options + (occurrence === 0 ? 'g' : '');
  const replaced = fn('regexp_replace', fromPosition(args[0], args[3]), p.pattern(args[1]), args[2] ?? str(''), str(options));
  if (args[3] === undefined) return replaced;
  // The text before the position is kept as is.
  const head = fn('substr', structuredClone(args[0]), num(1), fn('greatest', { sub: { left: structuredClone(args[3]), right: num(1), left_comments: [], operator_comments: [], trailing_comments: [] } }, num(0)));
  return concatOp(head, replaced);
};

const regexpCount: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2, 4);
  const p = params(args[3], name);
  return fn('length', fn('regexp_extract_all', fromPosition(args[0], args[2]), p.pattern(args[1]), num(0), str(p.options)));
};

export const REGEXP_FUNCTIONS: Record<string, FunctionTranslator> = {
  regexp_like: regexpLike,
  rlike: regexpLike,
  regexp_substr: regexpSubstr,
  regexp_replace: regexpReplace,
  regexp_count: regexpCount,
};
