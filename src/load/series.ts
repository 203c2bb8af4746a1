import type { RunSeries } from '../model.ts';

/** One sample of a run: seconds since the start and what the device measured (null: nothing). */
export interface SeriesSample {
  tS: number;
  speedMps: number | null;
  /** Steps/min, both feet. */
  stepRateSpm: number | null;
  heartRateBpm: number | null;
}

/** Resolution of a stored series, seconds (issue 11: "e.g. 10 s resolution"). */
export const SERIES_STEP_S = 10;
/** At most this many slots (24 h at 10 s); a longer recording gets wider slots. */
export const MAX_SERIES_SLOTS = 8640;

/**
 * Averages samples into fixed slots from the start ({@link SERIES_STEP_S} s, wider past
 * {@link MAX_SERIES_SLOTS}): each value is the mean of the samples in its slot, NaN for a slot
 * without one. Samples before the start or with non-finite times are ignored. Returns null when no
 * sample carries any value. Typed arrays keep a 5-year import cheap (one pass, no objects per slot).
 */
export function buildSeries(samples: readonly SeriesSample[]): RunSeries | null {
  let lastT = -1;
  for (const s of samples) if (Number.isFinite(s.tS) && s.tS > lastT) lastT = s.tS;
  if (lastT < 0) return null;
  const stepS = Math.max(
    SERIES_STEP_S,
    Math.ceil(lastT / MAX_SERIES_SLOTS / SERIES_STEP_S) * SERIES_STEP_S,
  );
  const n = Math.min(MAX_SERIES_SLOTS, Math.floor(lastT / stepS) + 1);
  const sums = new Float64Array(n * 3);
  const counts = new Uint32Array(n * 3);
  let any = false;
  for (const s of samples) {
    if (!Number.isFinite(s.tS) || s.tS < 0) continue;
    const slot = Math.min(n - 1, Math.floor(s.tS / stepS));
    const values = [s.speedMps, s.stepRateSpm, s.heartRateBpm];
    for (let k = 0; k < 3; k++) {
      const v = values[k];
      if (v === null || v === undefined || !Number.isFinite(v) || v < 0) continue;
      sums[slot * 3 + k] = (sums[slot * 3 + k] ?? 0) + v;
      counts[slot * 3 + k] = (counts[slot * 3 + k] ?? 0) + 1;
      any = true;
    }
  }
  if (!any) return null;
  const series: RunSeries = {
    stepS,
    speedMps: new Float32Array(n),
    stepRateSpm: new Float32Array(n),
    heartRateBpm: new Float32Array(n),
  };
  const out = [series.speedMps, series.stepRateSpm, series.heartRateBpm];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const c = counts[i * 3 + k] ?? 0;
      (out[k] as Float32Array)[i] = c > 0 ? (sums[i * 3 + k] ?? 0) / c : Number.NaN;
    }
  }
  return series;
}
