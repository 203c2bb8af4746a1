import type { FormSummary, ImportedRun, Run, RunId, RunWarning, SourceKind } from '../src/model.ts';
import { buildSeries } from '../src/load/series.ts';
import { summarizeForm, round, MAX_SAMPLE_GAP_S } from '../src/load/form-summary.ts';
import { isoInZone, zoneForOffset } from '../src/load/zone.ts';
import type { ImportContext } from './types.ts';

/*
 * What GPX and TCX share once read: track points with instants, and the rules that turn them
 * into a run like FIT's (run + form summary + 10 s series): distance by haversine when the file
 * has none of its own, step rate normalised by plausibility, speeds from the positions.
 */

/** One track point as written (null: the file has no value there). */
export interface TrackPoint {
  /** Instant, ms since 1970 (UTC). */
  tMs: number;
  lat: number | null;
  lon: number | null;
  heartRateBpm: number | null;
  /** Cadence as written: one leg's strides/min or full steps/min, depending on the writer. */
  cadence: number | null;
  /** The device's own cumulative distance, m (TCX `DistanceMeters`). */
  distanceM: number | null;
  /** The device's own speed, m/s (a `Speed`/`speed` extension). */
  speedMps: number | null;
}

/** Most track points read from one file (a 48 h run at one point a second is 172,800). */
export const MAX_TRACK_POINTS = 250_000;

/** A time written in the file: its instant, and its UTC offset when it names one (not `Z`). */
export interface FileTime {
  ms: number;
  /** Minutes east of UTC; null for `Z` or no zone (an instant without local time). */
  offsetMin: number | null;
}

const ISO_TIME =
  /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/**
 * An ISO 8601 instant as GPX and TCX write it (`Z`, an offset, fractional seconds); a time with
 * no zone at all is UTC, as both schemas define. Null when it is not one.
 */
export function parseFileTime(text: string): FileTime | null {
  // The usual form (`2017-07-08T15:48:35Z`, `.000Z`) parsed natively: one per track point.
  if (text.length >= 20 && text.charCodeAt(text.length - 1) === 90 /* Z */ && text[10] === 'T') {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return { ms, offsetMin: null };
  }
  const m = ISO_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
    (frac ? Math.round(Number(`0.${frac}`) * 1000) : 0);
  if (!Number.isFinite(ms)) return null;
  if (!zone || zone.toUpperCase() === 'Z') return { ms, offsetMin: null };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  return { ms: ms - offsetMin * 60_000, offsetMin: offsetMin === 0 ? null : offsetMin };
}

