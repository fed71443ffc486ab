/** Date/time functions: DATEADD & co, DATEDIFF, DATE_TRUNC, LAST_DAY, TO_DATE/TO_TIMESTAMP*, current time. */
import { compilationError, unsupported } from '../../../core/errors.js';
import type { AstNode } from '../../../sql/ast/ast-node.js';
import {
  arity, castTo, datePartArg, fn, isNumberLiteral, isStringLiteral, literalText, num, raw, str, temporalArg,
  type DatePart, type ExpressionContext, type FunctionTranslator,
} from './duckdb-expr-build.js';
import { snowflakeTimeFormatToDuckDb } from './duckdb-time-format.js';

const binary = (kind: string, left: AstNode, right: AstNode): AstNode => ({
  [kind]: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});

// DuckDB interval constructors per Snowflake part, with the argument type each accepts.
const INTERVAL_OF: Partial<Record<DatePart, (n: AstNode) => AstNode>> = {
  year: (n) => fn('to_years', castTo(n, 'INTEGER')),
  quarter: (n) => fn('to_months', binary('mul', castTo(n, 'INTEGER'), num(3))),
  month: (n) => fn('to_months', castTo(n, 'INTEGER')),
  week: (n) => fn('to_weeks', castTo(n, 'INTEGER')),
  day: (n) => fn('to_days', castTo(n, 'INTEGER')),
  hour: (n) => fn('to_hours', castTo(n, 'BIGINT')),
  minute: (n) => fn('to_minutes', castTo(n, 'BIGINT')),
  second: (n) => fn('to_seconds', castTo(n, 'DOUBLE')),
  millisecond: (n) => fn('to_milliseconds', castTo(n, 'DOUBLE')),
  microsecond: (n) => fn('to_microseconds', castTo(n, 'BIGINT')),
};
const DATE_PARTS = new Set<DatePart>(['year', 'quarter', 'month', 'week', 'day']);

/** DATEADD(part, n, x) / TIMEADD / TIMESTAMPADD: the result keeps x's type for date parts (DATE stays DATE). */
const dateAdd: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 3);
  const part = datePartArg(args[0], name);
  const interval = INTERVAL_OF[part];
  if (!interval) throw unsupported(`${name.toUpperCase()} with date part ${part}`);
  const x = temporalArg(args[2]);
  const sum = binary('add', x, interval(args[1]));
  return DATE_PARTS.has(part) ? fn('cast_to_type', sum, x) : sum;
};

const DIFF_PARTS = new Set<DatePart>(['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond']);

/** DATEDIFF counts part boundaries crossed between the two values, like DuckDB's date_diff (except weeks). */
export function dateDiff(partNode: AstNode | undefined, a: AstNode, b: AstNode, name: string): AstNode {
  const part = datePartArg(partNode, name);
  const x = temporalArg(a);
  const y = temporalArg(b);
  if (part === 'week') return fn('floe_datediff_week', x, y);
  if (!DIFF_PARTS.has(part)) throw unsupported(`${name.toUpperCase()} with date part ${part}`);
  return fn('date_diff', str(part), x, y);
}

const TRUNC_PARTS = new Set<DatePart>(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond']);

/** DATE_TRUNC keeps the input type in Snowflake; DuckDB turns a DATE into a TIMESTAMP. */
const dateTrunc: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2);
  const part = datePartArg(args[0], name);
  if (!TRUNC_PARTS.has(part)) throw unsupported(`DATE_TRUNC with date part ${part}`);
  const x = temporalArg(args[1]);
  return fn('cast_to_type', fn('date_trunc', str(part), x), x);
};

export function lastDay(d: AstNode, partNode: AstNode | undefined): AstNode {
  const part = partNode === undefined ? 'month' : datePartArg(partNode, 'LAST_DAY');
  const x = castTo(temporalArg(d), 'DATE');
  switch (part) {
    case 'month':
      return fn('last_day', x);
    case 'year':
    case 'quarter':
    case 'week':
      return fn(`floe_last_day_${part}`, x);
    default:
      throw compilationError(`Invalid date/time part '${part}' for function LAST_DAY.`);
  }
}

const datePartFn: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 2);
  return extractPart(datePartArg(args[0], name), args[1]);
};

