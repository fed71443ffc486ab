/**
 * Rendering of timestamps in floe's value encoding. NTZ values are wall clocks (no zone math); LTZ values
 * are instants rendered in the session time zone with its offset, as Snowflake does.
 */
const pad = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');

/** Micros since the epoch, read as a wall clock: 'YYYY-MM-DD HH:MM:SS.ffffff'. */
export function formatNtzMicros(micros: bigint): string {
  let seconds = micros / 1_000_000n;
  let frac = micros % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    seconds -= 1n;
  }
  const d = new Date(Number(seconds) * 1000);
  return `${d.getUTCFullYear().toString().padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(frac, 6)}`;
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = offsetCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetCache.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the given instant, in minutes. */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const floored = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - floored) / 60000);
}

/** An instant rendered in `timeZone`: 'YYYY-MM-DD HH:MM:SS.ffffff +HHMM'. */
export function formatMicrosInZone(micros: bigint, timeZone: string): string {
  const ms = Number(micros / 1000n);
  const offset = zoneOffsetMinutes(ms, timeZone);
  const local = formatNtzMicros(micros + BigInt(offset) * 60_000_000n);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** Is this a valid IANA time zone name (or UTC)? */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}
