import type { Run, RunId, RunWarning } from '../src/model.ts';
import { round } from '../src/load/form-summary.ts';
import { isoInZone } from '../src/load/zone.ts';

/** A value that is a positive finite number, else null (an API's 0 means "not recorded"). */
export const positiveOrNull = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;

/** What an API's activity summary says of a run (Strava, intervals.icu), already read. */
export interface ActivitySummary {
  source: 'strava' | 'intervals';
  sourceId: string;
  /** Start, Unix seconds. */
  unixS: number;
  /** The run's IANA zone, and whether the source gave its local offset. */
  timezone: string;
  offsetKnown: boolean;
  subSport: string | null;
  distanceM: number | null;
  movingTimeS: number | null;
  elapsedTimeS: number | null;
  /** The source's own average speed, m/s (null: computed from distance and moving time). */
  avgSpeedMps: number | null;
  /** Steps/min, both feet, already normalised from the source's unit. */
  avgCadenceSpm: number | null;
  avgHeartRateBpm: number | null;
  device: string | null | undefined;
  gearId: string | null;
}

/**
 * The canonical run of an activity summary (DESIGN §3), the same for every API source: missing
 * values null with their warning, speed from distance / moving time when the source gives none,
 * step length from speed and step rate.
 */
export function summaryRun(s: ActivitySummary): Run {
  const warnings: RunWarning[] = [];
  if (!s.offsetKnown) warnings.push('no-local-time');
  if (s.avgCadenceSpm === null) warnings.push('no-cadence');
  if (s.distanceM === null) warnings.push('no-distance');
  const avgSpeedMps =
    s.avgSpeedMps ??
    (s.distanceM !== null && s.movingTimeS !== null ? round(s.distanceM / s.movingTimeS, 3) : null);
  return {
    id: `${s.source}:${s.sourceId}` as RunId,
    source: s.source,
    sourceId: s.sourceId,
    sources: [{ source: s.source, sourceId: s.sourceId }],
    startTime: isoInZone(s.unixS, s.timezone),
    timezone: s.timezone,
    sport: 'running',
    subSport: s.subSport,
    distanceM: s.distanceM,
    movingTimeS: s.movingTimeS,
    elapsedTimeS: s.elapsedTimeS,
    avgSpeedMps,
    avgCadenceSpm: s.avgCadenceSpm,
    avgStepLengthM:
      avgSpeedMps !== null && s.avgCadenceSpm !== null
        ? round(avgSpeedMps / (s.avgCadenceSpm / 60), 3)
        : null,
    avgHeartRateBpm: s.avgHeartRateBpm === null ? null : Math.round(s.avgHeartRateBpm),
    device: s.device && s.device.length > 0 ? s.device : null,
    gearId: s.gearId,
    partial: false,
    warnings,
    excluded: null,
  };
}
