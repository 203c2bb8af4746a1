import { DateTime } from 'luxon';
import { runDay } from './weeks.ts';
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
  const end = DateTime.fromJSDate(asOf).setZone(zone).startOf('day');
  const daily = new Map<string, number>();
  let first: DateTime | null = null;
  for (const r of runs) {
    const day = runDay(r, zone);
    if (day > end) continue;
    if (!first || day < first) first = day;
    const key = day.toISODate() ?? '';
    daily.set(key, (daily.get(key) ?? 0) + distanceOf(r));
  }
  if (!first) return { acuteM: 0, chronicM: 0, ratio: null };
  const la = ewmaLambda(ACUTE_DAYS);
  const lc = ewmaLambda(CHRONIC_DAYS);
  let acute = 0;
  let chronic = 0;
  let days = 0;
  for (let d = first; d <= end; d = d.plus({ days: 1 })) {
    const load = daily.get(d.toISODate() ?? '') ?? 0;
    acute = load * la + acute * (1 - la);
    chronic = load * lc + chronic * (1 - lc);
    days++;
  }
  return {
    acuteM: acute,
    chronicM: chronic,
    ratio: days >= CHRONIC_DAYS && chronic > 0 ? acute / chronic : null,
  };
}
