import { DateTime } from 'luxon';
import { zoneOf } from './zone.ts';
import type { FormSummary, KneeCheck, Report, RunId, WeekReport } from '../model.ts';
import { ewmaSeries } from './acwr.ts';
import { dayNumberOf } from './days.ts';
import { round } from './form-summary.ts';
import { stepLengthM } from './stride.ts';
import { durationOf, type LoadRun } from './types.ts';
import { weeklyLoad } from './weeks.ts';

export interface ReportInput {
  runs: readonly LoadRun[];
  forms: ReadonlyMap<RunId, FormSummary>;
  checks: readonly KneeCheck[];
  /** The runner's IANA zone: weeks run Monday to Monday there. */
  zone: string;
  now: Date;
  weeks: number;
}

/** Time-weighted mean of `pick` over runs where it is known. */
function weightedMean(
  runs: readonly LoadRun[],
  pick: (r: LoadRun) => number | null,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const r of runs) {
    const v = pick(r);
    const w = durationOf(r);
    if (v === null || w <= 0) continue;
    sum += v * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
}

/** The `report --json` document: the last `weeks` calendar weeks, oldest first (DESIGN §4, §7). */
export function buildReport(input: ReportInput): Report {
  const { zone, now } = input;
  const weeks = weeklyLoad(input.runs, zone, now, input.weeks);
  const acwrOn = ewmaSeries(input.runs, zone);
  // Each check's instant once (not once per week): weeks compare instants, not local times.
  // Stored check times are full ISO 8601 instants, which Date.parse reads exactly (and 10× faster).
  const checks = input.checks.map((c) => ({ ms: Date.parse(c.checkedAt), c }));
  const nowMs = now.getTime();
  const out: WeekReport[] = weeks.map((w) => {
    const end = w.weekStart.plus({ weeks: 1 });
    const asOf = DateTime.min(
      end.minus({ days: 1 }),
      DateTime.fromJSDate(now).setZone(zoneOf(zone)),
    );
    const [fromMs, endMs] = [w.weekStart.toMillis(), end.toMillis()];
    const inWeek = checks.filter(({ ms }) => ms >= fromMs && ms < endMs && ms <= nowMs);
    const pains = inWeek.map(({ c }) => c.pain);
    const top = pains.length > 0 ? Math.max(...pains) : null;
    const atTop = inWeek.filter(({ c }) => c.pain === top).map(({ c }) => c);
    // A range answer is shown as said, unless an exact answer reached the same top.
    const maxPainRange = atTop.every((c) => c.painRange)
      ? (atTop.map((c) => c.painRange).find((r) => r) ?? null)
      : null;
    const acwr = acwrOn(dayNumberOf(asOf.toJSDate(), zone)).ratio;
    const cadence = weightedMean(w.runs, (r) => r.avgCadenceSpm);
    const step = weightedMean(w.runs, (r) => stepLengthM(r, input.forms.get(r.id) ?? null));
    return {
      weekStart: w.weekStart.toISODate() ?? '',
      runs: w.runs.length,
      distanceM: round(w.distanceM, 1),
      durationS: Math.round(w.durationS),
      longestRunM: w.longestRunM === null ? null : round(w.longestRunM, 1),
      rampPct: w.rampPct === null ? null : round(w.rampPct, 1),
      acwr: acwr === null ? null : round(acwr, 2),
      restDays: w.restDays,
      avgCadenceSpm: cadence === null ? null : round(cadence, 1),
      avgStepLengthM: step === null ? null : round(step, 3),
      maxPain: top,
      // Only when it was a range: the report JSON of exact answers stays as DESIGN §4 lists it.
      ...(maxPainRange ? { maxPainRange } : {}),
    };
  });
  return { timezone: zone, weeks: out };
}