// DuckDB's names for the parts Snowflake can extract.
const EXTRACT_AS: Partial<Record<DatePart, string>> = {
  year: 'year', quarter: 'quarter', month: 'month', week: 'week', day: 'day', hour: 'hour', minute: 'minute',
  second: 'second', millisecond: 'millisecond', microsecond: 'microsecond', dayofweek: 'dow', dayofweekiso: 'isodow',
  dayofyear: 'doy', weekiso: 'week', yearofweekiso: 'isoyear', yearofweek: 'isoyear', epoch_second: 'epoch',
  epoch_millisecond: 'epoch_ms', epoch_microsecond: 'epoch_us', epoch_nanosecond: 'epoch_ns',
  timezone_hour: 'timezone_hour', timezone_minute: 'timezone_minute',
};

export function extractPart(part: DatePart, x: AstNode): AstNode {
  // Snowflake returns only the whole seconds for SECOND; DuckDB's includes no fraction either for `second`.
  const duck = EXTRACT_AS[part];
  if (!duck) throw unsupported(`date part ${part}`);
  const value = fn('date_part', str(duck), temporalArg(x));
  return part === 'epoch_second' ? castTo(value, 'BIGINT') : value;
}

function withFormat(x: AstNode, format: AstNode, duckType: string, tryCast: boolean, name: string): AstNode {
  const pattern = snowflakeTimeFormatToDuckDb(literalText(format, `${name.toUpperCase()} format`), { parse: true });
  const parsed = fn(tryCast ? 'try_strptime' : 'strptime', castTo(x, 'VARCHAR'), str(pattern));
  return castTo(parsed, duckType);
}

const toDate = (tryCast: boolean): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, 1, 2);
  if (args.length === 2) return withFormat(args[0], args[1], 'DATE', tryCast, name);
  if (isNumberLiteral(args[0])) {
    return castTo(fn('floe_to_timestamp_ntz', args[0]), 'DATE');
  }
  return castTo(args[0], 'DATE', tryCast);
};

type TsKind = 'NTZ' | 'LTZ' | 'TZ';
const mappedKind = (ctx: ExpressionContext): TsKind =>
  ctx.timestampTypeMapping === 'TIMESTAMP_LTZ' ? 'LTZ' : ctx.timestampTypeMapping === 'TIMESTAMP_TZ' ? 'TZ' : 'NTZ';

const toTimestamp = (kind: TsKind | 'MAPPED', tryCast: boolean): FunctionTranslator => (args, ctx, name) => {
  arity(name, args, 1, 2);
  const k = kind === 'MAPPED' ? mappedKind(ctx) : kind;
  const duckType = k === 'NTZ' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
  const macroBase = k === 'NTZ' ? 'to_timestamp_ntz' : 'to_timestamp_ltz';
  if (args.length === 2) {
    if (isStringLiteral(args[1])) return withFormat(args[0], args[1], duckType, tryCast, name);
    if (!isNumberLiteral(args[1])) throw unsupported(`${name.toUpperCase()} with a format or scale that is not a literal`);
    // TO_TIMESTAMP(number, scale): the number counts 10^-scale seconds.
    const scaled = binary('div', castTo(args[0], 'DOUBLE'), fn('pow', num(10), args[1]));
    return fn(`floe_${macroBase}`, scaled);
  }
  return fn(`floe_${tryCast ? 'try_' : ''}${macroBase}`, args[0]);
};

const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

/** NEXT_DAY / PREVIOUS_DAY(d, 'fr…'): the nearest later (earlier) date with that weekday, never d itself. */
export function nextDay(d: AstNode, day: AstNode, name: string, direction: 1 | -1): AstNode {
  const word = literalText(day, `${name.toUpperCase()} day of week`).trim().toLowerCase();
  const target = WEEKDAYS.indexOf(word.slice(0, 2)) + 1;
  if (target === 0) throw compilationError(`Invalid day of week '${word}' for function ${name.toUpperCase()}.`);
  const date = castTo(temporalArg(d), 'DATE');
  const dow = fn('isodow', structuredClone(date));
  // Days to move: 1…7, so a date already on that weekday moves a whole week.
  const steps = direction === 1
    ? fn('floe_weekday_steps', num(target), dow)
    : fn('floe_weekday_steps', dow, num(target));
  return binary(direction === 1 ? 'add' : 'sub', date, steps);
}

const precisionIgnored = (sql: string): FunctionTranslator => (args, _ctx, name) => {
  arity(name, args, 0, 1);
  return raw(sql);
};

