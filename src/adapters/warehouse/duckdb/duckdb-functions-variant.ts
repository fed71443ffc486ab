/**
 * Semi-structured values: VARIANT/OBJECT/ARRAY are DuckDB JSON. Nodes that produce JSON are remembered so
 * that casts and comparisons around them can unwrap JSON strings the way Snowflake does.
 */
import { unsupported } from '../../../core/errors.js';
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, fn, isNumberLiteral, isStringLiteral, raw, str, type FunctionTranslator,
} from './duckdb-expr-build.js';

const variantNodes = new WeakSet<object>();

export function markVariant(node: AstNode): AstNode {
  variantNodes.add(node);
  return node;
}

export function isVariantNode(node: AstNode | undefined): boolean {
  if (node === undefined || node === null) return false;
  if (nodeKind(node) === 'paren') return isVariantNode(node.paren.this);
  return variantNodes.has(node);
}

const jsonKey = (key: string) => `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Snowflake path (`a.b[0]`, `"Mixed Case".x`, `a['k']`) → JSONPath (`$."a"."b"[0]`). Keys are quoted so
 * that every character is literal.
 */
export function snowflakePathToJsonPath(path: string): string {
  let out = '$';
  let i = 0;
  const fail = () => unsupported(`semi-structured path '${path}'`);
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      i++;
      continue;
    }
    if (ch === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw fail();
      const inner = path.slice(i + 1, end).trim();
      if (/^\d+$/.test(inner)) out += `[${inner}]`;
      else if (/^'.*'$/.test(inner) || /^".*"$/.test(inner)) out += `.${jsonKey(inner.slice(1, -1))}`;
      else throw fail();
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      const end = path.indexOf('"', i + 1);
      if (end < 0) throw fail();
      out += `.${jsonKey(path.slice(i + 1, end))}`;
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
    out += `.${jsonKey(path.slice(i, end))}`;
    i = end;
  }
  return out;
}

export const jsonExtract = (value: AstNode, jsonPath: string): AstNode =>
  markVariant(fn('json_extract', castTo(value, 'JSON'), str(jsonPath)));

/** GET / subscript with a key: a string literal is an object key, a number literal an array index. */
export function getElement(value: AstNode, key: AstNode): AstNode {
  if (isStringLiteral(key)) return jsonExtract(value, `$.${jsonKey(String(key.literal.value))}`);
  if (isNumberLiteral(key) && /^\d+$/.test(String(key.literal.value))) {
    return jsonExtract(value, `$[${key.literal.value}]`);
  }
  return markVariant(fn('floe_get', value, key));
}

export function getPath(value: AstNode, path: AstNode): AstNode {
  if (!isStringLiteral(path)) throw unsupported('GET_PATH with a path that is not a string literal');
  return jsonExtract(value, snowflakePathToJsonPath(String(path.literal.value)));
}

export const parseJson = (s: AstNode): AstNode => markVariant(castTo(s, 'JSON'));

function objectConstruct(args: AstNode[], keepNull: boolean, name: string): AstNode {
  if (args.length === 1 && nodeKind(args[0]) === 'star') {
    if (args[0].star?.table) throw unsupported(`${name.toUpperCase()}(<table>.*)`);
    // Every column of the FROM clause, keyed by its name; OBJECT_CONSTRUCT drops the NULL ones.
    const row = fn('to_json', fn('struct_pack', raw('*COLUMNS(*)')));
    return markVariant(keepNull ? row : fn('floe_object_from_row', row));
  }
  if (args.length % 2 !== 0) arity(name, args, args.length + 1);
  if (keepNull) return markVariant(fn('json_object', ...args));
  const entries: AstNode[] = [];
  for (let i = 0; i < args.length; i += 2) entries.push(fn('floe_object_entry', args[i], args[i + 1]));
  return markVariant(fn('floe_object_from_entries', fn('list_value', ...entries)));
}

export const VARIANT_FUNCTIONS: Record<string, FunctionTranslator> = {
  parse_json: (args, _ctx, name) => (arity(name, args, 1), parseJson(args[0])),
  try_parse_json: (args, _ctx, name) => (arity(name, args, 1), markVariant(fn('floe_try_parse_json', args[0]))),
  to_variant: (args, _ctx, name) => (arity(name, args, 1), markVariant(fn('to_json', args[0]))),
  to_object: (args, _ctx, name) => (arity(name, args, 1), markVariant(castTo(args[0], 'JSON'))),
  to_array: (args, _ctx, name) => (arity(name, args, 1), markVariant(fn('to_json', args[0]))),
  object_construct: (args, _ctx, name) => objectConstruct(args, false, name),
  object_construct_keep_null: (args, _ctx, name) => objectConstruct(args, true, name),
  array_construct: (args) => markVariant(fn('json_array', ...args)),
  array_size: (args, _ctx, name) => (arity(name, args, 1), fn('floe_array_size', args[0])),
  get: (args, _ctx, name) => (arity(name, args, 2), getElement(args[0], args[1])),
  get_path: (args, _ctx, name) => (arity(name, args, 2), getPath(args[0], args[1])),
  split: (args, _ctx, name) => (arity(name, args, 2), markVariant(fn('to_json', fn('string_split', args[0], args[1])))),
  array_agg: (args, _ctx, name) => (arity(name, args, 1), markVariant(fn('floe_array_agg_finish', fn('array_agg', args[0])))),
  typeof: (args, _ctx, name) => (arity(name, args, 1), fn('floe_typeof', args[0])),
  is_null_value: (args, _ctx, name) => (arity(name, args, 1), {
    eq: { left: fn('json_type', castTo(args[0], 'JSON')), right: str('NULL'), left_comments: [], operator_comments: [], trailing_comments: [] },
  }),
};
