import { DateTime } from 'luxon';
import { zoneOf } from '../load/zone.ts';
import { ewmaAcwr } from '../load/acwr.ts';
import { spikeOf } from '../load/spike.ts';
import { rollingRamp } from '../load/weeks.ts';
import { plausibleRun } from '../load/plausible.ts';
import type { FormSummary, Run, RunId, RunMark } from '../model.ts';
import { dayNumberOf, localDayNumber } from '../load/days.ts';
import { distanceOf } from '../load/types.ts';
import type { AdviceInput, Facts, WeeklyRamp } from './types.ts';

/**
 * Pain rules read checks about the latest run or from the last 14 days (science.md, "Checks
 * age"); an older pain check is history. Red flags do not age.
 */
export const CHECK_RELEVANCE_DAYS = 14;
/** A run older than this no longer drives single-run rules (spike, strides, comeback). */
export const RECENT_RUN_DAYS = 7;

const DAY_MS = 86_400_000;
/** Runs this recent are re-checked for impossible values at advice time. */
const RECHECK_DAYS = 120;

/** Epoch ms of an ISO 8601 instant (Date.parse: fast, and exact for the offsets stored). */
export const ms = (iso: string) => Date.parse(iso);

/** Run end instant, ms: start + elapsed (or moving) time. */
export function runEndMs(run: RunMark): number {
  return ms(run.startTime) + (run.elapsedTimeS ?? run.movingTimeS ?? 0) * 1000;
}

/** `runs` with the marks of the runs not handed in whole (counted or not), by start. */
function withMarks(runs: readonly Run[], input: AdviceInput): RunMark[] {
  const given = new Set(input.runs.map((r) => r.id as string));
  const marks = (input.runMarks ?? []).filter((m) => !given.has(m.id));
  return [...runs, ...marks].sort((a, b) => ms(a.startTime) - ms(b.startTime));
}

/** Last 7 days against max(the 7 before, the average 7 days of the 28 before the last 7). */
export function weeklyRampOf(runs: readonly Run[], zone: string, now: Date): WeeklyRamp {
  const base = rollingRamp(runs, zone, now);
  const today = dayNumberOf(now, zone);
  let older = 0;
  // Only runs of the last 35 days matter: from the newest back (runs are sorted by start).
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i];
    if (!r) continue;
    const ago = today - localDayNumber(r.startTime, zone);
    if (ago >= 35) break;
    if (ago >= 7) older += distanceOf(r);
  }
  const average7DaysM = older / 4;
  const baselineM = Math.max(base.previous7DaysM, average7DaysM);
  return {
    ...base,
    average7DaysM,
    baselineM,
    ratio: baselineM > 0 ? base.last7DaysM / baselineM : null,
  };
}

export function factsOf(input: AdviceInput): Facts {
  const now = DateTime.fromJSDate(input.now).setZone(zoneOf(input.zone));
  const nowMs = now.toMillis();
  // Stored runs were checked at import; checking again here also covers records stored before
  // that check existed, and a record handed in by another caller (idempotent: a halved step
  // rate is not halved twice).
  const forms = new Map<RunId, FormSummary>();
  const runs: Run[] = [];
  // Rules look back at most 60 days (strides) plus 30 (the longest before a comeback's break);
  // older runs only feed the long ACWR average, as stored.
  const checkFrom = nowMs - RECHECK_DAYS * DAY_MS;
  for (const r of input.runs) {
    if (r.excluded != null || ms(r.startTime) > nowMs) continue;
    const form = input.forms.get(r.id) ?? null;
    if (ms(r.startTime) < checkFrom) {
      runs.push(r);
      if (form) forms.set(r.id, form);
      continue;
    }
    const checked = plausibleRun({ run: r, form }, input.now);
    if (checked.run.excluded != null) continue;
    runs.push(checked.run);
    if (checked.form) forms.set(r.id, checked.form);
  }
  runs.sort((a, b) => ms(a.startTime) - ms(b.startTime));
  const latest = runs.at(-1) ?? null;
  const recentRun =
    latest && nowMs - ms(latest.startTime) <= RECENT_RUN_DAYS * DAY_MS ? latest : null;
  const checks = input.checks
    .filter((c) => ms(c.checkedAt) <= nowMs)
    .sort((a, b) => ms(a.checkedAt) - ms(b.checkedAt) || a.id - b.id);
  const clearance = (input.clearances ?? [])
    .filter((c) => ms(c.clearedAt) <= nowMs)
    .sort((a, b) => ms(a.clearedAt) - ms(b.clearedAt))
    .at(-1);
  const clearedMs = clearance ? ms(clearance.clearedAt) : -Infinity;
  const relevant = checks.filter(
    (c) =>
      (latest !== null && c.runId === latest.id) ||
      nowMs - ms(c.checkedAt) <= CHECK_RELEVANCE_DAYS * DAY_MS,
  );
  const byId = new Map(runs.map((r) => [r.id as string, r]));
  // The runs before old knee checks, when `runs` hold only recent ones (a mark of a run handed in
  // whole, counted or not, is that run's business).
  const timeline: RunMark[] = input.runMarks?.length ? withMarks(runs, input) : runs;
  const starts = timeline.map((r) => ms(r.startTime));
  const runBefore = (atMs: number): RunMark | null => {
    // Binary search: the last start at or before atMs.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? Infinity) <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return timeline[lo - 1] ?? null;
  };
  let spike: Facts['spike'] = null;
  if (recentRun) {
    const from = ms(recentRun.startTime) - DAY_MS;
    for (const r of runs) {
      if (ms(r.startTime) < from) continue;
      const s = spikeOf(r, runs);
      if (s.ratio !== null && (spike === null || (spike.ratio ?? 0) < s.ratio))
        spike = { ...s, run: r };
    }
  }
  let acwr: number | null | undefined;
  return {
    input,
    now,
    nowMs,
    runs,
    forms,
    recentRun,
    knee: null,
    checks,
    standing: checks.filter((c) => ms(c.checkedAt) > clearedMs),
    clearedAt: clearance?.clearedAt ?? null,
    relevant,
    painCheck: relevant.at(-1) ?? null,
    runBefore,
    aboutRun: (c) =>
      (c.runId !== null ? byId.get(c.runId) : undefined) ?? runBefore(ms(c.checkedAt)),
    hoursAfterRun: (c) => {
      const r = runBefore(ms(c.checkedAt));
      return r ? Math.max(0, ms(c.checkedAt) - runEndMs(r)) / 3_600_000 : null;
    },
    spike,
    ramp: weeklyRampOf(runs, input.zone, input.now),
    acwr: () => (acwr ??= ewmaAcwr(runs, input.zone, input.now).ratio),
  };
}
