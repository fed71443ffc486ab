/**
 * Snowflake → DuckDB expression translation over the polyglot AST, in place. Only expressions change:
 * identifiers keep their case and quoting (normalized later by the statement layer), and statement
 * structure, table references and DDL column names are left alone.
 */
import { compilationError, unsupported } from '../../../core/errors.js';
import { nodeKind, transform, type AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, datePartArg, fn, isNumberLiteral, isStringLiteral, wordArg, type ExpressionContext, type FunctionTranslator,
} from './duckdb-expr-build.js';
import { CONVERSION_FUNCTIONS, toNumber, translateCast } from './duckdb-casts.js';
import { COMMON_FUNCTIONS, coalesce, initcap, listAgg, position } from './duckdb-functions-common.js';
import { DATETIME_FUNCTIONS, dateDiff, extractPart, lastDay, nextDay } from './duckdb-functions-datetime.js';
import {
  VARIANT_FUNCTIONS, getElement, isVariantNode, markVariant, jsonExtract, parseJson, snowflakePathToJsonPath,
} from './duckdb-functions-variant.js';
import { translateArithmetic, typedAvg } from './duckdb-arithmetic.js';
import { translateFlatten } from './duckdb-flatten.js';
import { ARRAY_FUNCTIONS, ARRAY_NODE_TRANSLATORS } from './duckdb-functions-array.js';
import { REGEXP_FUNCTIONS, regexpLike } from './duckdb-functions-regexp.js';
import { MORE_FUNCTIONS, arrayContains, ratioToReport } from './duckdb-functions-more.js';
import { random, randWithSeed, uniform } from './duckdb-functions-random.js';
import { BEFORE_WINDOWS, refuseSeqIn, seq, translateGenerator } from './duckdb-generator.js';
import { foldDerivedTableAlias } from './duckdb-derived-table.js';
import { KNOWN_UNSUPPORTED, PASS_THROUGH, STATEMENT_LAYER } from './duckdb-function-names.js';

export type { ExpressionContext } from './duckdb-expr-build.js';

const FUNCTIONS: Record<string, FunctionTranslator> = {
  ...COMMON_FUNCTIONS,
  ...MORE_FUNCTIONS,
  ...REGEXP_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...VARIANT_FUNCTIONS,
  uniform,
  seq1: seq(1),
  seq2: seq(2),
  seq4: seq(4),
  seq8: seq(8),
};

const wordNode = (word: string): AstNode => ({ var: { this: word } });

