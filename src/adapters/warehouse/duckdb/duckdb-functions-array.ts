/**
 * ARRAY_* / OBJECT_* helpers on VARIANT values (JSON in DuckDB): arrays are handled as JSON[] lists,
 * objects with DuckDB's JSON functions. Results are VARIANTs.
 */
import type { AstNode } from '../../../sql/ast/ast-node.js';
import { arity, castTo, fn, nullNode, raw, type FunctionTranslator } from './duckdb-expr-build.js';
import { markVariant } from './duckdb-functions-variant.js';

const asList = (a: AstNode): AstNode => castTo(castTo(a, 'JSON'), 'JSON[]');
const variant = (list: AstNode): AstNode => markVariant(fn('to_json', list));

export const arrayAppend = (a: AstNode, v: AstNode): AstNode => variant(fn('list_append', asList(a), fn('to_json', v)));
export const arrayPrepend = (a: AstNode, v: AstNode): AstNode => variant(fn('list_prepend', fn('to_json', v), asList(a)));
/** ARRAY_COMPACT drops SQL and JSON nulls. */
export const arrayCompact = (a: AstNode): AstNode => variant(fn('list_filter', asList(a), raw("floe_e -> json_type(floe_e) <> 'NULL'")));

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

