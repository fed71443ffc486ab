/**
 * Node builders and argument readers shared by the DuckDB expression translators. Every builder keeps
 * argument subtrees as nodes (never as printed text) so that later passes (identifier normalization)
 * still see the columns inside them.
 */
import { compilationError, unsupported } from '../../../core/errors.js';
import { make, nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';

export interface ExpressionContext {
  /** What plain `TIMESTAMP` means (Snowflake's TIMESTAMP_TYPE_MAPPING, default TIMESTAMP_NTZ). */
  timestampTypeMapping?: 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';
}

export type FunctionTranslator = (args: AstNode[], ctx: ExpressionContext, name: string) => AstNode;

export const fn = (name: string, ...args: AstNode[]): AstNode => make.func(name, args);
export const str = (value: string): AstNode => make.string(value);
export const num = (value: number | string): AstNode => make.number(value);
export const raw = (sql: string): AstNode => make.raw(sql);
export const nullNode = (): AstNode => ({ null: null });

/** A session macro the translated SQL calls (run on every connection, duckdb-macros.ts). */
export const tempMacro = (signature: string, body: string): string => `CREATE OR REPLACE TEMP MACRO ${signature} AS ${body}`;

/** CAST(x AS <duckdb type text>). */
export const castTo = (x: AstNode, duckType: string, tryCast = false): AstNode => ({
  [tryCast ? 'try_cast' : 'cast']: {
    this: x,
    to: { data_type: 'custom', name: duckType },
    trailing_comments: [],
    double_colon_syntax: false,
    format: null,
    default: null,
  },
});

/** The `||` operator node (polyglot calls it `concat`). */
export const concatOp = (left: AstNode, right: AstNode): AstNode => ({
  concat: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});

export const isStringLiteral = (n: AstNode | undefined): boolean =>
  nodeKind(n) === 'literal' && n?.literal.literal_type === 'string';
export const isNumberLiteral = (n: AstNode | undefined): boolean =>
  nodeKind(n) === 'literal' && n?.literal.literal_type === 'number';
export const isNullLiteral = (n: AstNode | undefined): boolean => nodeKind(n) === 'null';

/** The text of a string literal argument, or `unsupported` naming what needed a literal. */
export function literalText(n: AstNode | undefined, what: string): string {
  if (isStringLiteral(n)) return String(n?.literal.value);
  throw unsupported(`${what} that is not a string literal`);
}

export function arity(name: string, args: AstNode[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw compilationError(
      `error line 0 at position 0\nInvalid argument count for function ${name.toUpperCase()}: expected ${expected}, got ${args.length}`,
    );
  }
}

/**
 * A bare word argument (a date part or a keyword). Polyglot hands it over as a `var`, a `column`
 * (unqualified, unquoted) or — when the user quoted it — a string literal.
 */
export function wordArg(n: AstNode | undefined): string | undefined {
  switch (nodeKind(n)) {
    case 'var':
      return String(n?.var.this);
    case 'column':
      return n?.column.table ? undefined : String(n?.column.name?.name);
    case 'identifier':
      return String(n?.identifier.name);
    case 'literal':
      return n?.literal.literal_type === 'string' ? String(n.literal.value) : undefined;
    default:
      return undefined;
  }
}

export type DatePart =
  | 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond'
  | 'nanosecond' | 'dayofweek' | 'dayofweekiso' | 'dayofyear' | 'weekiso' | 'yearofweek' | 'yearofweekiso'
  | 'epoch_second' | 'epoch_millisecond' | 'epoch_microsecond' | 'epoch_nanosecond' | 'timezone_hour' | 'timezone_minute';

// Snowflake's documented abbreviations and variations of each date/time part.
const PART_ALIASES: Record<DatePart, string[]> = {
  year: ['year', 'y', 'yy', 'yyy', 'yyyy', 'yr', 'years', 'yrs'],
  quarter: ['quarter', 'q', 'qtr', 'qtrs', 'quarters'],
  month: ['month', 'mm', 'mon', 'mons', 'months'],
  week: ['week', 'w', 'wk', 'weekofyear', 'woy', 'wy', 'weeks'],
  day: ['day', 'd', 'dd', 'days', 'dayofmonth'],
  hour: ['hour', 'h', 'hh', 'hr', 'hours', 'hrs'],
  minute: ['minute', 'm', 'mi', 'min', 'minutes', 'mins'],
  second: ['second', 's', 'sec', 'seconds', 'secs'],
  millisecond: ['millisecond', 'ms', 'msec', 'milliseconds'],
  microsecond: ['microsecond', 'us', 'usec', 'microseconds'],
  nanosecond: ['nanosecond', 'ns', 'nsec', 'nanosec', 'nsecond', 'nanoseconds', 'nanosecs', 'nseconds'],
  dayofweek: ['dayofweek', 'weekday', 'dow', 'dw'],
  dayofweekiso: ['dayofweekiso', 'weekday_iso', 'dow_iso', 'dw_iso'],
  dayofyear: ['dayofyear', 'yearday', 'doy', 'dy'],
  weekiso: ['weekiso', 'week_iso', 'weekofyeariso', 'weekofyear_iso'],
  yearofweek: ['yearofweek'],
  yearofweekiso: ['yearofweekiso'],
  epoch_second: ['epoch_second', 'epoch', 'epoch_seconds'],
  epoch_millisecond: ['epoch_millisecond', 'epoch_milliseconds'],
  epoch_microsecond: ['epoch_microsecond', 'epoch_microseconds'],
  epoch_nanosecond: ['epoch_nanosecond', 'epoch_nanoseconds'],
  timezone_hour: ['timezone_hour', 'tzh'],
  timezone_minute: ['timezone_minute', 'tzm'],
};
const PART_BY_ALIAS = new Map<string, DatePart>(
  (Object.entries(PART_ALIASES) as [DatePart, string[]][]).flatMap(([part, names]) => names.map((n) => [n, part])),
);

/** Resolve a date/time part argument to its canonical Snowflake name. */
export function datePartArg(n: AstNode | undefined, fnName: string): DatePart {
  const word = wordArg(n);
  const part = word === undefined ? undefined : PART_BY_ALIAS.get(word.toLowerCase());
  if (!part) {
    if (word === undefined) throw unsupported(`${fnName.toUpperCase()} with a date part that is not a literal`);
    throw compilationError(`Invalid date/time part '${word}' for function ${fnName.toUpperCase()}.`);
  }
  return part;
}

/** A string literal used where a date/time value is expected is a TIMESTAMP in Snowflake's DATEADD & co. */
export const temporalArg = (n: AstNode): AstNode => (isStringLiteral(n) ? castTo(n, 'TIMESTAMP') : n);
