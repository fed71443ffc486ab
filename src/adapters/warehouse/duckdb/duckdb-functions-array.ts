/**
 * ARRAY_* / OBJECT_* helpers and the IS_* / AS_* type functions on VARIANT values (JSON in DuckDB): arrays
 * are handled as JSON[] lists, objects with DuckDB's JSON functions.
 */
import type { AstNode } from '../../../sql/ast/ast-node.js';
import { arity, castTo, fn, nullNode, raw, str, type FunctionTranslator } from './duckdb-expr-build.js';
import { markVariant } from './duckdb-functions-variant.js';

const asList = (a: AstNode): AstNode => castTo(castTo(a, 'JSON'), 'JSON[]');
const variant = (list: AstNode): AstNode => markVariant(fn('to_json', list));

export const arrayAppend = (a: AstNode, v: AstNode): AstNode => variant(fn('list_append', asList(a), fn('to_json', v)));
export const arrayPrepend = (a: AstNode, v: AstNode): AstNode => variant(fn('list_prepend', fn('to_json', v), asList(a)));
/** ARRAY_COMPACT drops SQL and JSON nulls. */
export const arrayCompact = (a: AstNode): AstNode => variant(fn('list_filter', asList(a), raw("floe_e -> json_type(floe_e) <> 'NULL'")));

const jsonType = (v: AstNode): AstNode => fn('json_type', castTo(v, 'JSON'));
const typeIn = (v: AstNode, types: string[]): AstNode => fn('list_contains', fn('list_value', ...types.map(str)), jsonType(v));
const NUMBER_TYPES = ['BIGINT', 'UBIGINT', 'DOUBLE'];

const isType = (types: string[]): FunctionTranslator => (args, _ctx, name) => (arity(name, args, 1), typeIn(args[0], types));
/** AS_<type>(v): the value when the VARIANT holds that type, else NULL. */
const asType = (types: string[], convert: (v: AstNode) => AstNode): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, 1);
  return fn('if', typeIn(args[0], types), convert(structuredClone(args[0])), nullNode());
};

export const ARRAY_FUNCTIONS: Record<string, FunctionTranslator> = {
  // Elements as text (strings without quotes); JSON null elements become empty strings.
  array_to_string: (args, _ctx, name) => {
    arity(name, args, 2);
    const texts = fn('list_transform', asList(args[0]), raw("floe_e -> coalesce(json_extract_string(floe_e, '$'), '')"));
    return fn('array_to_string', texts, args[1]);
  },
  array_append: (args, _ctx, name) => (arity(name, args, 2), arrayAppend(args[0], args[1])),
  array_prepend: (args, _ctx, name) => (arity(name, args, 2), arrayPrepend(args[0], args[1])),
  array_cat: (args, _ctx, name) => (arity(name, args, 2), variant(fn('list_concat', asList(args[0]), asList(args[1])))),
  array_compact: (args, _ctx, name) => (arity(name, args, 1), arrayCompact(args[0])),
  // Keys in the object's own order.
  object_keys: (args, _ctx, name) => (arity(name, args, 1), variant(fn('json_keys', castTo(args[0], 'JSON')))),
  // 0-based start, exclusive end, negative positions from the end.
  array_slice: (args, _ctx, name) => (arity(name, args, 3), variant(fn('floe_list_slice', asList(args[0]), args[1], args[2]))),
  is_array: isType(['ARRAY']),
  is_object: isType(['OBJECT']),
  is_varchar: isType(['VARCHAR']),
  is_char: isType(['VARCHAR']),
  is_boolean: isType(['BOOLEAN']),
  is_integer: isType(['BIGINT', 'UBIGINT']),
  is_double: isType(NUMBER_TYPES),
  is_real: isType(NUMBER_TYPES),
  as_varchar: asType(['VARCHAR'], (v) => fn('json_extract_string', castTo(v, 'JSON'), str('$'))),
  as_char: asType(['VARCHAR'], (v) => fn('json_extract_string', castTo(v, 'JSON'), str('$'))),
  as_integer: asType(['BIGINT', 'UBIGINT'], (v) => castTo(v, 'DECIMAL(38,0)')),
  as_double: asType(NUMBER_TYPES, (v) => castTo(v, 'DOUBLE')),
  as_real: asType(NUMBER_TYPES, (v) => castTo(v, 'DOUBLE')),
  as_boolean: asType(['BOOLEAN'], (v) => castTo(v, 'BOOLEAN')),
  as_array: asType(['ARRAY'], (v) => markVariant(castTo(v, 'JSON'))),
  as_object: asType(['OBJECT'], (v) => markVariant(castTo(v, 'JSON'))),
  // A JSON merge patch with `key: null` removes exactly the named top-level keys.
  object_delete: (args, _ctx, name) => {
    if (args.length < 2) arity(name, args, 2);
    const patch = fn('json_object', ...args.slice(1).flatMap((k) => [k, nullNode()]));
    return markVariant(fn('json_merge_patch', castTo(args[0], 'JSON'), patch));
  },
};

export const ARRAY_NODE_TRANSLATORS: Record<string, (b: AstNode) => AstNode> = {
  array_append: (b) => arrayAppend(b.this, b.expression),
  array_prepend: (b) => arrayPrepend(b.this, b.expression),
  array_compact: (b) => arrayCompact(b.this),
};

