import { dayNumberOf, localDayNumber } from './days.ts';
import { distanceOf, type LoadRun } from './types.ts';

export const ACUTE_DAYS = 7;
export const CHRONIC_DAYS = 28;

/** EWMA decay for an N-day window: λ = 2 / (N + 1) (Williams et al., Br J Sports Med 2017). */
export const ewmaLambda = (days: number): number => 2 / (days + 1);

export interface Acwr {
  /** EWMA of daily distance (m) with N = 7. */
  acuteM: number;
  /** EWMA of daily distance (m) with N = 28. */
  chronicM: number;
  /** acute / chronic; null with under 28 days of history or no chronic load. */
  ratio: number | null;
}

/**
 * Exponentially weighted acute:chronic load (GABBETT-2016; EWMA variant of Williams 2017):
 * each calendar day in `zone`, EWMA_today = load_today × λ + EWMA_yesterday × (1 − λ), with the
 * day's distance as load, both averages starting at 0 on the day of the first run. Context only:
 * RUNSAFE-2025 found no association with injury in runners.
 */
export function ewmaAcwr(runs: readonly LoadRun[], zone: string, asOf: Date): Acwr {
  return ewmaSeries(runs, zone)(dayNumberOf(asOf, zone));
}

/**
 * The EWMA acute:chronic load of every day at once (see {@link ewmaAcwr}): one pass over the
 * days from the first run, then a lookup per day asked for. Days after the last run continue the
 * decay; days before the first run have no load.
 */
export function ewmaSeries(runs: readonly LoadRun[], zone: string): (day: number) => Acwr {
  const daily = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const r of runs) {
    const day = localDayNumber(r.startTime, zone);
    first = Math.min(first, day);
    last = Math.max(last, day);
    daily.set(day, (daily.get(day) ?? 0) + distanceOf(r));
  }
  const la = ewmaLambda(ACUTE_DAYS);
  const lc = ewmaLambda(CHRONIC_DAYS);
  const acute: number[] = [];
  const chronic: number[] = [];
  let a = 0;
  let c = 0;
  for (let d = first; d <= last; d++) {
    const load = daily.get(d) ?? 0;
    a = load * la + a * (1 - la);
    c = load * lc + c * (1 - lc);
    acute.push(a);
    chronic.push(c);
  }
  return (day) => {
    if (!Number.isFinite(first) || day < first) return { acuteM: 0, chronicM: 0, ratio: null };
    const i = Math.min(day, last) - first;
    // Past the last run the load is 0: both averages only decay.
    const idle = day - Math.min(day, last);
    const acuteM = (acute[i] ?? 0) * (1 - la) ** idle;
    const chronicM = (chronic[i] ?? 0) * (1 - lc) ** idle;
    const days = day - first + 1;
    return {
      acuteM,
      chronicM,
      ratio: days >= CHRONIC_DAYS && chronicM > 0 ? acuteM / chronicM : null,
    };
  };
}
