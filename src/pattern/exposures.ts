import { localDayNumber } from '../load/days.ts';
import { spikesOf } from '../load/spike.ts';
import { cadencePoints, cadenceVsLine, fitCadenceLine } from '../load/stride.ts';
import { distanceOf, durationOf } from '../load/types.ts';
import type { FormSummary, Run, RunId } from '../model.ts';

/**
 * The exposures science.md "A personal pattern" declares in advance, in its order. Nothing else
 * is compared: a comparison mined from the data would find chance patterns.
 */
export const EXPOSURES = [
  'spike',
  'ramp',
  'long-run',
  'low-step-rate',
  'new-shoes',
  'back-to-back',
] as const;
export type Exposure = (typeof EXPOSURES)[number];

/** RUNSAFE-2025: a run > 1.10 × the longest of the 30 days before it. */
export const SPIKE_RATIO = 1.1;
/** NIELSEN-2014: the 7 days up to a run > 1.30 × the 7 days before them. */
export const RAMP_RATIO = 1.3;
/** A long run: above the runner's own 75th percentile distance (kneecheck). */
export const LONG_RUN_PERCENTILE = 0.75;
/** Step rate this many percent or more below the runner's own line at the run's speed. */
export const LOW_STEP_RATE_PCT = 3;
/** A pair with under this many metres before the run (kneecheck). */
export const NEW_SHOES_M = 50_000;
/** … or a pair changed to within this many days before the run (kneecheck). */
export const SHOE_CHANGE_DAYS = 14;

/** The inputs the exposures are computed from. */
export interface ExposureInput {
  /** Counted runs, any order. */
  runs: readonly Run[];
  forms: ReadonlyMap<RunId, FormSummary>;
  /** The shoe pair id of each run that has one. */
  shoeOf: ReadonlyMap<RunId, number>;
  /** The runner's IANA zone (calendar days for the ramp and "the day after a run"). */
  zone: string;
}

/**
 * Per run (by id), whether each exposure applies: true, false, or null when it cannot be said
 * (no run in the 30 days before for a spike, no step rate, no shoe pair, …). A run with null is
 * left out of that exposure's comparison, in neither group.
 */
export type RunExposures = Map<RunId, Record<Exposure, boolean | null>>;

/** The distance above which a run is long for this runner, m (the 75th percentile, linear). */
export function longRunThresholdM(runs: readonly Run[]): number | null {
  const d = runs
    .map((r) => r.distanceM)
    .filter((x): x is number => x !== null && x > 0)
    .sort((a, b) => a - b);
  if (d.length === 0) return null;
  const pos = (d.length - 1) * LONG_RUN_PERCENTILE;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (d[lo] ?? 0) + ((d[hi] ?? 0) - (d[lo] ?? 0)) * (pos - lo);
}

/** Every declared exposure of every run. */
export function exposuresOf(input: ExposureInput): {
  byRun: RunExposures;
  longRunM: number | null;
} {
  const runs = [...input.runs].sort(
    (a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || (a.id < b.id ? -1 : 1),
  );
  const spikes = spikesOf(runs);
  const longRunM = longRunThresholdM(runs);
  const points = runs.map((r) => cadencePoints(r, input.forms.get(r.id) ?? null));
  const line = fitCadenceLine(points);
  const days = runs.map((r) => localDayNumber(r.startTime, input.zone));
  // Metres per local day, to sum the 7-day windows of the ramp without rescanning the runs.
  const perDay = new Map<number, number>();
  for (let i = 0; i < runs.length; i++) {
    const d = days[i] ?? 0;
    perDay.set(d, (perDay.get(d) ?? 0) + distanceOf(runs[i] as Run));
  }
  const sumDays = (from: number, to: number): number => {
    let s = 0;
    for (let d = from; d <= to; d++) s += perDay.get(d) ?? 0;
    return s;
  };
  const byRun: RunExposures = new Map();
  const shoeKm = new Map<number, number>();
  let lastShoe: number | null = null;
  let changedAt: number | null = null;
  let sameDayBefore = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as Run;
    const day = days[i] ?? 0;
    const start = Date.parse(run.startTime);
    // The ramp: the 7 calendar days up to this run (earlier runs of its day and itself) against
    // the 7 days before them.
    sameDayBefore =
      i > 0 && days[i - 1] === day ? sameDayBefore + distanceOf(runs[i - 1] as Run) : 0;
    const last7 = sumDays(day - 6, day - 1) + sameDayBefore + distanceOf(run);
    const prev7 = sumDays(day - 13, day - 7);
    const spike = spikes[i]?.ratio ?? null;
    const matched = line.basis === 'runner' ? cadenceVsLine(points[i] ?? [], line) : null;
    const shoe = input.shoeOf.get(run.id) ?? null;
    let newShoes: boolean | null = null;
    if (shoe !== null) {
      if (lastShoe !== null && shoe !== lastShoe) changedAt = start;
      const before = shoeKm.get(shoe) ?? 0;
      newShoes =
        before < NEW_SHOES_M ||
        (changedAt !== null && start - changedAt < SHOE_CHANGE_DAYS * 86_400_000);
      shoeKm.set(shoe, before + distanceOf(run));
      lastShoe = shoe;
    }
    byRun.set(run.id, {
      spike: spike === null ? null : spike > SPIKE_RATIO,
      ramp: prev7 > 0 ? last7 / prev7 > RAMP_RATIO : null,
      'long-run': longRunM === null || run.distanceM === null ? null : run.distanceM > longRunM,
      'low-step-rate': matched === null ? null : matched.deltaPct <= -LOW_STEP_RATE_PCT,
      'new-shoes': newShoes,
      'back-to-back': perDay.has(day - 1),
    });
  }
  return { byRun, longRunM };
}

/** When a run ends, epoch ms (its start plus its duration). */
export const runEndMs = (run: Run): number => Date.parse(run.startTime) + durationOf(run) * 1000;
