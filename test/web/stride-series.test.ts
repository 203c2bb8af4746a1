import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { syntheticRun } from '../../bench/history.ts';
import {
  cadencePoints,
  cadenceVsLine,
  fitCadenceLine,
  stepLengthVsLine,
} from '../../src/load/stride.ts';
import type { FormSummary, Run, RunId } from '../../src/model.ts';
import { strideSeries, type StridePoint } from '../../src/web/pages/charts.ts';

const DAY_MS = 86_400_000;

/** The definition: for each run shown, its baseline is every run of the 60 days before it. */
function byDefinition(
  runs: readonly Run[],
  forms: ReadonlyMap<RunId, FormSummary>,
  fromMs: number,
): StridePoint[] {
  const ordered = [...runs].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  const out: StridePoint[] = [];
  for (const run of ordered) {
    const start = Date.parse(run.startTime);
    if (start < fromMs) continue;
    const baseline = ordered.filter((r) => {
      const s = Date.parse(r.startTime);
      return r.id !== run.id && s >= start - 60 * DAY_MS && s < start;
    });
    const line = fitCadenceLine(baseline.map((r) => cadencePoints(r, forms.get(r.id) ?? null)));
    const form = forms.get(run.id) ?? null;
    const matched = cadenceVsLine(cadencePoints(run, form), line);
    if (!matched) continue;
    const sl = stepLengthVsLine(run, form, line, matched);
    out.push({
      runId: run.id,
      t: Math.floor(start / 1000),
      date: DateTime.fromISO(run.startTime, { setZone: true }).toFormat('d LLL yyyy'),
      speedMps: matched.speedMps,
      stepRateSpm: matched.actualSpm,
      expectedSpm: matched.expectedSpm,
      deltaPct: matched.deltaPct,
      stepLengthM: sl?.actualM ?? null,
      expectedStepLengthM: sl?.expectedM ?? null,
    });
  }
  return out;
}

describe('the stride series of the dashboard', () => {
  it('is the same as its definition, with runs in any order, two a day, and gaps', () => {
    const now = new Date('2026-11-25T18:00:00Z');
    // Two years of daily runs, some days twice, a 70-day gap, handed in shuffled.
    const made = Array.from({ length: 730 }, (_, i) => syntheticRun(i, now))
      .filter((_, i) => i < 300 || i > 370)
      .flatMap((r, i) =>
        i % 11 === 0
          ? [r, { ...r, run: { ...r.run, id: `${r.run.id}-b` as RunId, distanceM: 4000 } }]
          : [r],
      );
    const runs = made.map((m) => m.run).sort((a, b) => (a.id < b.id ? 1 : -1));
    const forms = new Map(
      made.filter((_, i) => i % 3 !== 0).map((m) => [m.run.id, m.form] as const),
    );
    for (const fromMs of [0, now.getTime() - 12 * 7 * DAY_MS, now.getTime() - 400 * DAY_MS]) {
      const fast = strideSeries(runs, forms as Map<RunId, FormSummary>, fromMs);
      expect(fast.length).toBeGreaterThan(0);
      expect(fast).toEqual(byDefinition(runs, forms as Map<RunId, FormSummary>, fromMs));
    }
  });
});
