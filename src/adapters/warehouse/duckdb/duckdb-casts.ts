/** `::`, CAST, TRY_CAST and the TO_<type> conversion functions. */
import { unsupported } from '../../../core/errors.js';
import { parseSfType, type SfType } from '../../../core/types/snowflake-type.js';
import { printDataType } from '../../../sql/ast/polyglot.js';
import type { AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, concatOp, fn, isNumberLiteral, isStringLiteral, literalText, str, type ExpressionContext, type FunctionTranslator,
} from './duckdb-expr-build.js';
import { duckDbTypeFor } from './duckdb-types.js';
import { isVariantNode, markVariant } from './duckdb-functions-variant.js';
import { OFFSET_MARK, snowflakeTimeFormatToDuckDb } from './duckdb-time-format.js';
import { formatNumber, parseNumber, parseNumberFormat } from './duckdb-number-format.js';

/** The Snowflake type a cast node targets, with TIMESTAMP resolved through TIMESTAMP_TYPE_MAPPING. */
export function castTargetType(dataType: AstNode, ctx: ExpressionContext): SfType {
  const text = dataType.data_type === 'custom' ? String(dataType.name) : printDataType(dataType);
  const t = parseSfType(text);
  if (t.kind === 'TIMESTAMP_NTZ' && /^\s*TIMESTAMP\s*(\(\s*\d+\s*\))?\s*$/i.test(text) && ctx.timestampTypeMapping) {
    return { kind: ctx.timestampTypeMapping, precision: t.precision };
  }
  return t;
}

/** Convert x to a Snowflake type with Snowflake's conversion rules. */
export function convert(x: AstNode, t: SfType, tryCast: boolean): AstNode {
  const prefix = tryCast ? 'floe_try_' : 'floe_';
  // A VARIANT holding a string converts from the string itself, not from its quoted JSON text.
  const src = isVariantNode(x) && !['VARCHAR', 'VARIANT', 'OBJECT', 'ARRAY'].includes(t.kind) ? fn('floe_json_text', x) : x;
  switch (t.kind) {
    case 'VARCHAR':
      return fn('floe_to_varchar', x);
    case 'VARIANT':
    case 'ARRAY':
    case 'OBJECT':
      return isVariantNode(x) ? x : markVariant(fn('to_json', x));
    case 'BOOLEAN':
      return fn(`${prefix}to_boolean`, src);
    case 'BINARY':
      return fn(`${prefix}to_binary`, src);
    case 'TIMESTAMP_NTZ':
      return fn(`${prefix}to_timestamp_ntz`, src);
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return fn(`${prefix}to_timestamp_ltz`, src);
    default:
      return castTo(src, duckDbTypeFor(t), tryCast);
  }
}

export function translateCast(body: AstNode, ctx: ExpressionContext, tryCast: boolean): AstNode {
  if (body.format) throw unsupported('CAST ... FORMAT');
  return convert(body.this, castTargetType(body.to, ctx), tryCast);
}

/** TO_NUMBER(x [, format] [, precision [, scale]]) — NUMBER(38,0) by default, rounding half away from zero. */
export function toNumber(x: AstNode, rest: AstNode[], tryCast: boolean, name = 'TO_NUMBER'): AstNode {
  let format: string | undefined;
  if (rest.length > 0 && isStringLiteral(rest[0])) format = literalText(rest.shift(), `${name} format`);
  const intArg = (n: AstNode | undefined, dflt: number) => {
    if (n === undefined) return dflt;
    if (!isNumberLiteral(n)) throw unsupported('TO_NUMBER with a precision or scale that is not a literal');
    return Number(n.literal.value);
  };
  const precision = intArg(rest[0], 38);
  const scale = intArg(rest[1], 0);
  if (format !== undefined) {
    const f = parseNumberFormat(format);
    if (!f) throw unsupported(`${name} format '${format}'`);
    return parseNumber(isVariantNode(x) ? fn('floe_json_text', x) : x, f, precision, scale, tryCast);
  }
  const t = parseSfType(`NUMBER(${precision},${scale})`);
  return convert(x, t, tryCast);
}

/** TO_VARCHAR / TO_CHAR with an optional datetime format. */
const toVarchar: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 1, 2);
  if (args.length === 1) return fn('floe_to_varchar', args[0]);
  const format = literalText(args[1], `${name.toUpperCase()} format`);
  const numeric = parseNumberFormat(format);
  if (numeric) return formatNumber(args[0], numeric);
  const pattern = snowflakeTimeFormatToDuckDb(format);
  // Strings are parsed as timestamps first, as Snowflake does for TO_CHAR(<string>, <format>).
  const x = isStringLiteral(args[0]) ? castTo(args[0], 'TIMESTAMP') : args[0];
  // Offset elements come back as marked names between the strftime pieces.
  const pieces = pattern.split(OFFSET_MARK);
  const parts = pieces.flatMap((p, i): AstNode[] => {
    if (i % 2 === 0) return p === '' ? [] : [fn('strftime', i === 0 ? x : structuredClone(x), str(p))];
    return [fn(OFFSET_MACROS[p], structuredClone(x))];
  });
  if (parts.length === 0) return str('');
  return parts.slice(1).reduce((acc, p) => concatOp(acc, p), parts[0]);
};

const OFFSET_MACROS: Record<string, string> = {
  TZHTZM: 'floe_tz_offset',
  'TZH:TZM': 'floe_tz_offset_colon',
  TZH: 'floe_tz_offset_hours',
  TZM: 'floe_tz_offset_minutes',
};

const convertTo = (typeText: string, tryCast: boolean): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, 1);
  return convert(args[0], parseSfType(typeText), tryCast);
};

export const CONVERSION_FUNCTIONS: Record<string, FunctionTranslator> = {
  to_varchar: toVarchar,
  to_char: toVarchar,
  to_number: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), false, name.toUpperCase())),
  to_decimal: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), false, name.toUpperCase())),
  to_numeric: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), false, name.toUpperCase())),
  try_to_number: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), true, name.toUpperCase())),
  try_to_decimal: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), true, name.toUpperCase())),
  try_to_numeric: (args, _ctx, name) => (arity(name, args, 1, 4), toNumber(args[0], args.slice(1), true, name.toUpperCase())),
  to_double: convertTo('FLOAT', false),
  try_to_double: convertTo('FLOAT', true),
  to_boolean: convertTo('BOOLEAN', false),
  try_to_boolean: convertTo('BOOLEAN', true),
  to_binary: convertTo('BINARY', false),
  try_to_binary: convertTo('BINARY', true),
};
