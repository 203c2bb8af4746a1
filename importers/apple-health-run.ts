import { createHash } from 'node:crypto';
import type { ImportedRun, Run, RunId, RunWarning } from '../src/model.ts';
import { buildSeries, type SeriesSample } from '../src/load/series.ts';
import { round, summarizeForm, type FormSample } from '../src/load/form-summary.ts';
import { isZoneName, isoInZone } from '../src/load/zone.ts';
import type { ImportContext } from './types.ts';
import type { WorkoutInfo } from './apple-health-parse.ts';
import { metres } from './apple-health-units.ts';
import { haversineM, type RoutePoint } from './apple-health-route.ts';
import { SOURCE_OTHER, SOURCE_PHONE, SOURCE_WATCH } from './apple-health-spill.ts';

const STAT = 'HKQuantityTypeIdentifier';
/** Samples for the series are merged in ticks of this many seconds (half a 10 s slot). */
const TICK_S = 5;
/** A workout longer than this many ticks (a week) gets no series (a clock error, not a run). */
const MAX_TICKS = (7 * 86_400) / TICK_S;

/** One step-count sample during a run: unix seconds, seconds it spans, steps, source kind. */
export interface StepSample {
  startS: number;
  durS: number;
  steps: number;
  source: number;
}

/** The samples of one run, gathered from the Records (kept per run, never for the whole export). */
export interface RunSamples {
  /** Steps counted during the run by each source kind (a sample across the edge counts in part). */
  stepsBySource: number[];
  steps: StepSample[];
  heartRate: { tS: number; bpm: number }[];
  stepLength: { tS: number; m: number }[];
  speed: { tS: number; mps: number }[];
}

export const emptySamples = (): RunSamples => ({
  stepsBySource: [0, 0, 0],
  steps: [],
  heartRate: [],
  stepLength: [],
  speed: [],
});

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Seconds paused: each Pause (or MotionPaused) until the next Resume (or MotionResumed). */
export function pausedSeconds(w: WorkoutInfo): number {
  const events = w.events.filter((e) => Number.isFinite(e.atS)).sort((a, b) => a.atS - b.atS);
  let pausedAt: number | null = null;
  let total = 0;
  for (const e of events) {
    if (/Pause$|MotionPaused$/.test(e.type)) pausedAt ??= e.atS;
    else if (/Resume$|MotionResumed$/.test(e.type) && pausedAt !== null) {
      total += Math.max(0, e.atS - pausedAt);
      pausedAt = null;
    }
  }
  // Paused at the end: the rest of the workout was not running.
  if (pausedAt !== null && pausedAt < w.endS) total += w.endS - pausedAt;
  return total;
}

/**
 * Moving time, s: Apple's `duration` is the active time (pauses already out). A writer that puts
 * the elapsed time there while its events say it paused gets the pauses taken out; without a
 * duration, elapsed minus the pauses.
 */
function movingTime(w: WorkoutInfo, elapsedS: number): number {
  const paused = pausedSeconds(w);
  if (w.durationS === null) return Math.max(0, elapsedS - paused);
  if (paused > 0 && Math.abs(w.durationS - elapsedS) < 1) return Math.max(0, elapsedS - paused);
  return w.durationS;
}

/** The one source whose step counts are used: the watch's, else the phone's, else any other. */
function stepSource(s: RunSamples): number | null {
  for (const k of [SOURCE_WATCH, SOURCE_PHONE, SOURCE_OTHER])
    if ((s.stepsBySource[k] ?? 0) > 0) return k;
  return null;
}

/** Route points inside the workout: a route from another day (old exports) is not this run's. */
function routeInRun(w: WorkoutInfo, points: readonly RoutePoint[]): RoutePoint[] {
  const inside = points
    .filter((p) => p.tS >= w.startS - 5 && p.tS <= w.endS + 5)
    .sort((a, b) => a.tS - b.tS);
  return inside.filter((p, i) => i === 0 || p.tS > (inside[i - 1] as RoutePoint).tS);
}

function routeDistanceM(points: readonly RoutePoint[]): number | null {
  if (points.length < 2) return null;
  let d = 0;
  for (let i = 1; i < points.length; i++) {
    d += haversineM(points[i - 1] as RoutePoint, points[i] as RoutePoint);
  }
  return d;
}

