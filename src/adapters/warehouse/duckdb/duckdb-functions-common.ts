/** Conditional, comparison, string, hashing and aggregate functions. */
import { compilationError, unsupported } from '../../../core/errors.js';
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, concatOp, fn, isNumberLiteral, num, raw, str, type FunctionTranslator,
} from './duckdb-expr-build.js';

export const coalesce = (args: AstNode[]): AstNode => ({ coalesce: { expressions: args } });
export const nullSafeEq = (left: AstNode, right: AstNode): AstNode => ({
  null_safe_eq: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});
const clone = <T>(n: T): T => structuredClone(n);

/** DECODE(e, s1, r1, …, [default]) compares with NULL-safe equality, as Snowflake does. */
function decode(args: AstNode[], name: string): AstNode {
  if (args.length < 3) arity(name, args, 3);
  const e = args[0];
  const pairs = args.slice(1);
  let result: AstNode = pairs.length % 2 === 1 ? (pairs.pop() as AstNode) : { null: null };
  for (let i = pairs.length - 2; i >= 0; i -= 2) {
    result = fn('floe_decode_step', i === 0 ? e : clone(e), pairs[i], pairs[i + 1], result);
  }
  return result;
}

const nullPropagating = (macro: string): FunctionTranslator => (args, _ctx, name) => {
  if (args.length < 1) arity(name, args, 1);
  return args.slice(1).reduce((acc, a) => fn(macro, acc, a), args[0]);
};

/** HASH: type-aware, never NULL, signed 64-bit (values differ from Snowflake's unpublished algorithm). */
export function hash(args: AstNode[], name: string): AstNode {
  if (args.length === 0) arity(name, args, 1);
  if (args.length === 1 && nodeKind(args[0]) === 'star') {
    if (args[0].star?.table) throw unsupported('HASH(<table>.*)');
    return fn('floe_hash_signed', fn('hash', raw('*COLUMNS(*)')));
  }
  return fn('floe_hash_signed', fn('hash', ...args.map((a) => fn('floe_hash_norm', a))));
}

/** SHA2 / SHA2_HEX(x [, bits]): 256 is DuckDB's own; 224, 384 and 512 come from the floe_sha2 UDF. */
const sha2: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 1, 2);
  const bits = args[1] === undefined ? '256' : isNumberLiteral(args[1]) ? String(args[1].literal.value) : undefined;
  if (bits === undefined) throw unsupported(`${name.toUpperCase()} with a digest size that is not a literal`);
  if (!['224', '256', '384', '512'].includes(bits)) {
    throw compilationError(`Invalid digest size for ${name.toUpperCase()}: ${bits}. Valid digest sizes are 224, 256, 384, 512.`);
  }
  const text = castTo(args[0], 'VARCHAR');
  return bits === '256' ? fn('sha256', text) : fn('floe_sha2', text, num(Number(bits)));
};

/** The *_BINARY digests are the hex digests' bytes. */
const binaryOf = (hex: FunctionTranslator): FunctionTranslator => (args, ctx, name) => fn('unhex', hex(args, ctx, name));

const rename = (duckName: string, min: number, max = min): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, min, max);
  return fn(duckName, ...args);
};

/** LISTAGG([DISTINCT] x [, sep]) [WITHIN GROUP (ORDER BY …)] → string_agg; Snowflake's default separator is ''. */
export function listAgg(body: AstNode, orderBy: AstNode[] | null): AstNode {
  return {
    string_agg: {
      this: castTo(body.this, 'VARCHAR'),
      separator: body.separator ?? str(''),
      order_by: orderBy,
      distinct: Boolean(body.distinct),
      filter: null,
      limit: null,
    },
  };
}

/** CHARINDEX(sub, s [, start]) / POSITION(sub, s [, start]). */
export function position(sub: AstNode, s: AstNode, start: AstNode | undefined, name: string): AstNode {
  if (sub === undefined || s === undefined) arity(name, [sub, s].filter((a) => a !== undefined), 2, 3);
  return start === undefined ? fn('instr', s, sub) : fn('floe_charindex', sub, s, start);
}

