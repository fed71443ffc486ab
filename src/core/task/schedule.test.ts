import { describe, expect, it } from 'vitest';
import { nextRunAfter, parseSchedule } from './schedule.js';

const at = (iso: string): number => Date.parse(iso);

describe('parseSchedule (TV-3)', () => {
  it.each(['10 SECONDS', '1 MINUTE', '1 MINUTES', '1 M', '11520 MINUTES', '192 HOURS', '691200 SECONDS', '5 minutes'])('accepts %s', (t) => {
    expect(parseSchedule(t).kind).toBe('interval');
  });
  it.each(['9 SECONDS', '11521 MINUTES', '0 MINUTES', '193 HOURS', 'soon', '5 DAYS'])('rejects %s', (t) => {
    expect(() => parseSchedule(t)).toThrow(/Invalid value \['.*'\] for parameter 'SCHEDULE'/);
  });
  it('parses cron with a time zone and rejects bad zones or fields', () => {
    expect(parseSchedule('USING CRON 0 9 * * MON-FRI America/Los_Angeles')).toMatchObject({ kind: 'cron', timeZone: 'America/Los_Angeles' });
    expect(() => parseSchedule('USING CRON 0 9 * * * Mars/Base')).toThrow(/unknown time zone/);
    expect(() => parseSchedule('USING CRON 0 9 * * UTC')).toThrow(/expected USING CRON/);
  });
});

describe('nextRunAfter', () => {
  it('TV-2: intervals count from the resume time', () => {
    const s = parseSchedule('10 MINUTES');
    const base = at('2026-01-05T09:03:00Z');
    expect(nextRunAfter(s, base, base)).toBe(at('2026-01-05T09:13:00Z'));
    expect(nextRunAfter(s, at('2026-01-05T09:13:00Z'), base)).toBe(at('2026-01-05T09:23:00Z'));
    expect(nextRunAfter(s, at('2026-01-05T09:40:00Z'), base)).toBe(at('2026-01-05T09:43:00Z'));
  });
  it('TV-4: last day of month, dom OR dow, steps, next midnight', () => {
    expect(nextRunAfter(parseSchedule('USING CRON 0 0 L * * UTC'), at('2026-02-10T00:00:00Z'), 0)).toBe(at('2026-02-28T00:00:00Z'));
    // 10-20 OR Tue/Thu: from Sat 2026-01-03 the next is Tue 2026-01-06 (not the 10th).
    expect(nextRunAfter(parseSchedule('USING CRON 0 0 10-20 * TUE,THU UTC'), at('2026-01-03T12:00:00Z'), 0)).toBe(at('2026-01-06T00:00:00Z'));
    expect(nextRunAfter(parseSchedule('USING CRON 0/5 * * * * UTC'), at('2026-01-03T12:01:00Z'), 0)).toBe(at('2026-01-03T12:05:00Z'));
    expect(nextRunAfter(parseSchedule('USING CRON 0 0 * * * UTC'), at('2026-01-03T00:00:05Z'), 0)).toBe(at('2026-01-04T00:00:00Z'));
  });
  it('cron follows the time zone across DST (2 am local does not exist on the spring-forward day)', () => {
    const s = parseSchedule('USING CRON 30 2 * * * America/New_York');
    // 2026-03-08 is the US spring-forward day: 02:30 local does not exist, so that day's run is skipped.
    expect(nextRunAfter(s, at('2026-03-07T08:00:00Z'), 0)).toBe(at('2026-03-09T06:30:00Z'));
    expect(nextRunAfter(s, at('2026-03-10T00:00:00Z'), 0)).toBe(at('2026-03-10T06:30:00Z'));
    // Winter time: 02:30 EST = 07:30 UTC.
    expect(nextRunAfter(s, at('2026-01-10T00:00:00Z'), 0)).toBe(at('2026-01-10T07:30:00Z'));
  });
});
