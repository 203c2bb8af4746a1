import { distanceOf, type LoadRun } from './types.ts';

/** RUNSAFE-2025's exposure window: the longest run of the 30 days before a session. */
export const SPIKE_WINDOW_DAYS = 30;

export interface Spike {
  /** Metres of the run. */
  distanceM: number;
  /** Longest run (m) that started in the 30 days before this one; null when there was none. */
  longestPrevious30DaysM: number | null;
  /** distanceM / longestPrevious30DaysM; null without a previous run. */
  ratio: number | null;
}

/**
 * Single-run spike (RUNSAFE-2025, Frandsen et al. 2025): a run's distance relative to the
 * longest run in the 30 days (by instant) before its start. Ratio > 1.10 and > 1.30 are the
 * study's exposure categories.
 */
export function spikeOf(run: LoadRun, history: readonly LoadRun[]): Spike {
  const start = Date.parse(run.startTime);
  const from = start - SPIKE_WINDOW_DAYS * 86_400_000;
  let longest: number | null = null;
  for (const r of history) {
    const t = Date.parse(r.startTime);
    if (t >= from && t < start && r.distanceM !== null)
      longest = Math.max(longest ?? 0, r.distanceM);
  }
  const distanceM = distanceOf(run);
  return {
    distanceM,
    longestPrevious30DaysM: longest,
    ratio: longest !== null && longest > 0 ? distanceM / longest : null,
  };
}
