/**
 * NiFi's time periods (`30 sec`, `1 min`, `5 mins`, `100 millis`, `7 days`) and data sizes (`0 B`, `1 GB`,
 * binary multiples as in NiFi's DataUnit).
 */
import { FloeError } from '../core/errors.js';

const TIME_UNITS: Record<string, number> = {
  ns: 1e-6, nanos: 1e-6, nanosecond: 1e-6, nanoseconds: 1e-6,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, wk: 604_800_000, wks: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** Milliseconds in a NiFi time period; throws a FLOW error naming what is expected. */
export function parseTimePeriod(text: string): number {
  return parseAmount(text, TIME_UNITS, "a time period (expected e.g. '30 sec', '5 mins', '100 millis', '1 hour')");
}

/** Bytes in a NiFi data size (`1 GB` = 1024^3 bytes, as NiFi). */
export function parseDataSize(text: string): number {
  return parseAmount(text, SIZE_UNITS, "a data size (expected e.g. '0 B', '512 KB', '50 MB', '1 GB')");
}

function parseAmount(text: string, units: Record<string, number>, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  const unit = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new FloeError('FLOW', `'${text}' is not ${what}`);
  return Math.round(Number(m[1]) * unit);
}
