import { IANAZone } from 'luxon';
import type { FormSummary, ImportedRun, Run, RunSeries } from '../src/model.ts';
import { buildSeries } from '../src/load/series.ts';
import { round, summarizeForm, type FormSample } from '../src/load/form-summary.ts';
import { zoneForOffset } from '../src/load/zone.ts';
import type { StravaActivity, StravaStreams } from './strava-api.ts';
import { positiveOrNull, summaryRun } from './summary-run.ts';
import type { ImportContext, ImportOutcome, Importer } from './types.ts';

/**
 * A Strava activity (summary or detail) and, for recent runs, its streams, both already parsed
 * by the schemas in `./strava-api.ts` (the Strava client parses every answer at the edge).
 */
export interface StravaInput {
  activity: StravaActivity;
  streams: StravaStreams | null;
}

/** Strava sport types that are runs; treadmill runs are `Run` with `trainer: true`. */
export const STRAVA_RUN_TYPES: ReadonlySet<string> = new Set(['Run', 'TrailRun', 'VirtualRun']);

/** A local offset beyond ±14 h is not a time zone. */
const MAX_OFFSET_MIN = 14 * 60;

/** `sport_type` (newer, finer) or the legacy `type`. */
export const sportTypeOf = (a: StravaActivity): string => a.sport_type ?? a.type ?? 'unknown';

export const isStravaRun = (a: StravaActivity): boolean => STRAVA_RUN_TYPES.has(sportTypeOf(a));

const positive = positiveOrNull;

/**
 * The run's local UTC offset, minutes: `start_date_local` is the local wall-clock time written
 * with a `Z` (Strava quirk), so local − UTC is the offset; `utc_offset` (seconds, DST included)
 * when the local time is missing.
 */
function localOffsetMin(a: StravaActivity, unixS: number): number | null {
  const local = a.start_date_local ? Date.parse(a.start_date_local) : NaN;
  let offset: number | null = null;
  if (Number.isFinite(local)) offset = Math.round((local / 1000 - unixS) / 900) * 15;
  else if (typeof a.utc_offset === 'number') offset = Math.round(a.utc_offset / 900) * 15;
  return offset !== null && Math.abs(offset) <= MAX_OFFSET_MIN ? offset : null;
}

/** The IANA name in Strava's `(GMT+01:00) Europe/Berlin` label, when it is a valid zone. */
export function zoneOfLabel(label: string | null | undefined): string | null {
  const name = label?.replace(/^\([^)]*\)\s*/, '').trim();
  return name && IANAZone.isValidZone(name) ? name : null;
}

/**
 * The run's zone: the one Strava names when it had the run's offset at that instant, else the
 * runner's own zone with that offset, else a fixed-offset zone (the run keeps its local time).
 */
function zoneOf(a: StravaActivity, unixS: number, offset: number | null, ctx: ImportContext) {
  const named = zoneOfLabel(a.timezone);
  if (offset === null) return named ?? ctx.timezone;
  if (named && IANAZone.create(named).offset(unixS * 1000) === offset) return named;
  return zoneForOffset(unixS, offset, ctx.timezone);
}

function subSportOf(a: StravaActivity): string | null {
  const type = sportTypeOf(a);
  if (type === 'VirtualRun') return 'virtual';
  if (type === 'TrailRun') return 'trail';
  return a.trainer === true ? 'treadmill' : null;
}

/**
 * The per-run form summary from Strava streams (the same {@link summarizeForm} as FIT imports):
 * `cadence` is one leg's strides/min, so it is doubled; samples where Strava says the athlete
 * was not `moving` count as pauses.
 */
export function formFromStreams(streams: StravaStreams): FormSummary | null {
  const time = streams.time?.data;
  if (!time || time.length === 0) return null;
  const speed = streams.velocity_smooth?.data;
  const cadence = streams.cadence?.data;
  const moving = streams.moving?.data;
  const samples: FormSample[] = time.map((t, i) => {
    const still = moving?.[i] === false;
    const v = speed?.[i];
    const c = cadence?.[i];
    return {
      tS: t,
      speedMps: still || typeof v !== 'number' ? null : v,
      cadenceSpm: still || typeof c !== 'number' ? null : 2 * c,
      stepLengthM: null,
    };
  });
  return summarizeForm(samples);
}

/**
 * Pace, step rate and heart rate over the run from Strava streams, in 10 s slots; `cadence` is
 * one leg's strides/min, so it is doubled; samples where Strava says the athlete was not
 * `moving` carry no speed or step rate.
 */
export function seriesFromStreams(streams: StravaStreams): RunSeries | null {
  const time = streams.time?.data;
  if (!time || time.length === 0) return null;
  const speed = streams.velocity_smooth?.data;
  const cadence = streams.cadence?.data;
  const hr = streams.heartrate?.data;
  const moving = streams.moving?.data;
  return buildSeries(
    time.map((t, i) => {
      const still = moving?.[i] === false;
      const v = speed?.[i];
      const c = cadence?.[i];
      const b = hr?.[i];
      return {
        tS: t,
        speedMps: still || typeof v !== 'number' ? null : v,
        stepRateSpm: still || typeof c !== 'number' ? null : 2 * c,
        heartRateBpm: typeof b === 'number' && b > 0 ? b : null,
      };
    }),
  );
}

/** Maps a Strava run to a canonical run (DESIGN §3); the caller has checked it is a run. */
export function stravaRun(a: StravaActivity, ctx: ImportContext): Run {
  const unixS = Math.round(Date.parse(a.start_date) / 1000);
  const offset = localOffsetMin(a, unixS);
  const strides = positive(a.average_cadence);
  return summaryRun({
    source: 'strava',
    sourceId: String(a.id),
    unixS,
    timezone: zoneOf(a, unixS, offset, ctx),
    offsetKnown: offset !== null,
    subSport: subSportOf(a),
    distanceM: positive(a.distance),
    movingTimeS: positive(a.moving_time),
    elapsedTimeS: positive(a.elapsed_time),
    avgSpeedMps: positive(a.average_speed),
    // Strava's running cadence is one leg's strides per minute.
    avgCadenceSpm: strides === null ? null : round(2 * strides, 2),
    avgHeartRateBpm: positive(a.average_heartrate),
    device: a.device_name,
    gearId: a.gear_id ?? null,
  });
}

function readStrava(input: StravaInput, ctx: ImportContext): ImportOutcome {
  const { activity: a, streams } = input;
  if (!Number.isFinite(Date.parse(a.start_date))) {
    return { kind: 'failed', error: `Strava activity ${a.id} has no valid start_date` };
  }
  if (!isStravaRun(a)) return { kind: 'skipped', reason: `not a run (${sportTypeOf(a)})` };
  const run: ImportedRun = {
    run: stravaRun(a, ctx),
    form: streams ? formFromStreams(streams) : null,
    series: streams ? seriesFromStreams(streams) : null,
  };
  return { kind: 'runs', runs: [run] };
}

export default {
  name: 'strava',
  // Strava activities come from the API client that src/strava/ runs, never from a file.
  feed: { kind: 'api' },
  read: readStrava,
} satisfies Importer<StravaInput>;
