import { isCleanRecord, isPlausibleField, PLAUSIBLE_RANGES } from './load/plausible.ts';
import type { Run } from './model.ts';

/** Two records of one run start within this many seconds of each other (DESIGN §3). */
export const SAME_START_S = 60;
/** ... and differ by at most this fraction of distance (DESIGN §3). */
export const SAME_DISTANCE_FRACTION = 0.03;
/** Widest gap between two records of one run: a whole-hour zone error of up to 14 h. */
export const MATCH_WINDOW_S = 14 * 3600 + SAME_START_S;

const startUnix = (r: Run): number => Date.parse(r.startTime) / 1000;

const within = (a: number, b: number, fraction: number): boolean =>
  Math.abs(a - b) <= fraction * Math.max(Math.abs(a), Math.abs(b));

const durationOf = (r: Run): number | null => r.elapsedTimeS ?? r.movingTimeS;

/** Were both records written by one device (same maker and model, as the sources name them)? */
export const sameDevice = (a: Run, b: Run): boolean =>
  a.device !== null && b.device !== null && a.device.toLowerCase() === b.device.toLowerCase();

/**
 * Are `a` and `b` the same run recorded twice? Same start (±60 s) and distance within 3 %
 * (DESIGN §3). Three quirks of real files are also recognised:
 * - a device records one run at a time: two records from one device (both FIT files, both
 *   Strava activities, or one of them damaged) starting together are one run, however far apart
 *   their distances are (a corrupt copy may carry any distance);
 * - a partial record (file cut short) is a prefix of the run: same start, shorter distance;
 * - software that re-saves a file writing local time as UTC (and so no local offset) moves the
 *   start by whole hours: accepted only with the same duration (±2 % or 60 s) and distance.
 */
export function isSameRun(a: Run, b: Run): boolean {
  const gap = Math.abs(startUnix(a) - startUnix(b));
  const da = a.distanceM;
  const db = b.distanceM;
  if (gap <= SAME_START_S) {
    if (da === null || db === null) return true;
    if (within(da, db, SAME_DISTANCE_FRACTION)) return true;
    if (sameDevice(a, b) && (a.source === b.source || !isCleanRecord(a) || !isCleanRecord(b))) {
      return true;
    }
    // A file cut short holds a prefix of the run: same start, less distance.
    return (da < db ? a : b).partial;
  }
  const hourOff = gap % 3600;
  const wholeHours = hourOff <= SAME_START_S || 3600 - hourOff <= SAME_START_S;
  const zoneUnknown = a.warnings.includes('no-local-time') || b.warnings.includes('no-local-time');
  if (!wholeHours || !zoneUnknown || gap > MATCH_WINDOW_S) return false;
  const ta = durationOf(a);
  const tb = durationOf(b);
  if (ta === null || tb === null || da === null || db === null) return false;
  const sameDuration = Math.abs(ta - tb) <= Math.max(60, 0.02 * Math.max(ta, tb));
  return sameDuration && within(da, db, SAME_DISTANCE_FRACTION);
}

/**
 * How much a record of a run is worth when two are merged: a clean record (whole, no impossible
 * value, a usable start: {@link isCleanRecord}) beats any other, so a partial or implausible copy
 * never replaces a clean run; then complete beats partial, FIT beats Strava ("FIT samples win",
 * DESIGN §3), a set clock and known zone beat an unset one, then the more plausible fields known
 * (science.md "Impossible numbers are not evidence": an impossible value counts for nothing).
 * The higher-scoring record becomes the run's canonical data; a tie keeps the stored one.
 */
export function runQuality(r: Run): number {
  const fields = Object.keys(PLAUSIBLE_RANGES) as (keyof typeof PLAUSIBLE_RANGES)[];
  const known = fields.filter((k) => isPlausibleField(r, k)).length + (r.device === null ? 0 : 1);
  return (
    (isCleanRecord(r) ? 10_000 : 0) +
    (r.partial ? 0 : 1000) +
    (r.source === 'fit' ? 100 : 0) +
    (r.warnings.includes('clock-not-set') ? 0 : 20) +
    (r.warnings.includes('no-local-time') ? 0 : 10) +
    known
  );
}

/**
 * May `candidate` become the canonical record of the stored run `stored`? Only when it is worth
 * more ({@link runQuality}), and never when `stored` is clean and `candidate` is another copy
 * from the same device and source: such a copy can only differ by damage (a valid-CRC corrupt
 * copy may even fill in a field the honest file left empty), and the run keeps its id.
 */
export function mayReplace(candidate: Run, stored: Run): boolean {
  if (runQuality(candidate) <= runQuality(stored)) return false;
  const copy = candidate.source === stored.source && sameDevice(candidate, stored);
  return !(copy && isCleanRecord(stored));
}

const endUnix = (r: Run): number => startUnix(r) + Math.max(0, durationOf(r) ?? 0);

/** A record rebuilt from a damaged or session-less file's samples, or cut short. */
const isRebuiltOrPartial = (r: Run): boolean =>
  r.partial || r.warnings.includes('rebuilt-from-records');

/**
 * Is `record` a phantom beside `clean` (issue 21: a damaged copy rebuilt from its records became
 * a 52.5 km run beside the honest 9.8 km one)? A rebuilt or partial record overlapping in time a
 * clean record from the same device: a device records one run at a time, so the overlap is the
 * same run read wrongly, even when the starts are too far apart for {@link isSameRun}.
 */
export function isPhantomBeside(record: Run, clean: Run): boolean {
  if (record.id === clean.id || !isRebuiltOrPartial(record) || !isCleanRecord(clean)) return false;
  if (!sameDevice(record, clean)) return false;
  return (
    startUnix(record) < endUnix(clean) &&
    startUnix(clean) < Math.max(endUnix(record), startUnix(record) + 1)
  );
}

/** Why a phantom record (see {@link isPhantomBeside}) counts in no metric. */
export const phantomReason = (clean: Run): string =>
  `a partial record rebuilt from a damaged file, overlapping the whole run of ${clean.startTime} from the same device`;
