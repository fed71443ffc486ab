/**
 * Expression Language functions (NiFi names and semantics). Values flow between calls untyped, as NiFi
 * does: strings by default, numbers/booleans/dates where a function produces them.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FloeError } from '../../core/errors.js';
import { formatDate, parseDate } from './date-format.js';
import { javaUrlEncode } from './url-encode.js';

export type ElValue = string | number | boolean | Date | null | undefined;
type Fn = (subject: ElValue, args: ElValue[]) => ElValue;

const str = (v: ElValue): string => (v === null || v === undefined ? '' : v instanceof Date ? String(v.getTime()) : String(v));
const num = (v: ElValue): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Number(str(v)));
const bool = (v: ElValue): boolean => v === true || str(v).toLowerCase() === 'true';
const arg = (args: ElValue[], i: number, fn: string): ElValue => {
  if (i >= args.length) throw new FloeError('FLOW', `expression function ${fn}() expects at least ${i + 1} argument(s)`);
  return args[i];
};
/** Java regex → JS: the common syntax is shared; possessive quantifiers and \A/\Z are not supported. */
const regex = (v: ElValue, flags = ''): RegExp => new RegExp(str(v), flags);

function before(s: string, sep: string, last: boolean): string {
  const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
  return i < 0 ? s : s.slice(0, i);
}
function after(s: string, sep: string, last: boolean): string {
  const i = last ? s.lastIndexOf(sep) : s.indexOf(sep);
  return i < 0 ? s : s.slice(i + sep.length);
}

