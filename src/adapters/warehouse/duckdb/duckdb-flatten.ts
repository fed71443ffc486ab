/**
 * LATERAL FLATTEN / TABLE(FLATTEN(…)) → a lateral subquery over DuckDB's json_each with Snowflake's
 * output columns SEQ, KEY, PATH, INDEX, VALUE, THIS. OUTER => TRUE adds the one all-NULL row Snowflake
 * emits for an empty or NULL input. SEQ is derived from the input value (unique per distinct input; equal
 * inputs of different rows share it — Snowflake only promises uniqueness per input record).
 */
import { unsupported } from '../../../core/errors.js';
import { nodeKind, transform, type AstNode, type Ident } from '../../../sql/ast/ast-node.js';
import { parseSnowflake } from '../../../sql/ast/polyglot.js';
import { castTo, fn, isStringLiteral, str, wordArg } from './duckdb-expr-build.js';
import { derivedTable } from './duckdb-derived-table.js';
import { isVariantNode } from './duckdb-functions-variant.js';

const PLACEHOLDER = '__floe_flatten_this__';

function template(prefix: string, outer: boolean): string {
  const pathOf = `CASE WHEN starts_with(e.fullkey, '$.') THEN '${prefix}${prefix ? '.' : ''}' || substr(e.fullkey, 3) ELSE '${prefix}' || substr(e.fullkey, 2) END`;
  const seq = `floe_hash_signed(hash(CAST(${PLACEHOLDER} AS VARCHAR)))`;
  const rows = `SELECT ${seq} AS SEQ, CASE WHEN json_type(${PLACEHOLDER}) = 'OBJECT' THEN e.key END AS KEY, ${pathOf} AS PATH,
    CASE WHEN json_type(${PLACEHOLDER}) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS INDEX, e.value AS VALUE, ${PLACEHOLDER} AS THIS
    FROM json_each(${PLACEHOLDER}) AS e`;
  const empty = `SELECT ${seq}, NULL, NULL, NULL, CAST(NULL AS JSON), ${PLACEHOLDER}
    WHERE ${PLACEHOLDER} IS NULL OR json_type(${PLACEHOLDER}) NOT IN ('ARRAY', 'OBJECT')
      OR (json_type(${PLACEHOLDER}) = 'ARRAY' AND json_array_length(${PLACEHOLDER}) = 0)
      OR (json_type(${PLACEHOLDER}) = 'OBJECT' AND json_keys(${PLACEHOLDER}) = [])`;
  return `SELECT * FROM t, LATERAL (${rows}${outer ? ` UNION ALL ${empty}` : ''}) AS flatten_alias`;
}

const isFlatten = (n: AstNode | undefined): boolean =>
  nodeKind(n) === 'function' && String(n?.function.name).toLowerCase() === 'flatten';

function flattenArgs(call: AstNode): { input: AstNode; path: string; outer: boolean } {
  let input: AstNode | undefined;
  let path = '';
  let outer = false;
  (call.function.args as AstNode[]).forEach((a, i) => {
    if (nodeKind(a) !== 'named_argument') {
      if (i === 0) input = a;
      else throw unsupported('FLATTEN with positional arguments after INPUT');
      return;
    }
    const name = String(a.named_argument.name.name).toLowerCase();
    const v = a.named_argument.value;
    if (name === 'input') input = v;
    else if (name === 'path') {
      if (!isStringLiteral(v)) throw unsupported('FLATTEN with a PATH that is not a string literal');
      path = String(v.literal.value);
    } else if (name === 'outer') outer = nodeKind(v) === 'boolean' && Boolean(v.boolean.value);
    else if (name === 'recursive') {
      if (nodeKind(v) !== 'boolean' || v.boolean.value) throw unsupported('FLATTEN with RECURSIVE => TRUE');
    } else if (name === 'mode') {
      if (String(wordArg(v)).toUpperCase() !== 'BOTH') throw unsupported(`FLATTEN with MODE => ${String(wordArg(v))}`);
    } else throw unsupported(`FLATTEN argument ${name.toUpperCase()}`);
  });
  if (!input) throw unsupported('FLATTEN without INPUT');
  return { input, path, outer };
}

/** The lateral subquery replacing a FLATTEN table function (its arguments already translated). */
function flattenSubquery(call: AstNode, alias: Ident | undefined): AstNode {
  const { input, path, outer } = flattenArgs(call);
  if (/['\\]/.test(path)) throw unsupported(`FLATTEN PATH '${path}'`);
  const jsonPath = path === '' ? undefined : '$' + path.split('.').map((p) => p.replace(/^([^[]+)/, '."$1"')).join('');
  const json = isVariantNode(input) ? input : castTo(input, 'JSON');
  const thisNode = jsonPath ? fn('json_extract', json, str(jsonPath)) : json;
  const [stmt] = parseSnowflake(template(path, outer));
  const sub = stmt.select.from.expressions[1] as AstNode;
  transform(sub, (node, kind) => {
    if (kind === 'column' && node.column.name?.name === PLACEHOLDER) return structuredClone(thisNode);
    return undefined;
  });
  return derivedTable(sub, alias ?? { name: 'FLATTEN', quoted: false });
}

/** `LATERAL FLATTEN(…) [alias]` or `TABLE(FLATTEN(…))` (its alias: duckdb-derived-table.ts), else undefined. */
export function translateFlatten(node: AstNode, kind: string): AstNode | undefined {
  if (kind === 'lateral' && isFlatten(node.lateral.this)) {
    const a = node.lateral.alias;
    return flattenSubquery(node.lateral.this, typeof a === 'string' ? { name: a, quoted: false } : a ?? undefined);
  }
  if (kind === 'function' && String(node.function.name).toLowerCase() === 'table' && isFlatten(node.function.args?.[0])) {
    return flattenSubquery(node.function.args[0], undefined);
  }
  return undefined;
}
