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

/**
 * {@link spikeOf} for every run of `runs` at once, in one pass over the runs sorted by start:
 * the longest run of each 30-day window is kept in a monotonic queue (each run enters and leaves
 * it once), so the work grows with n log n (the sort), not n², and each start is parsed once.
 * The result is identical to calling `spikeOf(run, runs)` for each run (test/load/spike.test.ts).
 * Returned in the order of `runs`.
 */
export function spikesOf<R extends LoadRun>(runs: readonly R[]): Spike[] {
  const n = runs.length;
  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) starts[i] = Date.parse(runs[i]?.startTime ?? '');
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !Number.isNaN(starts[i]))
    .sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0));
  const out: Spike[] = new Array<Spike>(n);
  // Indices (into runs) of candidates for the window's longest, distances decreasing.
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const windowMs = SPIKE_WINDOW_DAYS * 86_400_000;
  for (let k = 0; k < order.length;) {
    const t = starts[order[k] ?? 0] ?? 0;
    // Runs starting at the same instant are not before one another: answer them all first.
    let end = k;
    while (end < order.length && starts[order[end] ?? 0] === t) end++;
    const from = t - windowMs;
    while (head < tail && (starts[queue[head] ?? 0] ?? 0) < from) head++;
    const longest = head < tail ? (runs[queue[head] ?? 0]?.distanceM ?? null) : null;
    for (let j = k; j < end; j++) {
      const i = order[j] ?? 0;
      const run = runs[i];
      if (!run) continue;
      const distanceM = distanceOf(run);
      out[i] = {
        distanceM,
        longestPrevious30DaysM: longest,
        ratio: longest !== null && longest > 0 ? distanceM / longest : null,
      };
    }
    for (let j = k; j < end; j++) {
      const i = order[j] ?? 0;
      const d = runs[i]?.distanceM;
      if (d === null || d === undefined) continue;
      while (head < tail && (runs[queue[tail - 1] ?? 0]?.distanceM ?? 0) <= d) tail--;
      queue[tail++] = i;
    }
    k = end;
  }
  // A start that does not parse is before nothing and after nothing, as in spikeOf.
  for (let i = 0; i < n; i++) {
    const run = runs[i];
    if (out[i] === undefined && run) out[i] = spikeOf(run, runs);
  }
  return out;
}
