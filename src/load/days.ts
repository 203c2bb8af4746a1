import { DateTime, IANAZone, type Zone } from 'luxon';

const DAY_MS = 86_400_000;
const cache = new Map<string, number>();
const zones = new Map<string, Zone>();

/** The zone object for a name, made once: luxon validates a zone name on every use otherwise. */
export function zoneOf(name: string): Zone {
  let z = zones.get(name);
  if (!z) {
    const iana = IANAZone.create(name);
    // Fixed-offset names such as "UTC+2" are not IANA zones; luxon resolves those itself.
    z = iana.isValid ? iana : DateTime.now().setZone(name).zone;
    zones.set(name, z);
  }
  return z;
}

/**
 * The calendar day of an instant in `zone`, as a whole number of days since 1970-01-01 (local
 * dates compared as integers: DST-safe and cheap). Cached per instant and zone, because load
 * metrics over years of runs ask for the same days many times.
 */
export function localDayNumber(iso: string, zone: string): number {
  const key = `${zone}|${iso}`;
  let day = cache.get(key);
  if (day === undefined) {
    const dt = DateTime.fromMillis(Date.parse(iso), { zone: zoneOf(zone) });
    day = Date.UTC(dt.year, dt.month - 1, dt.day) / DAY_MS;
    cache.set(key, day);
  }
  return day;
}

/** The local day number of a JS date in `zone` (see {@link localDayNumber}). */
export function dayNumberOf(date: Date, zone: string): number {
  const dt = DateTime.fromMillis(date.getTime(), { zone: zoneOf(zone) });
  return Date.UTC(dt.year, dt.month - 1, dt.day) / DAY_MS;
}

/** `yyyy-MM-dd` of a local day number. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
