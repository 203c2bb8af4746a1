import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

/**
 * The zone to show a run in when its source only gives a UTC offset: the runner's own zone when
 * it had that offset at that instant (so weeks and DST work as at home), else a fixed-offset zone
 * such as `UTC+2` (a run abroad keeps the local time it was run at).
 */
export function zoneForOffset(unixS: number, offsetMin: number, preferredZone: string): string {
  const home = IANAZone.create(preferredZone);
  if (home.isValid && home.offset(unixS * 1000) === offsetMin) return preferredZone;
  return FixedOffsetZone.instance(offsetMin).name;
}

/** ISO 8601 to the second with the zone's offset at that instant (`+00:00`, never `Z`). */
export function isoInZone(unixS: number, zone: string): string {
  return DateTime.fromSeconds(Math.round(unixS), { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** The system's zone, the default for KNEECHECK_TIMEZONE. */
export function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * An ISO date or time as written by the runner (`--since 2026-11-01`, `?since=`), read in `zone`,
 * as unix seconds; null when it is not one.
 */
export function unixOfLocal(text: string, zone: string): number | null {
  const t = DateTime.fromISO(text, { zone });
  return t.isValid ? Math.floor(t.toSeconds()) : null;
}
