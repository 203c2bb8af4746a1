import { IANAZone } from 'luxon';
import type { ImportedRun, Run } from '../src/model.ts';
import { round } from '../src/load/form-summary.ts';
import { zoneForOffset } from '../src/load/zone.ts';
import type { IntervalsActivity } from './intervals-api.ts';
import { positiveOrNull, summaryRun } from './summary-run.ts';
import type { ImportContext, ImportOutcome, Importer } from './types.ts';

/**
 * An intervals.icu activity's own summary, already parsed by `./intervals-api.ts`: the run when
 * the activity has no original file (manual entries, or a file no importer reads). Runs with a
 * file are read from the file by the file importers (src/intervals/apply.ts).
 */
export interface IntervalsInput {
  activity: IntervalsActivity;
}

/** intervals.icu types (Strava-style names) that are runs. */
export const INTERVALS_RUN_TYPES: ReadonlySet<string> = new Set(['Run', 'TrailRun', 'VirtualRun']);

export const isIntervalsRun = (a: IntervalsActivity): boolean =>
  typeof a.type === 'string' && INTERVALS_RUN_TYPES.has(a.type);

/** A local offset beyond ±14 h is not a time zone. */
const MAX_OFFSET_MIN = 14 * 60;

const positive = positiveOrNull;

/** Unix seconds of an ISO text; one without a zone is read as UTC (`start_date` is UTC). */
export function utcSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const zoned = /([Zz]|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? Math.round(ms / 1000) : null;
}

/**
 * Steps/min from `average_cadence`, whose unit the spec does not state: 70–110 is one leg's
 * strides/min (doubled), 140–230 already both feet; anything else is not a step rate
 * (science.md "Impossible numbers are not evidence").
 */
export function stepRateOf(cadence: number | null | undefined): number | null {
  const c = positive(cadence);
  if (c === null) return null;
  if (c >= 70 && c <= 110) return round(2 * c, 2);
  if (c >= 140 && c <= 230) return round(c, 2);
  return null;
}

function subSportOf(a: IntervalsActivity): string | null {
  if (a.type === 'VirtualRun') return 'virtual';
  if (a.type === 'TrailRun') return 'trail';
  return a.trainer === true ? 'treadmill' : null;
}

/** The run's zone: intervals.icu's when it is an IANA name with the run's offset, else by offset. */
function zoneOf(a: IntervalsActivity, unixS: number, offset: number | null, ctx: ImportContext) {
  const named = a.timezone && IANAZone.isValidZone(a.timezone) ? a.timezone : null;
  if (offset === null) return named ?? ctx.timezone;
  if (named && IANAZone.create(named).offset(unixS * 1000) === offset) return named;
  return zoneForOffset(unixS, offset, ctx.timezone);
}

/** Maps an intervals.icu run's summary to a canonical run (DESIGN §3); the caller checked the type. */
export function intervalsRun(a: IntervalsActivity, unixS: number, ctx: ImportContext): Run {
  const local = utcSeconds(a.start_date_local);
  const raw = local === null ? null : Math.round((local - unixS) / 900) * 15;
  const offset = raw !== null && Math.abs(raw) <= MAX_OFFSET_MIN ? raw : null;
  return summaryRun({
    source: 'intervals',
    sourceId: a.id,
    unixS,
    timezone: zoneOf(a, unixS, offset, ctx),
    offsetKnown: offset !== null,
    subSport: subSportOf(a),
    distanceM: positive(a.distance) ?? positive(a.icu_distance),
    movingTimeS: positive(a.moving_time),
    elapsedTimeS: positive(a.elapsed_time),
    avgSpeedMps: positive(a.average_speed),
    avgCadenceSpm: stepRateOf(a.average_cadence),
    avgHeartRateBpm: positive(a.average_heartrate),
    device: a.device_name,
    gearId: null,
  });
}

function readIntervals(input: IntervalsInput, ctx: ImportContext): ImportOutcome {
  const a = input.activity;
  if (typeof a._note === 'string' || (a.source === 'STRAVA' && !a.type)) {
    return {
      kind: 'skipped',
      reason: `came from Strava: ${a._note ?? 'not available via the API'}`,
    };
  }
  const unixS = utcSeconds(a.start_date) ?? null;
  if (unixS === null) {
    return { kind: 'failed', error: `intervals.icu activity ${a.id} has no valid start_date` };
  }
  if (!isIntervalsRun(a)) return { kind: 'skipped', reason: `not a run (${a.type ?? 'unknown'})` };
  const run: ImportedRun = { run: intervalsRun(a, unixS, ctx), form: null, series: null };
  return { kind: 'runs', runs: [run] };
}

export default {
  name: 'intervals',
  // intervals.icu summaries come from the API client src/intervals/ runs, never from a file.
  feed: { kind: 'api' },
  read: readIntervals,
} satisfies Importer<IntervalsInput>;
