import { DateTime } from 'luxon';
import { zoneOf } from './zone.ts';
import { dayNumberOf, daysSinceMonday, localDayNumber } from './days.ts';
import { distanceOf, durationOf, type LoadRun } from './types.ts';

/**
 * The calendar day a run belongs to: its start, in the runner's zone (not the zone it was run
 * in: weeks are the runner's own, DESIGN §3). A run at 23:30 on Sunday is Sunday's.
 */
export function runDay(run: Pick<LoadRun, 'startTime'>, zone: string): DateTime {
  return DateTime.fromISO(run.startTime, { setZone: true }).setZone(zoneOf(zone)).startOf('day');
}

/**
 * Week-over-week ramp in percent: (this week − last week) / last week × 100 (DESIGN §7).
 * Null when last week had no distance (a ramp from nothing is not a number).
 */
export function rampPct(thisWeekM: number, lastWeekM: number): number | null {
  return lastWeekM > 0 ? ((thisWeekM - lastWeekM) / lastWeekM) * 100 : null;
}

export interface WeekLoad {
  /** Monday 00:00 in the runner's zone. */
  weekStart: DateTime;
  runs: LoadRun[];
  /** Metres. */
  distanceM: number;
  /** Seconds (moving time, else elapsed). */
  durationS: number;
  /** Metres; null in a week without runs. */
  longestRunM: number | null;
  /** Percent vs the week before; null when the week before had no distance. */
  rampPct: number | null;
  /** Days of the week without a run; for the current week, counted up to today. */
  restDays: number;
}

/**
 * The last `weeks` calendar weeks (Monday to Monday in `zone`), oldest first, ending with the
 * week holding `now`. Runs after `now` are ignored.
 */
export function weeklyLoad(
  runs: readonly LoadRun[],
  zone: string,
  now: Date,
  weeks: number,
): WeekLoad[] {
  const today = DateTime.fromJSDate(now).setZone(zoneOf(zone)).startOf('day');
  const current = today.startOf('week');
  // Day numbers from here on: a run's week is found without a luxon date per run.
  const todayN = dayNumberOf(now, zone);
  const currentN = todayN - daysSinceMonday(todayN);
  const firstN = currentN - 7 * weeks;
  const byWeek = new Map<number, LoadRun[]>();
  const days = new Map<number, Set<number>>();
  for (const r of runs) {
    const n = localDayNumber(r.startTime, zone);
    if (n > todayN || n < firstN) continue;
    const key = n - daysSinceMonday(n);
    const list = byWeek.get(key);
    if (list) list.push(r);
    else byWeek.set(key, [r]);
    days.set(key, (days.get(key) ?? new Set()).add(n));
  }
  const out: WeekLoad[] = [];
  let previousM = 0;
  for (let w = weeks; w >= 0; w--) {
    const start = current.minus({ weeks: w });
    const key = currentN - 7 * w;
    const list = byWeek.get(key) ?? [];
    const distanceM = list.reduce((a, r) => a + distanceOf(r), 0);
    const daysInWeek = w === 0 ? todayN - currentN + 1 : 7;
    const week: WeekLoad = {
      weekStart: start,
      runs: list,
      distanceM,
      durationS: list.reduce((a, r) => a + durationOf(r), 0),
      longestRunM: list.length > 0 ? Math.max(...list.map(distanceOf)) : null,
      rampPct: rampPct(distanceM, previousM),
      restDays: daysInWeek - (days.get(key)?.size ?? 0),
    };
    previousM = distanceM;
    // The extra oldest week is read only for the first ramp.
    if (w < weeks) out.push(week);
  }
  return out;
}

export interface RollingRamp {
  /** Metres run in the last 7 calendar days, today included. */
  last7DaysM: number;
  /** Metres run in the 7 days before those. */
  previous7DaysM: number;
  /** last7DaysM / previous7DaysM; null when the previous 7 days had no distance. */
  ratio: number | null;
}

/** Days ago (0 = today) of each run's local day, in `zone`; runs after today are left out. */
function daysAgo(
  runs: readonly LoadRun[],
  zone: string,
  now: Date,
): { run: LoadRun; ago: number }[] {
  const today = dayNumberOf(now, zone);
  const out: { run: LoadRun; ago: number }[] = [];
  for (const run of runs) {
    const ago = today - localDayNumber(run.startTime, zone);
    if (ago >= 0) out.push({ run, ago });
  }
  return out;
}

/** Last 7 days vs the 7 before, by calendar days in `zone`: the ramp live advice uses (DESIGN §7). */
export function rollingRamp(runs: readonly LoadRun[], zone: string, now: Date): RollingRamp {
  let last7DaysM = 0;
  let previous7DaysM = 0;
  for (const { run, ago } of daysAgo(runs, zone, now)) {
    if (ago < 7) last7DaysM += distanceOf(run);
    else if (ago < 14) previous7DaysM += distanceOf(run);
  }
  return {
    last7DaysM,
    previous7DaysM,
    ratio: previous7DaysM > 0 ? last7DaysM / previous7DaysM : null,
  };
}

/** Calendar days without a run among the last `days` (today included), in `zone`. */
export function restDays(runs: readonly LoadRun[], zone: string, now: Date, days = 7): number {
  const ran = new Set(
    daysAgo(runs, zone, now)
      .filter((x) => x.ago < days)
      .map((x) => x.ago),
  );
  return days - ran.size;
}

/**
 * Consecutive calendar days with a run, ending today (or yesterday when today has no run yet).
 */
export function consecutiveRunDays(runs: readonly LoadRun[], zone: string, now: Date): number {
  const ran = new Set(daysAgo(runs, zone, now).map((x) => x.ago));
  let day = ran.has(0) ? 0 : 1;
  let streak = 0;
  while (ran.has(day)) {
    streak++;
    day++;
  }
  return streak;
}