export const DATETIME_FUNCTIONS: Record<string, FunctionTranslator> = {
  dateadd: dateAdd,
  timeadd: dateAdd,
  timestampadd: dateAdd,
  datediff: (args, _ctx, name) => (arity(name, args, 3), dateDiff(args[0], args[1], args[2], name)),
  timediff: (args, _ctx, name) => (arity(name, args, 3), dateDiff(args[0], args[1], args[2], name)),
  timestampdiff: (args, _ctx, name) => (arity(name, args, 3), dateDiff(args[0], args[1], args[2], name)),
  date_trunc: dateTrunc,
  last_day: (args, _ctx, name) => (arity(name, args, 1, 2), lastDay(args[0], args[1])),
  date_part: datePartFn,
  to_date: toDate(false),
  date: toDate(false),
  try_to_date: toDate(true),
  to_timestamp: toTimestamp('MAPPED', false),
  to_timestamp_ntz: toTimestamp('NTZ', false),
  to_timestamp_ltz: toTimestamp('LTZ', false),
  to_timestamp_tz: toTimestamp('TZ', false),
  try_to_timestamp: toTimestamp('MAPPED', true),
  try_to_timestamp_ntz: toTimestamp('NTZ', true),
  try_to_timestamp_ltz: toTimestamp('LTZ', true),
  try_to_timestamp_tz: toTimestamp('TZ', true),
  to_time: (args, _ctx, name) => {
    arity(name, args, 1, 2);
    return args.length === 2 ? withFormat(args[0], args[1], 'TIME', false, name) : castTo(args[0], 'TIME');
  },
  time: (args, _ctx, name) => (arity(name, args, 1), castTo(args[0], 'TIME')),
  try_to_time: (args, _ctx, name) => {
    arity(name, args, 1, 2);
    return args.length === 2 ? withFormat(args[0], args[1], 'TIME', true, name) : castTo(args[0], 'TIME', true);
  },
  next_day: (args, _ctx, name) => (arity(name, args, 2), nextDay(args[0], args[1], name, 1)),
  previous_day: (args, _ctx, name) => (arity(name, args, 2), nextDay(args[0], args[1], name, -1)),
  // CURRENT_TIMESTAMP & aliases are TIMESTAMP_LTZ; DuckDB rejects `current_timestamp()` with parentheses.
  current_timestamp: precisionIgnored('current_timestamp'),
  localtimestamp: precisionIgnored('current_timestamp'),
  systimestamp: precisionIgnored('current_timestamp'),
  getdate: precisionIgnored('current_timestamp'),
  current_date: precisionIgnored('current_date'),
  // Snowflake's CURRENT_TIME is a TIME in the session zone; DuckDB's carries a zone.
  current_time: precisionIgnored('CAST(CAST(current_timestamp AS TIMESTAMP) AS TIME)'),
  localtime: precisionIgnored('CAST(CAST(current_timestamp AS TIMESTAMP) AS TIME)'),
  sysdate: precisionIgnored("CAST(timezone('UTC', current_timestamp) AS TIMESTAMP)"),
  dayname: (args, _ctx, name) => (arity(name, args, 1), fn('strftime', temporalArg(args[0]), str('%a'))),
  monthname: (args, _ctx, name) => (arity(name, args, 1), fn('strftime', temporalArg(args[0]), str('%b'))),
  dayofweekiso: (args, _ctx, name) => (arity(name, args, 1), extractPart('dayofweekiso', args[0])),
  weekiso: (args, _ctx, name) => (arity(name, args, 1), extractPart('weekiso', args[0])),
  yearofweekiso: (args, _ctx, name) => (arity(name, args, 1), extractPart('yearofweekiso', args[0])),
  date_from_parts: (args, _ctx, name) => (arity(name, args, 3), fn('make_date', ...args.map((a) => castTo(a, 'BIGINT')))),
  timestamp_from_parts: (args, _ctx, name) => {
    arity(name, args, 6, 7);
    const seconds = args[6] === undefined ? castTo(args[5], 'DOUBLE')
      : binary('add', castTo(args[5], 'DOUBLE'), binary('div', castTo(args[6], 'DOUBLE'), num(1e9)));
    return fn('make_timestamp', ...args.slice(0, 5).map((a) => castTo(a, 'BIGINT')), seconds);
  },
};