/** Speed over time: the route's (its own speed, else from positions), else the speed Records. */
function speedOverTime(route: readonly RoutePoint[], s: RunSamples, startS: number) {
  if (route.length >= 2) {
    return route.map((p, i) => {
      const prev = route[i - 1];
      const dt = prev ? p.tS - prev.tS : 0;
      const speed = p.speedMps ?? (prev && dt > 0 ? haversineM(prev, p) / dt : null);
      return { tS: p.tS - startS, mps: speed };
    });
  }
  return s.speed.map((x) => ({ tS: x.tS - startS, mps: x.mps })).sort((a, b) => a.tS - b.tS);
}

/** Step rate (steps/min) of the chosen source at each second a step sample covers. */
function stepRateAt(steps: readonly StepSample[], source: number | null) {
  const own = steps
    .filter((x) => x.source === source && x.durS >= 1)
    .sort((a, b) => a.startS - b.startS);
  let i = 0;
  // Asked in time order (the speed samples are sorted): a cursor, not a scan per sample.
  return (t: number): number | null => {
    while (i < own.length && (own[i] as StepSample).startS + (own[i] as StepSample).durS < t) i++;
    const x = own[i];
    return x && t >= x.startS ? (x.steps / x.durS) * 60 : null;
  };
}

/** The id and sourceId of a workout: the same workout in the next export gets the same ones. */
function identity(w: WorkoutInfo): { id: RunId; sourceId: string } {
  const h = createHash('sha256')
    .update(`apple-health|running|${Math.round(w.startS)}|${Math.round(w.endS)}`)
    .digest('hex');
  return { id: `apple-health:${h.slice(0, 12)}` as RunId, sourceId: h };
}

/**
 * A running workout of an Apple Health export as a canonical run: distance and totals from the
 * Workout-level statistics (older exports: its attributes), step rate from its StepCount
 * statistic or the Records of one device (the watch's), step length from RunningStrideLength
 * (Apple's "stride" is one step), the local time from `HKTimeZone` (the dates carry the export
 * day's offset), and the series and form summary from the route and the samples.
 */
export function buildAppleRun(
  w: WorkoutInfo,
  samples: RunSamples,
  routePoints: readonly RoutePoint[],
  ctx: ImportContext,
): ImportedRun {
  const warnings: RunWarning[] = [];
  const stat = (type: string) => w.stats.get(STAT + type);
  const elapsedS = Math.max(0, w.endS - w.startS);
  const movingS = movingTime(w, elapsedS);
  const route = routeInRun(w, routePoints);

  const zoneName = w.metadata.get('HKTimeZone');
  const timezone = zoneName && isZoneName(zoneName) ? zoneName : ctx.timezone;
  if (timezone !== zoneName) warnings.push('no-local-time');

  const distStat = stat('DistanceWalkingRunning');
  const statDistance = distStat?.sum != null ? metres(distStat.sum, distStat.unit || 'km') : null;
  const distanceM =
    statDistance ??
    (w.totalDistanceM !== null && w.totalDistanceM > 0 ? w.totalDistanceM : null) ??
    routeDistanceM(route);
  if (distanceM === null) warnings.push('no-distance');

  const stepsStat = stat('StepCount')?.sum ?? null;
  const source = stepSource(samples);
  const steps = stepsStat ?? (source === null ? null : (samples.stepsBySource[source] ?? null));
  const minutes = movingS / 60;
  const avgCadenceSpm =
    steps !== null && steps > 0 && minutes > 0 ? round(steps / minutes, 2) : null;
  if (avgCadenceSpm === null) warnings.push('no-cadence');

  const avgSpeedMps = distanceM !== null && movingS > 0 ? round(distanceM / movingS, 3) : null;
  const strideStat = stat('RunningStrideLength');
  const strideM =
    (strideStat?.average != null ? metres(strideStat.average, strideStat.unit || 'm') : null) ??
    mean(samples.stepLength.map((x) => x.m));
  const avgStepLengthM =
    strideM !== null && strideM > 0
      ? round(strideM, 3)
      : avgSpeedMps !== null && avgCadenceSpm
        ? round(avgSpeedMps / (avgCadenceSpm / 60), 3)
        : null;
  const hr = stat('HeartRate')?.average ?? mean(samples.heartRate.map((x) => x.bpm));

  const { id, sourceId } = identity(w);
  const device = w.deviceName
    ? w.hardware
      ? `${w.deviceName} (${w.hardware})`
      : w.deviceName
    : w.sourceName || null;
  const run: Run = {
    id,
    source: 'apple-health',
    sourceId,
    sources: [{ source: 'apple-health', sourceId }],
    startTime: isoInZone(w.startS, timezone),
    timezone,
    sport: 'running',
    subSport: w.metadata.get('HKIndoorWorkout') === '1' ? 'treadmill' : null,
    distanceM: distanceM === null ? null : round(distanceM, 1),
    movingTimeS: round(movingS, 1),
    elapsedTimeS: round(elapsedS, 1),
    avgSpeedMps,
    avgCadenceSpm,
    avgStepLengthM,
    avgHeartRateBpm: hr === null ? null : Math.round(hr),
    device,
    gearId: null,
    partial: false,
    warnings,
    excluded: null,
  };
  return { run, ...samplesOf(w, samples, route, source) };
}