/** A number written in the file; null when it is not a finite one. */
export function num(text: string): number | null {
  if (text === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/** Mean Earth radius, m (IUGG), the sphere the fixtures' distances are computed on. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance between two positions on a sphere of the mean Earth radius, m (2-D). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Distance from the positions, summed inside each segment (never across a pause), m. */
export function positionsDistanceM(segments: readonly TrackPoint[][]): number | null {
  let total = 0;
  let any = false;
  for (const seg of segments) {
    let prev: TrackPoint | null = null;
    for (const p of seg) {
      if (p.lat === null || p.lon === null) continue;
      if (prev && prev.lat !== null && prev.lon !== null) {
        total += haversineM(prev.lat, prev.lon, p.lat, p.lon);
        any = true;
      }
      prev = p;
    }
  }
  return any ? total : null;
}

/**
 * How a file's cadence values become steps/min (intake.md, science.md "Impossible numbers are not
 * evidence"): running is 100–250 steps/min. A median (of the non-zero values) of 50 to under 100
 * is one leg's strides (×2: Garmin, Strava, Apple exporters; a walk/run beginner's 61 is 122
 * steps/min); 100–250 is full steps already (some Strava and COROS exports); anything else says
 * nothing about steps (null).
 */
export function stepFactor(cadences: readonly number[]): 2 | 1 | null {
  const nonZero = cadences.filter((c) => c > 0).sort((a, b) => a - b);
  if (nonZero.length === 0) return null;
  const mid = nonZero.length >> 1;
  const median =
    nonZero.length % 2
      ? (nonZero[mid] as number)
      : ((nonZero[mid - 1] as number) + (nonZero[mid] as number)) / 2;
  if (median >= 50 && median < 100) return 2;
  if (median >= 100 && median <= 250) return 1;
  return null;
}

/**
 * Mean of a value over time: each point's value held until the next point, zeros included
 * (devices average so), intervals over {@link MAX_SAMPLE_GAP_S} (pauses) left out.
 */
function heldMean(
  segments: readonly TrackPoint[][],
  pick: (p: TrackPoint) => number | null,
): number | null {
  let sum = 0;
  let time = 0;
  for (const seg of segments) {
    for (let i = 0; i + 1 < seg.length; i++) {
      const p = seg[i] as TrackPoint;
      const v = pick(p);
      const dt = ((seg[i + 1] as TrackPoint).tMs - p.tMs) / 1000;
      if (v === null || dt <= 0 || dt > MAX_SAMPLE_GAP_S) continue;
      sum += v * dt;
      time += dt;
    }
  }
  return time > 0 ? sum / time : null;
}

/** Half-width of the window speeds are taken over, s: one point to the next is GPS noise. */
const SPEED_WINDOW_S = 5;

/**
 * Speed at each point of a segment: the device's own when it wrote one, else distance over time
 * across about ±{@link SPEED_WINDOW_S} s (the device's cumulative distance when it has one, else
 * the positions).
 */
function speedsOf(seg: readonly TrackPoint[]): (number | null)[] {
  const n = seg.length;
  const along: (number | null)[] = new Array<number | null>(n).fill(null);
  const byDevice = seg.some((p) => p.distanceM !== null);
  let acc = 0;
  let prev: TrackPoint | null = null;
  for (let i = 0; i < n; i++) {
    const p = seg[i] as TrackPoint;
    if (byDevice) along[i] = p.distanceM;
    else if (p.lat !== null && p.lon !== null) {
      if (prev) acc += haversineM(prev.lat as number, prev.lon as number, p.lat, p.lon);
      prev = p;
      along[i] = acc;
    }
  }
  const out: (number | null)[] = [];
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const p = seg[i] as TrackPoint;
    if (p.speedMps !== null) {
      out.push(p.speedMps);
      continue;
    }
    while (lo < i && (seg[lo] as TrackPoint).tMs < p.tMs - SPEED_WINDOW_S * 1000) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && (seg[hi + 1] as TrackPoint).tMs <= p.tMs + SPEED_WINDOW_S * 1000) hi++;
    let a = lo;
    let b = hi;
    // At least the neighbours, however far apart the points are written.
    if (a === b) {
      a = Math.max(0, i - 1);
      b = Math.min(n - 1, i + 1);
    }
    const da = along[a];
    const db = along[b];
    const dt = ((seg[b] as TrackPoint).tMs - (seg[a] as TrackPoint).tMs) / 1000;
    out.push(
      da === null ||
        db === null ||
        da === undefined ||
        db === undefined ||
        dt <= 0 ||
        dt > 2 * MAX_SAMPLE_GAP_S
        ? null
        : Math.max(0, (db - da) / dt),
    );
  }
  return out;
}

/** A gap in one segment this many times the usual interval (and at least a minute) is a pause. */
const PAUSE_INTERVALS = 10;
const MIN_PAUSE_S = 60;

/**
 * Moving time of a file without a timer (GPX): the segments' spans (a new segment is a pause),
 * less the gaps inside a segment long enough to be pauses too: over a minute and over ten times
 * the file's usual interval between points (auto-pause leaves such gaps; sparse writers do not).
 */
export function segmentsMovingS(segments: readonly TrackPoint[][]): number {
  const gaps: number[] = [];
  for (const seg of segments) {
    for (let i = 1; i < seg.length; i++) {
      gaps.push(((seg[i] as TrackPoint).tMs - (seg[i - 1] as TrackPoint).tMs) / 1000);
    }
  }
  if (gaps.length === 0) return 0;
  const sorted = [...gaps].sort((x, y) => x - y);
  const usual = sorted[sorted.length >> 1] as number;
  const pause = Math.max(MIN_PAUSE_S, PAUSE_INTERVALS * usual);
  return gaps.reduce((s, g) => (g > 0 && g <= pause ? s + g : s), 0);
}

/** One activity read from a GPX or TCX file, before it becomes a run. */
export interface TrackActivity {
  source: Extract<SourceKind, 'gpx' | 'tcx'>;
  /** The file's sha256, with `-2`, `-3`, … for the second and later activities of one file. */
  sourceId: string;
  /** Points in order; a new segment after each pause (GPX trkseg, TCX Track or Lap). */
  segments: TrackPoint[][];
  start: FileTime;
  /** The file's own total distance, m; null: from the positions. */
  distanceM: number | null;
  /** The file's own timer time, s; null: from the points ({@link segmentsMovingS}). */
  movingTimeS: number | null;
  /** Elapsed time when the file says more than its points (TCX lap ends), s. */
  minElapsedS?: number;
  device: string | null;
  subSport: string | null;
  partial: boolean;
  warnings: RunWarning[];
}

