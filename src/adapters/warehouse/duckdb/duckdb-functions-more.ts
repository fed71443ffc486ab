/**
 * Functions common in CDC / SCD scripts beyond the first set: time zone conversion, month arithmetic,
 * truncation, encodings, STRTOK, OBJECT_AGG, HASH_AGG, RATIO_TO_REPORT and ARRAY_CONTAINS.
 */
import { unsupported } from '../../../core/errors.js';
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, datePartArg, fn, isNumberLiteral, literalText, num, raw, str, temporalArg, tempMacro as macro, type FunctionTranslator,
} from './duckdb-expr-build.js';
import { markVariant } from './duckdb-functions-variant.js';

export const MORE_MACROS: readonly string[] = [
  // ADD_MONTHS: the last day of a month maps to the last day of the resulting month (Snowflake), the
  // time of day is kept, and the result has the input's type.
  macro(
    'floe_add_months(d, n)',
    `cast_to_type(CAST(CASE WHEN CAST(d AS DATE) = last_day(CAST(d AS DATE))
        THEN last_day(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)))
        ELSE CAST(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE) END AS TIMESTAMP)
      + (CAST(d AS TIMESTAMP) - CAST(CAST(d AS DATE) AS TIMESTAMP)), d)`,
  ),
  // MONTHS_BETWEEN: whole months when the days of month match or both are month ends, else the day
  // difference over 31-day months (time of day ignored), rounded to 6 decimals.
  macro(
    'floe_months_between(a, b)',
    `CAST(round(12 * (year(a) - year(b)) + (month(a) - month(b))
      + CASE WHEN day(a) = day(b) OR (CAST(a AS DATE) = last_day(CAST(a AS DATE)) AND CAST(b AS DATE) = last_day(CAST(b AS DATE)))
        THEN 0 ELSE (day(a) - day(b)) / 31.0 END, 6) AS DECIMAL(38,6))`,
  ),
  // ARRAY_SLICE positions (0-based from, exclusive to, negative from the end) → list_slice's 1-based inclusive ones.
  macro('floe_list_slice(l, f, t)', 'list_slice(l, CASE WHEN f >= 0 THEN f + 1 ELSE f END, CASE WHEN t >= 0 THEN t ELSE t - 1 END)'),
  // Days from ISO weekday b forward to weekday a: 1…7.
  macro('floe_weekday_steps(a, b)', 'CAST(1 + ((a - b + 6) % 7) AS INTEGER)'),
  // Rows with a NULL key or value are skipped.
  macro('floe_object_agg_entry(k, v)', 'CASE WHEN k IS NULL THEN NULL ELSE floe_object_entry(k, v) END'),
  // HASH_AGG: order-independent (sum of row hashes mod 2^64), 0 over no rows.
  macro(
    'floe_hash_agg_finish(s)',
    "floe_hash_signed(CAST(coalesce(s, 0) % CAST('18446744073709551616' AS HUGEINT) AS UBIGINT))",
  ),
];

/** CONVERT_TIMEZONE(src, tgt, ntz) → NTZ wall time in tgt; CONVERT_TIMEZONE(tgt, ts) → the same instant. */
const convertTimezone: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2, 3);
  if (args.length === 3) return fn('timezone', args[1], fn('timezone', args[0], castTo(temporalArg(args[2]), 'TIMESTAMP')));
  // The instant is kept; floe's TIMESTAMP_TZ shows it in the session time zone, not in the target one.
  return fn('floe_to_timestamp_ltz', args[1]);
};

/** TRUNC/TRUNCATE(number [, scale]) or TRUNC(date, part). */
const trunc: FunctionTranslator = (args, ctx, name) => {
  arity(name, args, 1, 2);
  if (args.length === 2 && !isNumberLiteral(args[1]) && nodeKind(args[1]) !== 'neg') {
    const part = datePartArg(args[1], name);
    const x = temporalArg(args[0]);
    return fn('cast_to_type', fn('date_trunc', str(part), x), structuredClone(x));
  }
  void ctx;
  return args.length === 1 ? fn('trunc', args[0]) : fn('trunc', args[0], castTo(args[1], 'INTEGER'));
};