/** Node kinds polyglot gives dedicated shapes to, when their printed Snowflake form is not DuckDB's. */
const NODE_TRANSLATORS: Record<string, (body: AstNode, ctx: ExpressionContext) => AstNode | undefined> = {
  if_func: (b) => {
    const args = [b.condition, b.true_value, b.false_value].filter((a) => a !== null && a !== undefined);
    arity(String(b.original_name ?? 'IFF'), args, 3);
    return fn('if', ...args);
  },
  nvl: (b) => coalesce([b.this, b.expression]),
  nvl2: (b) => fn('floe_nvl2', b.this, b.true_value, b.false_value),
  date_diff: (b) => dateDiff(wordNode(String(b.unit ?? 'day')), b.expression, b.this, 'DATEDIFF'),
  last_day: (b) => lastDay(b.this, b.unit ? wordNode(String(b.unit)) : undefined),
  to_number: (b) =>
    toNumber(b.this, [b.format, b.precision, b.scale].filter((x) => x), Boolean(b.safe?.boolean?.value)),
  cast: (b, ctx) => translateCast(b, ctx, false),
  try_cast: (b, ctx) => translateCast(b, ctx, true),
  safe_cast: (b, ctx) => translateCast(b, ctx, true),
  j_s_o_n_extract: (b) => {
    if (!isStringLiteral(b.expression)) throw unsupported('semi-structured path that is not a literal');
    return jsonExtract(b.this, snowflakePathToJsonPath(String(b.expression.literal.value)));
  },
  subscript: (b) => getElement(b.this, b.index),
  parse_json: (b) => parseJson(b.this),
  array_size: (b) => fn('floe_array_size', b.this),
  typeof: (b) => fn('floe_typeof', b.this),
  within_group: (b) => {
    // Children are translated first: the LISTAGG inside is already a string_agg.
    if (nodeKind(b.this) === 'string_agg') {
      b.this.string_agg.order_by = b.order_by;
      return b.this;
    }
    throw unsupported(`${nodeKind(b.this)?.toUpperCase() ?? 'aggregate'} WITHIN GROUP`);
  },
  list_agg: (b) => listAgg(b, null),
  array_agg: (b) => {
    const inner = fn('array_agg', b.this);
    inner.function.distinct = Boolean(b.distinct);
    return markVariant(fn('floe_array_agg_finish', inner));
  },
  regexp_like: (b, ctx) => regexpLike([b.this, b.pattern, ...(b.flags ? [b.flags] : [])], ctx, 'regexp_like'),
  ends_with: (b) => fn('ends_with', b.this, b.expression),
  starts_with: (b) => fn('starts_with', b.this, b.expression),
  day_of_week_iso: (b) => extractPart('dayofweekiso', b.this),
  week_of_year: (b) => fn('weekofyear', b.this),
  str_position: (b) => {
    if (b.occurrence) throw unsupported('POSITION with an occurrence');
    return position(b.substr, b.this, b.position ?? undefined, 'POSITION');
  },
  initcap: (b) => initcap([b.this], 'INITCAP'),
  add_months: (b, ctx) => MORE_FUNCTIONS.add_months([b.this, b.expression], ctx, 'add_months'),
  months_between: (b, ctx) => MORE_FUNCTIONS.months_between([b.this, b.expression], ctx, 'months_between'),
  array_contains: (b) => arrayContains(b.this, b.expression),
  random: () => random(),
  rand: (b) => randWithSeed(b),
  ...ARRAY_NODE_TRANSLATORS,
  next_day: (b) => nextDay(b.this, b.expression, 'NEXT_DAY', 1),
  aggregate_function: (b, ctx) => translateFunction(b, ctx),
  extract: (b) => {
    const field: string | undefined = typeof b.field === 'string' ? b.field : b.field?.Custom ?? wordArg(b.field);
    if (field === undefined) throw unsupported('EXTRACT with this date part');
    if (STANDARD_EXTRACT_FIELDS.has(field.toLowerCase())) return undefined;
    return extractPart(datePartArg(wordNode(field), 'EXTRACT'), b.this);
  },
};

/** Dedicated node kinds for Snowflake functions floe does not translate. */
const UNSUPPORTED_NODES = new Set([
  'array_cat', 'array_distinct', 'array_slice', 'array_to_string', 'object_keys',
  'convert_timezone', 'base64_encode', 'base64_decode', 'hex_encode', 'strtok', 'editdistance', 'soundex',
]);

