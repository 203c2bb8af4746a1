import { localDayNumber } from '../load/days.ts';
import type { KneeCheck, Run, RunId } from '../model.ts';
import { runEndMs } from './exposures.ts';

/** The knee a pattern is about: one side, or null when no check ever named a side. */
export type PatternKnee = 'left' | 'right' | null;

/** A flare: a check within this many hours after the run (science.md). */
export const FLARE_WINDOW_H = 48;
/** … with pain at or above this, 0–10 … */
export const FLARE_PAIN = 3;
/** … or this many points or more above the last check before the run. */
export const FLARE_RISE = 2;

/** What the checks said after one run about one knee. */
export type Outcome = 'flare' | 'no-flare' | 'no-answer' | 'during-flare';

/** True when a check is about `knee` (a check with no side, or "both", is about both knees). */
export const isAbout = (check: KneeCheck, knee: PatternKnee): boolean =>
  knee === null || check.knee === null || check.knee === 'both' || check.knee === knee;

/**
 * The knees to describe: each side some check names, or one knee (null) when none names a side.
 */
export function kneesOf(checks: readonly KneeCheck[]): PatternKnee[] {
  const sides = new Set<PatternKnee>();
  for (const c of checks) if (c.knee === 'left' || c.knee === 'right') sides.add(c.knee);
  if (sides.size === 0) return [null];
  return (['left', 'right'] as const).filter((s) => sides.has(s));
}

interface Timed {
  check: KneeCheck;
  at: number;
}

/**
 * The outcome of each run for one knee (science.md "One outcome"): a flare is a check within
 * {@link FLARE_WINDOW_H} h after the run's end with pain ≥ {@link FLARE_PAIN}, or
 * {@link FLARE_RISE}+ points above the last check before the run. Flare days in a row are one
 * episode: a run made while an episode that began before it is still going is `during-flare`,
 * in neither group (its knee was already flaring, so it says nothing about what the run did).
 * A run with no check about the knee in its window is `no-answer`.
 *
 * A flare within 48 h of two runs is a flare after both. Also returns how many flare episodes
 * followed a run (the gate's "flares"; an episode is counted once however many runs it followed).
 */
export function outcomesOf(
  runs: readonly Run[],
  checks: readonly KneeCheck[],
  knee: PatternKnee,
  zone: string,
): { byRun: Map<RunId, Outcome>; episodes: number } {
  const about: Timed[] = checks
    .filter((c) => isAbout(c, knee))
    .map((c) => ({ check: c, at: Date.parse(c.checkedAt) }))
    .filter((c) => !Number.isNaN(c.at))
    .sort((a, b) => a.at - b.at || a.check.id - b.check.id);
  const sorted = [...runs]
    .map((r) => ({ run: r, start: Date.parse(r.startTime), end: runEndMs(r) }))
    .filter((r) => !Number.isNaN(r.start))
    .sort((a, b) => a.start - b.start);
  // The last check before an instant, by binary search over the sorted checks.
  const lastBefore = (t: number): Timed | null => {
    let lo = 0;
    let hi = about.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((about[mid]?.at ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? (about[lo - 1] ?? null) : null;
  };
  const firstAfter = (t: number): number => {
    let lo = 0;
    let hi = about.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((about[mid]?.at ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const isFlare = (c: KneeCheck, before: Timed | null): boolean =>
    c.pain >= FLARE_PAIN || (before !== null && c.pain >= before.check.pain + FLARE_RISE);
  // Flare days: a check is a flare against the last check before the latest run before it.
  const runStarts = sorted.map((r) => r.start);
  const flareDays = new Map<number, number>(); // local day → first flare instant that day
  let r = 0;
  for (const c of about) {
    while (r < runStarts.length && (runStarts[r] ?? 0) < c.at) r++;
    const latestRun = r > 0 ? (runStarts[r - 1] ?? null) : null;
    if (latestRun === null) continue;
    if (!isFlare(c.check, lastBefore(latestRun))) continue;
    const day = localDayNumber(c.check.checkedAt, zone);
    if (!flareDays.has(day)) flareDays.set(day, c.at);
  }
  // Episodes: days in a row; each day maps to its episode's first instant and last day.
  const episodeOf = new Map<number, { firstAt: number; lastDay: number }>();
  const days = [...flareDays.keys()].sort((a, b) => a - b);
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === (days[j] ?? 0) + 1) j++;
    const ep = { firstAt: flareDays.get(days[i] ?? 0) ?? 0, lastDay: days[j] ?? 0 };
    for (let k = i; k <= j; k++) episodeOf.set(days[k] ?? 0, ep);
    i = j + 1;
  }
  const byRun = new Map<RunId, Outcome>();
  // The episodes some run is followed by (a flare is a flare after a run): two runs before one
  // episode count it once.
  const followed = new Set<object | number>();
  for (const { run, start, end } of sorted) {
    const runDay = localDayNumber(run.startTime, zone);
    // Already flaring: the run's day is a day of an episode that began before the run.
    const episode = episodeOf.get(runDay);
    const ongoing = episode !== undefined && episode.firstAt < start;
    if (ongoing) {
      byRun.set(run.id, 'during-flare');
      continue;
    }
    const before = lastBefore(start);
    const windowEnd = end + FLARE_WINDOW_H * 3_600_000;
    let answered = false;
    let flare = false;
    for (let i = firstAfter(start); i < about.length && (about[i]?.at ?? 0) <= windowEnd; i++) {
      const c = about[i] as Timed;
      answered = true;
      if (isFlare(c.check, before)) {
        flare = true;
        const day = localDayNumber(c.check.checkedAt, zone);
        followed.add(episodeOf.get(day) ?? day);
      }
    }
    byRun.set(run.id, flare ? 'flare' : answered ? 'no-flare' : 'no-answer');
  }
  return { byRun, episodes: followed.size };
}
