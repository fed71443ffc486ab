/**
 * Task schedules (reference §2.2): `'<n> SECONDS|MINUTES|HOURS'` (also singular and H/M/S; 10 s … 8 days) and
 * `'USING CRON <5-field expr> <IANA time zone>'` (L, /n, lists, ranges, names; day-of-month and day-of-week
 * are OR-ed, as in Snowflake). Pure: next run times are computed from a given instant.
 */
import { Cron } from 'croner';
import { compilationError } from '../errors.js';

export type TaskSchedule = { kind: 'interval'; ms: number; text: string } | { kind: 'cron'; expr: string; timeZone: string; text: string };

const UNITS: Record<string, { ms: number; max: number }> = {
  SECOND: { ms: 1000, max: 691_200 },
  MINUTE: { ms: 60_000, max: 11_520 },
  HOUR: { ms: 3_600_000, max: 192 },
};
const UNIT_ALIASES: Record<string, string> = { S: 'SECOND', SECONDS: 'SECOND', M: 'MINUTE', MINUTES: 'MINUTE', H: 'HOUR', HOURS: 'HOUR' };

const FIELD_MAX = [59, 23, 31, 12, 7];

const invalid = (text: string, why: string): Error =>
  compilationError(`Invalid value ['${text}'] for parameter 'SCHEDULE': ${why}`);

export function parseSchedule(text: string): TaskSchedule {
  const trimmed = text.trim();
  const cron = /^USING\s+CRON\s+(.+)$/i.exec(trimmed);
  if (cron) {
    const parts = cron[1].trim().split(/\s+/);
    if (parts.length !== 6) throw invalid(text, 'expected USING CRON <minute> <hour> <day of month> <month> <day of week> <time zone>');
    const timeZone = parts[5];
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      throw invalid(text, `unknown time zone '${timeZone}'`);
    }
    // Snowflake accepts `0/5` (start/step); croner wants a range there.
    const expr = parts
      .slice(0, 5)
      .map((f, i) => f.replace(/^(\d+)\/(\d+)$/, (_m, start: string, step: string) => `${start}-${FIELD_MAX[i]}/${step}`))
      .join(' ');
    try {
      new Cron(expr, { timezone: timeZone, paused: true });
    } catch (e) {
      throw invalid(text, `invalid cron expression (${(e as Error).message})`);
    }
    return { kind: 'cron', expr, timeZone, text: trimmed };
  }
  const m = /^(\d+)\s*([A-Za-z]+)$/.exec(trimmed);
  if (!m) throw invalid(text, "expected '<number> SECONDS|MINUTES|HOURS' or 'USING CRON <expr> <time zone>'");
  const word = m[2].toUpperCase();
  const unit = UNITS[word] ? word : UNIT_ALIASES[word];
  if (!unit) throw invalid(text, `unknown unit '${m[2]}'`);
  const n = Number(m[1]);
  const { ms, max } = UNITS[unit];
  if (n < 1 || n > max || n * ms < 10_000) {
    throw invalid(text, `the interval must be between 10 seconds and 8 days (${unit === 'SECOND' ? '10-691200 SECONDS' : unit === 'MINUTE' ? '1-11520 MINUTES' : '1-192 HOURS'})`);
  }
  return { kind: 'interval', ms: n * ms, text: trimmed };
}

/**
 * The next run strictly after `after`. Intervals count from `base` (the RESUME / SET SCHEDULE moment), so the
 * first run is base + interval and later ones keep that phase; cron runs never fall inside the minute of
 * `after` itself (resumed during a matching minute → the next occurrence).
 */
export function nextRunAfter(s: TaskSchedule, after: number, base: number): number {
  if (s.kind === 'interval') {
    if (after < base + s.ms) return base + s.ms;
    return base + (Math.floor((after - base) / s.ms) + 1) * s.ms;
  }
  const cron = new Cron(s.expr, { timezone: s.timeZone, paused: true });
  let from = new Date(after);
  // croner moves a wall-clock time that DST skips to the next valid minute; Snowflake skips that run.
  for (let i = 0; i < 10; i++) {
    const next = cron.nextRun(from);
    if (!next) break;
    if (cron.match(next)) return next.getTime();
    from = next;
  }
  throw compilationError(`SCHEDULE '${s.text}' has no future run time.`);
}