const STANDARD_EXTRACT_FIELDS = new Set(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second']);

const COMPARISONS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte']);

/**
 * Snowflake compares a VARIANT with a literal by the VARIANT's value (`v:status = 'x'` matches the JSON
 * string "x"); DuckDB would compare the JSON text. Unwrap the variant side when the other is a literal.
 */
function unwrapVariantComparison(body: AstNode): void {
  for (const [side, other] of [['left', 'right'], ['right', 'left']] as const) {
    if (!isVariantNode(body[side])) continue;
    const o = body[other];
    if (isStringLiteral(o)) body[side] = fn('floe_json_text', body[side]);
    else if (isNumberLiteral(o)) body[side] = castTo(fn('floe_json_text', body[side]), 'DOUBLE');
    else if (nodeKind(o) === 'boolean') body[side] = fn('floe_to_boolean', body[side]);
  }
}

/**
 * One walk before the rewrite: function nodes that are table functions (FROM TABLE(...), LATERAL FLATTEN) belong to
 * the statement layer, and SEQn must not sit in a clause evaluated before window functions (a subquery's own select
 * list there may use it).
 */
function prescan(root: unknown, skip: WeakSet<object>): void {
  const visit = (v: unknown, clause: string | undefined): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => visit(x, clause));
    const obj = v as AstNode;
    const kind = nodeKind(obj);
    refuseSeqIn(obj, clause);
    if (kind === 'function' && String(obj.function.name).toLowerCase() === 'table') {
      skip.add(obj);
      for (const a of obj.function.args ?? []) if (nodeKind(a) === 'function') skip.add(a);
    }
    if (kind === 'lateral' && nodeKind(obj.lateral.this) === 'function') skip.add(obj.lateral.this);
    for (const [key, child] of Object.entries(obj)) {
      if (kind === 'select' && key === 'select') for (const [k, c] of Object.entries(child as AstNode)) visit(c, BEFORE_WINDOWS[k]);
      else visit(child, kind === 'select' ? undefined : clause);
    }
  };
  visit(root, undefined);
}

function translateFunction(body: AstNode, ctx: ExpressionContext): AstNode | undefined {
  const name = String(body.name);
  const lower = name.toLowerCase();
  const args: AstNode[] = body.args ?? [];
  if (body.quoted || lower.includes('$') || lower.includes('.') || STATEMENT_LAYER.has(lower)) return undefined;
  const translator = FUNCTIONS[lower];
  if (translator) {
    if (body.distinct && lower !== 'listagg') throw unsupported(`${name.toUpperCase()}(DISTINCT …)`);
    const out = translator(args, ctx, lower);
    if (body.distinct && nodeKind(out) === 'string_agg') out.string_agg.distinct = true;
    return out;
  }
  if (PASS_THROUGH.has(lower)) return undefined;
  if (KNOWN_UNSUPPORTED.has(lower)) throw unsupported(`function ${name.toUpperCase()}`);
  throw compilationError(`Unknown function ${name.toUpperCase()}`);
}

/** Rewrites every Snowflake expression construct inside a parsed statement into DuckDB-valid nodes, in place. */
export function rewriteExpressions(statementAst: AstNode, ctx: ExpressionContext = {}): void {
  const skip = new WeakSet<object>();
  prescan(statementAst, skip);
  transform(statementAst, (node, kind, parent, key) => {
    const flattened = kind === 'lateral' || kind === 'alias' || kind === 'function'
      ? (foldDerivedTableAlias(node, kind) ?? translateFlatten(node, kind) ?? translateGenerator(node, kind))
      : undefined;
    if (flattened) return flattened;
    if (skip.has(node)) return undefined;
    if (kind === 'avg') {
      const inWindow = key === 'this' && parent !== null && typeof parent === 'object' && 'over' in (parent as AstNode);
      if (inWindow) return undefined; // typed at the window_function node
      return typedAvg(node, node.avg.this, false);
    }
    if (kind === 'window_function') {
      const inner = node.window_function.this;
      if (nodeKind(inner) === 'avg') return typedAvg(node, inner.avg.this, true);
      const ratio = ratioToReport(node);
      if (ratio) return ratio;
    }
    const arithmetic = translateArithmetic(kind, node[kind]);
    if (arithmetic) return arithmetic;
    if (kind === 'function') return translateFunction(node.function, ctx);
    if (COMPARISONS.has(kind)) {
      unwrapVariantComparison(node[kind]);
      return undefined;
    }
    if (UNSUPPORTED_NODES.has(kind)) throw unsupported(`function ${kind.toUpperCase()}`);
    const translator = NODE_TRANSLATORS[kind];
    return translator ? translator(node[kind], ctx) : undefined;
  });
}