/** The 10 s series and the form summary, from the route (speed) and the samples. */
function samplesOf(
  w: WorkoutInfo,
  s: RunSamples,
  route: readonly RoutePoint[],
  source: number | null,
): Pick<ImportedRun, 'form' | 'series'> {
  const speed = speedOverTime(route, s, w.startS);
  const rateAt = stepRateAt(s.steps, source);
  return { form: formOf(w, s, speed, rateAt), series: seriesOf(w, s, speed, source) };
}

/**
 * The series' samples, one per 5 s tick at most (the mean of what fell in it): a run's hundreds
 * of heart-rate and step samples make a few hundred small objects, not thousands.
 */
function seriesOf(
  w: WorkoutInfo,
  s: RunSamples,
  speed: readonly { tS: number; mps: number | null }[],
  source: number | null,
): ImportedRun['series'] {
  const ticks = Math.floor((w.endS - w.startS) / TICK_S) + 1;
  if (!(ticks > 0) || ticks > MAX_TICKS) return null;
  // Sums and counts of speed, step rate and heart rate per tick.
  const sum = new Float64Array(ticks * 3);
  const count = new Uint16Array(ticks * 3);
  const add = (tS: number, k: number, v: number | null) => {
    const i = Math.floor(tS / TICK_S);
    if (v === null || !Number.isFinite(v) || i < 0 || i >= ticks) return;
    sum[i * 3 + k] = (sum[i * 3 + k] ?? 0) + v;
    count[i * 3 + k] = (count[i * 3 + k] ?? 0) + 1;
  };
  for (const p of speed) add(p.tS, 0, p.mps);
  for (const x of s.steps) {
    if (x.source !== source || x.durS < 1) continue;
    const rate = (x.steps / x.durS) * 60;
    // Every tick the sample covers gets its rate.
    for (
      let t = Math.max(x.startS, w.startS);
      t <= Math.min(x.startS + x.durS, w.endS);
      t += TICK_S
    ) {
      add(t - w.startS, 1, rate);
    }
  }
  for (const h of s.heartRate) add(h.tS - w.startS, 2, h.bpm);
  const samples: SeriesSample[] = [];
  const at = (i: number, k: number) => {
    const c = count[i * 3 + k] ?? 0;
    return c > 0 ? (sum[i * 3 + k] ?? 0) / c : null;
  };
  for (let i = 0; i < ticks; i++) {
    const speedMps = at(i, 0);
    const stepRateSpm = at(i, 1);
    const heartRateBpm = at(i, 2);
    if (speedMps === null && stepRateSpm === null && heartRateBpm === null) continue;
    samples.push({ tS: i * TICK_S, speedMps, stepRateSpm, heartRateBpm });
  }
  return buildSeries(samples);
}

function formOf(
  w: WorkoutInfo,
  s: RunSamples,
  speed: readonly { tS: number; mps: number | null }[],
  rateAt: (t: number) => number | null,
): ImportedRun['form'] {
  const lengths = [...s.stepLength].sort((a, b) => a.tS - b.tS);
  let li = 0;
  const form: FormSample[] = speed.map((p) => {
    const t = p.tS + w.startS;
    while (li + 1 < lengths.length && (lengths[li + 1] as { tS: number }).tS <= t) li++;
    const l = lengths[li];
    return {
      tS: p.tS,
      speedMps: p.mps,
      cadenceSpm: rateAt(t),
      stepLengthM: l && Math.abs(l.tS - t) <= 60 ? l.m : null,
    };
  });
  return summarizeForm(form);
}