/** The skip reason of an activity that holds no time at all (one point, no timer time); else null. */
export function nothingRecorded(a: TrackActivity): string | null {
  const points = a.segments.reduce((n, s) => n + s.length, 0);
  const first = a.segments.find((s) => s.length > 0)?.[0];
  const last = a.segments.findLast((s) => s.length > 0)?.at(-1);
  const span = first && last ? last.tMs - first.tMs : 0;
  if (span > 0 || (a.movingTimeS ?? 0) > 0 || (a.minElapsedS ?? 0) > 0) return null;
  return `nothing recorded: ${points} track point${points === 1 ? '' : 's'} at one instant`;
}

/** Builds the run, form summary and 10 s series of an activity, as FIT's importer does. */
export function buildTrackRun(a: TrackActivity, ctx: ImportContext): ImportedRun {
  const warnings = [...a.warnings];
  const points = a.segments.flat();
  const startMs = a.start.ms;
  const lastMs = points.at(-1)?.tMs ?? startMs;
  const unixStart = startMs / 1000;

  // GPX and TCX carry instants; the local time comes from the offset written, else the runner's zone.
  const timezone =
    a.start.offsetMin === null
      ? ctx.timezone
      : zoneForOffset(unixStart, a.start.offsetMin, ctx.timezone);
  if (a.start.offsetMin === null) warnings.push('no-local-time');

  const cadences = points.flatMap((p) => (p.cadence === null ? [] : [p.cadence]));
  const factor = stepFactor(cadences);
  if (cadences.length === 0) warnings.push('no-cadence');
  else if (factor === null) warnings.push('implausible-step-rate');
  const spmOf = (p: TrackPoint): number | null =>
    factor === null || p.cadence === null ? null : p.cadence * factor;
  const held = heldMean(a.segments, spmOf);
  const avgCadenceSpm = held === null ? null : round(held, 2);

  const distanceM = round(a.distanceM ?? positionsDistanceM(a.segments) ?? NaN, 2);
  const distance = Number.isFinite(distanceM) ? distanceM : null;
  if (distance === null) warnings.push('no-distance');
  const movingTimeS = round(a.movingTimeS ?? segmentsMovingS(a.segments), 3);
  const elapsedTimeS = round(
    Math.max((lastMs - startMs) / 1000, a.minElapsedS ?? 0, movingTimeS),
    3,
  );
  const avgSpeedMps =
    distance !== null && movingTimeS > 0 ? round(distance / movingTimeS, 3) : null;
  const avgStepLengthM =
    avgSpeedMps !== null && avgCadenceSpm ? round(avgSpeedMps / (avgCadenceSpm / 60), 3) : null;
  const hr = heldMean(a.segments, (p) =>
    p.heartRateBpm !== null && p.heartRateBpm > 0 ? p.heartRateBpm : null,
  );

  const id = `${a.source}:${a.sourceId.slice(0, 12)}${a.sourceId.slice(64)}` as RunId;
  const run: Run = {
    id,
    source: a.source,
    sourceId: a.sourceId,
    sources: [{ source: a.source, sourceId: a.sourceId }],
    // To the second as written (isoInZone rounds; a start at .692 s is still that second).
    startTime: isoInZone(Math.floor(unixStart), timezone),
    timezone,
    sport: 'running',
    subSport: a.subSport,
    distanceM: distance,
    movingTimeS: movingTimeS > 0 ? movingTimeS : null,
    elapsedTimeS: elapsedTimeS > 0 ? elapsedTimeS : null,
    avgSpeedMps,
    avgCadenceSpm,
    avgStepLengthM,
    avgHeartRateBpm: hr === null ? null : Math.round(hr),
    device: a.device,
    gearId: null,
    partial: a.partial,
    warnings: [...new Set(warnings)],
    excluded: null,
  };

  const samples = a.segments.flatMap((seg) => {
    const speeds = speedsOf(seg);
    return seg.map((p, i) => ({
      tS: (p.tMs - startMs) / 1000,
      speedMps: speeds[i] ?? null,
      spm: spmOf(p),
      hr: p.heartRateBpm !== null && p.heartRateBpm > 0 ? p.heartRateBpm : null,
    }));
  });
  const form: FormSummary | null = summarizeForm(
    samples.map((s) => ({ tS: s.tS, speedMps: s.speedMps, cadenceSpm: s.spm, stepLengthM: null })),
  );
  const series = buildSeries(
    samples.map((s) => ({
      tS: s.tS,
      speedMps: s.speedMps,
      stepRateSpm: s.spm,
      heartRateBpm: s.hr,
    })),
  );
  return { run, form, series };
}
