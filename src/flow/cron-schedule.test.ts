import { describe, expect, it } from 'vitest';
import { nifiCron } from './cron-schedule.js';

/** The next `n` fire times after `from`, as local `new Date(…)` arguments would give them. */
const next = (expression: string, from: Date, n = 3): number[] => nifiCron(expression).nextRuns(n, from).map((d) => d.getTime());
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('nifiCron (NiFi 2 / Spring cron on croner)', () => {
  const from = new Date(2026, 0, 5, 10, 2, 30); // Monday 5 January 2026, 10:02:30 local time

  it('reads increments with a start value (0/15, 5/15) as Spring does', () => {
    expect(next('0 0/15 * * * ?', from)).toEqual([local(2026, 1, 5, 10, 15), local(2026, 1, 5, 10, 30), local(2026, 1, 5, 10, 45)]);
    expect(next('0 5/15 * * * ?', from)).toEqual([local(2026, 1, 5, 10, 5), local(2026, 1, 5, 10, 20), local(2026, 1, 5, 10, 35)]);
  });

  it('fires only when day-of-month and day-of-week both match, when both are given', () => {
    // The 1st of a month that is a Monday (croner's default would fire every Monday and every 1st).
    expect(next('0 0 12 1 * MON', from)).toEqual([local(2026, 6, 1, 12), local(2027, 2, 1, 12), local(2027, 3, 1, 12)]);
    // `?` in one of them means any, as in NiFi's examples.
    expect(next('0 20 14 ? * MON-FRI', new Date(2026, 0, 9, 15), 2)).toEqual([local(2026, 1, 12, 14, 20), local(2026, 1, 13, 14, 20)]);
    expect(next('0 0 13 * * *', from, 2)).toEqual([local(2026, 1, 5, 13), local(2026, 1, 6, 13)]);
  });

  it('rejects what Spring rejects: a zero step, an empty field list, words', () => {
    for (const bad of ['0 0/0 * * * ?', '', 'every day']) expect(() => nifiCron(bad)).toThrow();
  });
});