/** STRTOK(s [, delimiters [, n]]): the n-th token between any of the delimiter characters. */
const strtok: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 1, 3);
  const delimiters = args[1] === undefined ? ' ' : literalText(args[1], `${name.toUpperCase()} delimiters`);
  const cls = delimiters === '' ? undefined : `[${delimiters.replace(/[\\\]^[-]/g, '\\$&')}]`;
  const tokens = cls === undefined
    ? fn('list_value', castTo(args[0], 'VARCHAR'))
    : fn('list_filter', fn('regexp_split_to_array', castTo(args[0], 'VARCHAR'), str(cls)), raw("floe_t -> floe_t <> ''"));
  return fn('list_extract', tokens, args[2] ?? num(1));
};

const wrap = (duckName: string, post?: string): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, 1);
  const inner = fn(duckName, args[0]);
  return post ? fn(post, inner) : inner;
};

export const MORE_FUNCTIONS: Record<string, FunctionTranslator> = {
  convert_timezone: convertTimezone,
  add_months: (args, _ctx, name) => (arity(name, args, 2), fn('floe_add_months', temporalArg(args[0]), args[1])),
  months_between: (args, _ctx, name) => (arity(name, args, 2), fn('floe_months_between', temporalArg(args[0]), temporalArg(args[1]))),
  trunc,
  truncate: trunc,
  base64_encode: (args, _ctx, name) => (arity(name, args, 1, 3), fn('to_base64', castTo(args[0], 'BLOB'))),
  base64_decode_string: (args, _ctx, name) => (arity(name, args, 1, 2), fn('decode', fn('from_base64', args[0]))),
  base64_decode_binary: (args, _ctx, name) => (arity(name, args, 1, 2), fn('from_base64', args[0])),
  hex_encode: (args, _ctx, name) => {
    arity(name, args, 1, 2);
    const hex = fn('hex', castTo(args[0], 'VARCHAR'));
    return args[1] !== undefined && isNumberLiteral(args[1]) && String(args[1].literal.value) === '0' ? fn('lower', hex) : hex;
  },
  hex_decode_string: wrap('unhex', 'decode'),
  hex_decode_binary: wrap('unhex'),
  strtok,
  object_agg: (args, _ctx, name) => {
    arity(name, args, 2);
    return markVariant(fn('floe_object_from_entries', fn('array_agg', fn('floe_object_agg_entry', args[0], args[1]))));
  },
  hash_agg: (args, _ctx, name) => {
    if (args.length === 0) arity(name, args, 1);
    if (args.length === 1 && nodeKind(args[0]) === 'star') {
      if (args[0].star?.table) throw unsupported('HASH_AGG(<table>.*)');
      return fn('floe_hash_agg_finish', fn('sum', castTo(fn('hash', raw('*COLUMNS(*)')), 'HUGEINT')));
    }
    return fn('floe_hash_agg_finish', fn('sum', castTo(fn('hash', ...args.map((a) => fn('floe_hash_norm', a))), 'HUGEINT')));
  },
  // Completed at the window node (see ratioToReport); without OVER it stays an unknown DuckDB function.
  ratio_to_report: (args, _ctx, name) => (arity(name, args, 1), fn('floe_ratio_to_report', args[0])),
  array_contains: (args, _ctx, name) => (arity(name, args, 2), arrayContains(args[0], args[1])),
};

export function arrayContains(value: AstNode, array: AstNode): AstNode {
  return fn('list_contains', castTo(castTo(array, 'JSON'), 'JSON[]'), fn('to_json', value));
}

/** RATIO_TO_REPORT(x) OVER (w) = x / SUM(x) OVER (w); NULL when the sum is 0. */
export function ratioToReport(windowNode: AstNode): AstNode | undefined {
  const w = windowNode.window_function;
  if (nodeKind(w.this) !== 'function' || w.this.function.name !== 'floe_ratio_to_report') return undefined;
  const x = w.this.function.args[0];
  const total = { window_function: { ...w, this: fn('sum', structuredClone(x)) } };
  return fn('floe_div', x, fn('nullif', total, num(0)));
}
