import { DateTime, FixedOffsetZone, IANAZone, Settings, Zone } from 'luxon';

/**
 * An IANA zone whose offsets come from the process's own local time, which Node computes from
 * `process.env.TZ` with ICU's time-zone rules, the same rules `Intl.DateTimeFormat` (and so
 * luxon's {@link IANAZone}) reads. It exists for start-up time: the first `Intl` formatter of a
 * process costs about 10 ms (ICU's locale data), a Date's local offset about 0.1 ms. Only made
 * by {@link useProcessZone}; when `TZ` no longer names this zone it asks luxon's zone instead.
 */
class ProcessZone extends Zone {
  readonly #name: string;
  #iana: IANAZone | null = null;

  constructor(name: string) {
    super();
    this.#name = name;
  }

  get #slow(): IANAZone {
    return (this.#iana ??= IANAZone.create(this.#name));
  }

  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.#name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return true;
  }

  /** "CET", "Central European Time": names are Intl's, so these ask luxon (rarely shown). */
  override offsetName(ts: number, opts: Parameters<Zone['offsetName']>[1]): string | null {
    return this.#slow.offsetName(ts, opts);
  }

  override formatOffset(ts: number, format: 'narrow' | 'short' | 'techie'): string {
    const offset = this.offset(ts);
    const abs = Math.abs(offset);
    const h = Math.trunc(abs / 60);
    const m = Math.trunc(abs % 60);
    const sign = offset >= 0 ? '+' : '-';
    const hh = String(h).padStart(2, '0');
    const mm = String(m).padStart(2, '0');
    if (format === 'narrow') return `${sign}${h}${m > 0 ? `:${m}` : ''}`;
    return format === 'techie' ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
  }

  /** Minutes east of UTC at the instant `ts` (epoch ms). */
  override offset(ts: number): number {
    if (process.env.TZ !== this.#name) return this.#slow.offset(ts);
    const offset = -new Date(ts).getTimezoneOffset();
    return offset === 0 ? 0 : offset; // never -0: luxon prints the sign of a zero offset
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.#name;
  }
}

const zones = new Map<string, Zone>();
let processZone: string | null = null;

/**
 * The zone object for a name, made once (luxon validates a zone name on every use otherwise):
 * the {@link useProcessZone} zone when it is that one, else luxon's IANA zone, or for fixed-offset
 * names such as "UTC+2" the zone luxon makes of them.
 */
export function zoneOf(name: string): Zone {
  let z = zones.get(name);
  if (!z) {
    const iana = name === processZone ? new ProcessZone(name) : IANAZone.create(name);
    z = iana.isValid ? iana : DateTime.now().setZone(name).zone;
    zones.set(name, z);
  }
  return z;
}

let canonical: Set<string> | null = null;

/** Zone names Intl lists (1 ms, once), and UTC, which it does not list but knows. */
const listed = (name: string): boolean =>
  (canonical ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])).has(name);

/** An IANA name's shape: Area/Location[/More], letters first (not a POSIX TZ rule like EST5EDT). */
const IANA_SHAPE = /^[A-Z][A-Za-z_-]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/;

const clockKnows = new Map<string, boolean>();

/**
 * Whether the process's clock (Node's Dates, from `TZ` with ICU's rules) knows the zone `name`,
 * tried in about 0.1 ms instead of listing Intl's zones (1 ms): with a `TZ` it does not know, a
 * Date is in UTC all year, so a name whose offset is not zero in January or in July is known.
 * A zone at UTC all year (Africa/Abidjan) is not told apart from an unknown name here: false.
 * `TZ` is as it was afterwards.
 */
function knownToClock(name: string): boolean {
  let known = clockKnows.get(name);
  if (known === undefined) {
    known = false;
    if (IANA_SHAPE.test(name)) {
      const before = process.env.TZ;
      process.env.TZ = name;
      const year = new Date().getUTCFullYear();
      known =
        new Date(Date.UTC(year, 0, 1)).getTimezoneOffset() !== 0 ||
        new Date(Date.UTC(year, 6, 1)).getTimezoneOffset() !== 0;
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
    clockKnows.set(name, known);
  }
  return known;
}

/**
 * Whether `name` is a time zone this Node knows: one the process's clock knows (canonical names
 * and aliases such as "US/Eastern", 0.1 ms), one Intl lists (zones at UTC all year, 1 ms), or
 * another spelling (other letter case) luxon accepts, which builds an `Intl` formatter (10 ms the
 * first time).
 */
export function isZoneName(name: string): boolean {
  return knownToClock(name) || listed(name) || IANAZone.isValidZone(name);
}

/**
 * Has luxon write English dates ("Tue 24 Nov"): kneecheck's words are English, and luxon would
 * otherwise ask `Intl` for the system's locale (10 ms) and write e.g. German day names inside
 * English sentences.
 */
export function useEnglish(): void {
  Settings.defaultLocale = 'en-US';
}

/**
 * For a one-shot command-line process: makes `name` the process's local zone (`process.env.TZ`),
 * so its offsets are read from Dates instead of an `Intl` formatter. Only for names the process's
 * clock knows (canonical names and aliases); another spelling keeps luxon's own zone. Not for the
 * daemon, tests or a library caller: `TZ` is the whole process's.
 */
export function useProcessZone(name: string): void {
  if (name === 'UTC' || !(knownToClock(name) || listed(name))) return;
  process.env.TZ = name;
  processZone = name;
  zones.delete(name);
}

/**
 * The zone to show a run in when its source only gives a UTC offset: the runner's own zone when
 * it had that offset at that instant (so weeks and DST work as at home), else a fixed-offset zone
 * such as `UTC+2` (a run abroad keeps the local time it was run at).
 */
export function zoneForOffset(unixS: number, offsetMin: number, preferredZone: string): string {
  const home = zoneOf(preferredZone);
  if (home.isValid && home.offset(unixS * 1000) === offsetMin) return preferredZone;
  return FixedOffsetZone.instance(offsetMin).name;
}

/** ISO 8601 to the second with the zone's offset at that instant (`+00:00`, never `Z`). */
export function isoInZone(unixS: number, zone: string): string {
  return DateTime.fromSeconds(Math.round(unixS), { zone: zoneOf(zone) }).toFormat(
    "yyyy-MM-dd'T'HH:mm:ssZZ",
  );
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
  const t = DateTime.fromISO(text, { zone: zoneOf(zone) });
  return t.isValid ? Math.floor(t.toSeconds()) : null;
}
