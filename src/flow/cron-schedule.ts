/**
 * A processor's CRON_DRIVEN Run Schedule, read as NiFi 2 reads it (Spring's CronExpression, nifi-semantics.md
 * §4.6) on top of croner, whose defaults differ in two ways that change which expressions load and when they fire:
 * - increments with a start value (`0/15` = 0, 15, 30, 45) are refused by croner unless `sloppyRanges` is on;
 * - with both day-of-month and day-of-week restricted, Spring fires when both match, croner (like Vixie cron)
 *   when either does, unless `domAndDow` is on.
 * Fire times are in the process's local time zone (NiFi: the JVM's).
 */
import { Cron } from 'croner';

export function nifiCron(expression: string): Cron {
  return new Cron(expression, { paused: true, sloppyRanges: true, domAndDow: true });
}