const FUNCTIONS: Record<string, Fn> = {
  // strings
  toUpper: (s) => str(s).toUpperCase(),
  toLower: (s) => str(s).toLowerCase(),
  trim: (s) => str(s).trim(),
  length: (s) => str(s).length,
  substring: (s, a) => {
    const t = str(s);
    const end = a.length > 1 ? num(a[1]) : t.length;
    return t.slice(num(arg(a, 0, 'substring')), end);
  },
  substringBefore: (s, a) => before(str(s), str(arg(a, 0, 'substringBefore')), false),
  substringBeforeLast: (s, a) => before(str(s), str(arg(a, 0, 'substringBeforeLast')), true),
  substringAfter: (s, a) => after(str(s), str(arg(a, 0, 'substringAfter')), false),
  substringAfterLast: (s, a) => after(str(s), str(arg(a, 0, 'substringAfterLast')), true),
  append: (s, a) => str(s) + str(arg(a, 0, 'append')),
  prepend: (s, a) => str(arg(a, 0, 'prepend')) + str(s),
  replace: (s, a) => str(s).split(str(arg(a, 0, 'replace'))).join(str(arg(a, 1, 'replace'))),
  replaceAll: (s, a) => str(s).replace(regex(arg(a, 0, 'replaceAll'), 'g'), str(arg(a, 1, 'replaceAll')).replace(/\$(\d)/g, '$$$1')),
  replaceFirst: (s, a) => str(s).replace(regex(arg(a, 0, 'replaceFirst')), str(arg(a, 1, 'replaceFirst'))),
  replaceNull: (s, a) => (s === null || s === undefined ? arg(a, 0, 'replaceNull') : s),
  replaceEmpty: (s, a) => (str(s).trim() === '' ? arg(a, 0, 'replaceEmpty') : s),
  padLeft: (s, a) => str(s).padStart(num(arg(a, 0, 'padLeft')), a.length > 1 ? str(a[1]) : '_'),
  padRight: (s, a) => str(s).padEnd(num(arg(a, 0, 'padRight')), a.length > 1 ? str(a[1]) : '_'),
  urlEncode: (s) => javaUrlEncode(str(s)),
  urlDecode: (s) => decodeURIComponent(str(s).replace(/\+/g, ' ')),
  escapeJson: (s) => JSON.stringify(str(s)).slice(1, -1),
  // predicates
  isNull: (s) => s === null || s === undefined,
  notNull: (s) => s !== null && s !== undefined,
  isEmpty: (s) => str(s).trim() === '',
  equals: (s, a) => str(s) === str(arg(a, 0, 'equals')),
  equalsIgnoreCase: (s, a) => str(s).toLowerCase() === str(arg(a, 0, 'equalsIgnoreCase')).toLowerCase(),
  contains: (s, a) => str(s).includes(str(arg(a, 0, 'contains'))),
  startsWith: (s, a) => str(s).startsWith(str(arg(a, 0, 'startsWith'))),
  endsWith: (s, a) => str(s).endsWith(str(arg(a, 0, 'endsWith'))),
  matches: (s, a) => new RegExp(`^(?:${str(arg(a, 0, 'matches'))})$`, 's').test(str(s)),
  find: (s, a) => regex(arg(a, 0, 'find')).test(str(s)),
  in: (s, a) => a.some((x) => str(x) === str(s)),
  gt: (s, a) => num(s) > num(arg(a, 0, 'gt')),
  ge: (s, a) => num(s) >= num(arg(a, 0, 'ge')),
  lt: (s, a) => num(s) < num(arg(a, 0, 'lt')),
  le: (s, a) => num(s) <= num(arg(a, 0, 'le')),
  not: (s) => !bool(s),
  and: (s, a) => bool(s) && bool(arg(a, 0, 'and')),
  or: (s, a) => bool(s) || bool(arg(a, 0, 'or')),
  ifElse: (s, a) => (bool(s) ? arg(a, 0, 'ifElse') : arg(a, 1, 'ifElse')),
  // numbers
  toNumber: (s) => Math.trunc(num(s)),
  toDecimal: (s) => num(s),
  plus: (s, a) => num(s) + num(arg(a, 0, 'plus')),
  minus: (s, a) => num(s) - num(arg(a, 0, 'minus')),
  multiply: (s, a) => num(s) * num(arg(a, 0, 'multiply')),
  divide: (s, a) => {
    const r = num(s) / num(arg(a, 0, 'divide'));
    return Number.isInteger(num(s)) && Number.isInteger(num(a[0])) ? Math.trunc(r) : r;
  },
  mod: (s, a) => num(s) % num(arg(a, 0, 'mod')),
  toString: (s: ElValue) => str(s),
  // dates
  format: (s, a) => {
    const d = s instanceof Date ? s : new Date(num(s));
    return formatDate(d, str(arg(a, 0, 'format')), a.length > 1 ? str(a[1]) : undefined);
  },
  toDate: (s, a) =>
    a.length === 0 ? new Date(num(s)) : parseDate(str(s), str(a[0]), a.length > 1 ? str(a[1]) : undefined),
};

const SUBJECTLESS: Record<string, (args: ElValue[], now: () => Date) => ElValue> = {
  now: (_a, now) => now(),
  UUID: () => randomUUID(),
  hostname: () => hostname(),
  literal: (a) => arg(a, 0, 'literal'),
  nextInt: () => nextInt++,
  random: () => Math.floor(Math.random() * Number.MAX_SAFE_INTEGER),
};
let nextInt = 0;

export const hasFunction = (name: string): boolean => Object.hasOwn(FUNCTIONS, name);
export const isSubjectless = (name: string): boolean => Object.hasOwn(SUBJECTLESS, name);

export function callFunction(name: string, subject: ElValue, args: ElValue[]): ElValue {
  const fn = FUNCTIONS[name];
  if (!fn || !hasFunction(name)) throw new FloeError('FLOW', `unknown expression function '${name}'`);
  return fn(subject, args);
}

export function callSubjectless(name: string, args: ElValue[], now: () => Date): ElValue {
  return SUBJECTLESS[name]!(args, now);
}

/** Names for the docs (docs/flow.md lists them). */
export const EL_FUNCTION_NAMES = [...Object.keys(SUBJECTLESS).map((n) => `${n}()`), ...Object.keys(FUNCTIONS)];