// Snowflake's default INITCAP delimiters: whitespace and ! ? @ " ^ # $ & ~ _ , . : ; + - * % / | \ [ ] ( ) { } < >
const INITCAP_DELIMITERS = ' \t\n\r\f\v!?@"^#$&~_,.:;+-*%/|\\[](){}<>';

export function initcap(args: AstNode[], name: string): AstNode {
  arity(name, args, 1, 2);
  return fn('floe_initcap', castTo(args[0], 'VARCHAR'), args[1] ?? str(INITCAP_DELIMITERS));
}

export const COMMON_FUNCTIONS: Record<string, FunctionTranslator> = {
  iff: (args, _ctx, name) => (arity(name, args, 3), fn('if', ...args)),
  nvl: (args, _ctx, name) => (arity(name, args, 2), coalesce(args)),
  ifnull: (args, _ctx, name) => (arity(name, args, 2), coalesce(args)),
  nvl2: (args, _ctx, name) => (arity(name, args, 3), fn('floe_nvl2', ...args)),
  zeroifnull: (args, _ctx, name) => (arity(name, args, 1), coalesce([args[0], num(0)])),
  nullifzero: (args, _ctx, name) => (arity(name, args, 1), fn('nullif', args[0], num(0))),
  div0: (args, _ctx, name) => (arity(name, args, 2), fn('if', { eq: { left: args[1], right: num(0), left_comments: [], operator_comments: [], trailing_comments: [] } }, num(0), fn('floe_div', clone(args[0]), clone(args[1])))),
  decode: (args, _ctx, name) => decode(args, name),
  equal_null: (args, _ctx, name) => (arity(name, args, 2), nullSafeEq(args[0], args[1])),
  greatest: nullPropagating('floe_greatest'),
  least: nullPropagating('floe_least'),
  // Snowflake's CONCAT is NULL when any argument is NULL, like `||` (DuckDB's concat skips NULLs).
  concat: (args, _ctx, name) => {
    if (args.length === 0) arity(name, args, 1);
    return args.slice(1).reduce((acc, a) => concatOp(acc, a), castTo(args[0], 'VARCHAR'));
  },
  hash: (args, _ctx, name) => hash(args, name),
  md5: rename('md5', 1),
  md5_hex: rename('md5', 1),
  sha1: rename('sha1', 1),
  sha1_hex: rename('sha1', 1),
  sha2: sha2,
  sha2_hex: sha2,
  sha2_binary: binaryOf(sha2),
  sha1_binary: binaryOf(rename('sha1', 1)),
  md5_binary: binaryOf(rename('md5', 1)),
  uuid_string: (args, _ctx, name) => {
    arity(name, args, 0, 2);
    if (args.length === 1) arity(name, args, 2);
    if (args.length === 2) return fn('floe_uuid_v5', castTo(args[0], 'VARCHAR'), castTo(args[1], 'VARCHAR'));
    return castTo(fn('uuid'), 'VARCHAR');
  },
  split_part: rename('floe_split_part', 3),
  len: rename('length', 1),
  length: rename('length', 1),
  startswith: rename('starts_with', 2),
  endswith: rename('ends_with', 2),
  contains: rename('contains', 2),
  charindex: (args, _ctx, name) => position(args[0], args[1], args[2], name),
  initcap: (args, _ctx, name) => initcap(args, name),
  // CONCAT_WS(sep, a, …) is NULL when any argument is NULL, like CONCAT.
  concat_ws: (args, _ctx, name) => {
    if (args.length < 2) arity(name, args, 2);
    const [sep, ...parts] = args;
    return parts.slice(1).reduce((acc, a) => concatOp(concatOp(acc, clone(sep)), a), castTo(parts[0], 'VARCHAR'));
  },
  listagg: (args, _ctx, name) => (arity(name, args, 1, 2), listAgg({ this: args[0], separator: args[1] }, null)),
  booland_agg: rename('bool_and', 1),
  boolor_agg: rename('bool_or', 1),
  square: (args, _ctx, name) => (arity(name, args, 1), fn('pow', args[0], num(2))),
};
