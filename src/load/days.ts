import { zoneOf } from './zone.ts';

const DAY_MS = 86_400_000;
const cache = new Map<string, number>();

/**
 * The calendar day of an instant in `zone`, as a whole number of days since 1970-01-01 (local
 * dates compared as integers: DST-safe and cheap). Cached per instant and zone, because load
 * metrics over years of runs ask for the same days many times.
 */
export function localDayNumber(iso: string, zone: string): number {
  const key = `${zone}|${iso}`;
  let day = cache.get(key);
  if (day === undefined) {
    day = dayOfMs(Date.parse(iso), zone);
    cache.set(key, day);
  }
  return day;
}

/** The local day number of a JS date in `zone` (see {@link localDayNumber}). */
export function dayNumberOf(date: Date, zone: string): number {
  return dayOfMs(date.getTime(), zone);
}

/** The local day number of epoch ms `ms`: the UTC day of the instant shifted by the zone's offset. */
function dayOfMs(ms: number, zone: string): number {
  return Math.floor((ms + zoneOf(zone).offset(ms) * 60_000) / DAY_MS);
}

/** Days since the Monday of the ISO week holding local day number `day` (0 on Mondays). */
export function daysSinceMonday(day: number): number {
  // Day 0, 1970-01-01, was a Thursday.
  return (((day + 3) % 7) + 7) % 7;
}

/** `yyyy-MM-dd` of a local day number. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
