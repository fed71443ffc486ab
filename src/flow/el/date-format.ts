/**
 * Java SimpleDateFormat patterns, the subset NiFi users write in flows (`yyyy-MM-dd'T'HH:mm:ssZ`,
 * `yyyy/MM/dd`, `HH:mm:ss.SSS`, `EEE`, `X`): NiFi's `format()`/`toDate()` and ListFile's
 * `file.lastModifiedTime` use them, so floe renders them the same way.
 */
import { FloeError } from '../../core/errors.js';

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number; // east of UTC
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Splits a pattern into letter runs and literals (quoted with `'`, `''` = a quote). */
function tokenize(pattern: string): Array<{ letter: string; count: number } | { literal: string }> {
  const tokens: Array<{ letter: string; count: number } | { literal: string }> = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ literal: "'" });
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new FloeError('FLOW', `date format '${pattern}': unterminated quote`);
      tokens.push({ literal: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ letter: c, count: j - i });
      i = j;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

function partsFor(date: Date, timeZone: string | undefined): Parts {
  if (timeZone === undefined) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
      ms: date.getMilliseconds(),
      weekday: date.getDay(),
      offsetMinutes: -date.getTimezoneOffset(),
    };
  }
  const zone = timeZone === 'GMT' || timeZone === 'Z' ? 'UTC' : timeZone;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
  } catch {
    throw new FloeError('FLOW', `unknown time zone '${timeZone}'`);
  }
  const map = Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]));
  const p = {
    year: Number(map['year']),
    month: Number(map['month']),
    day: Number(map['day']),
    hour: Number(map['hour']),
    minute: Number(map['minute']),
    second: Number(map['second']),
    ms: date.getUTCMilliseconds(),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(map['weekday'] ?? ''),
    offsetMinutes: 0,
  };
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms);
  p.offsetMinutes = Math.round((asUtc - date.getTime()) / 60_000);
  return p;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function offset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

/** Formats `date` with a Java SimpleDateFormat pattern in `timeZone` (IANA name; default: local zone). */
export function formatDate(date: Date, pattern: string, timeZone?: string): string {
  const p = partsFor(date, timeZone);
  let out = '';
  for (const token of tokenize(pattern)) {
    if ('literal' in token) {
      out += token.literal;
      continue;
    }
    const n = token.count;
    switch (token.letter) {
      case 'y':
        out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
        break;
      case 'M':
        out += n >= 4 ? MONTH_NAMES[p.month - 1] : n === 3 ? MONTH_NAMES[p.month - 1]!.slice(0, 3) : pad(p.month, n);
        break;
      case 'd':
        out += pad(p.day, n);
        break;
      case 'H':
        out += pad(p.hour, n);
        break;
      case 'h':
        out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
        break;
      case 'a':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'm':
        out += pad(p.minute, n);
        break;
      case 's':
        out += pad(p.second, n);
        break;
      case 'S':
        out += pad(p.ms, 3).slice(0, Math.max(n, 3)).padEnd(n, '0');
        break;
      case 'E':
        out += n >= 4 ? DAY_NAMES[p.weekday] : DAY_NAMES[p.weekday]!.slice(0, 3);
        break;
      case 'Z':
        out += offset(p.offsetMinutes, false);
        break;
      case 'X':
        out += p.offsetMinutes === 0 ? 'Z' : n === 1 ? offset(p.offsetMinutes, false).slice(0, 3) : offset(p.offsetMinutes, n >= 3);
        break;
      case 'z':
        out += timeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
        break;
      default:
        throw new FloeError('FLOW', `date format '${pattern}': unsupported pattern letter '${token.letter}'`);
    }
  }
  return out;
}

/** Parses text written with a Java pattern (numeric fields, Z/X offsets); the inverse of formatDate. */
export function parseDate(text: string, pattern: string, timeZone?: string): Date {
  const fields: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let offsetMin: number | undefined;
  let pos = 0;
  const fail = (): never => {
    throw new FloeError('FLOW', `cannot parse '${text}' as a date with format '${pattern}'`);
  };
  for (const token of tokenize(pattern)) {
    if ('literal' in token) {
      if (!text.startsWith(token.literal, pos)) fail();
      pos += token.literal.length;
      continue;
    }
    if (token.letter === 'Z' || token.letter === 'X') {
      const m = /^(Z|[+-]\d\d:?\d\d|[+-]\d\d)/.exec(text.slice(pos));
      if (!m) return fail();
      const v = m[1]!;
      offsetMin = v === 'Z' ? 0 : (v[0] === '-' ? -1 : 1) * (Number(v.slice(1, 3)) * 60 + Number(v.replace(':', '').slice(3, 5) || 0));
      pos += v.length;
      continue;
    }
    if (!'yMdHmsS'.includes(token.letter)) fail();
    const m = (token.count > 1 ? new RegExp(`^\\d{${token.count}}`) : /^\d+/).exec(text.slice(pos));
    if (!m) return fail();
    fields[token.letter] = Number(m[0]);
    pos += m[0].length;
  }
  if (pos !== text.length) fail();
  const utc = Date.UTC(fields['y']!, fields['M']! - 1, fields['d']!, fields['H']!, fields['m']!, fields['s']!, fields['S']!);
  if (offsetMin !== undefined) return new Date(utc - offsetMin * 60_000);
  if (timeZone !== undefined) {
    const guess = new Date(utc);
    return new Date(utc - partsFor(guess, timeZone).offsetMinutes * 60_000);
  }
  return new Date(fields['y']!, fields['M']! - 1, fields['d']!, fields['H']!, fields['m']!, fields['s']!, fields['S']!);
}
