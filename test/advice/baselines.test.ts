import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/model.ts';
import { adviceFor, daysBefore, weekly, type RunSpec } from './scenario.ts';

// Issue 23, "What is wrong today" 5: targets that contradict the situation. science.md
// session-spike (needs 4 runs in 30 days; the next-run limit counts the latest run unless it
// hurt), weekly-ramp (against the larger of the last week and the 28-day average week), "One
// answer per history" (one target, the most restrictive, said once).

const NOW = '2026-11-25T18:00:00Z';
const text = (a: Advice) => [a.headline, ...a.suggestions.map((s) => s.message)].join(' ');
const targets = (a: Advice) => text(a).match(/Keep (your next runs?|the next 7 days) to/g) ?? [];

describe('baselines that fit the runner', () => {
  it('does not cut a normal week back to a week with a cold', () => {
    // Four weeks of 3 × 4 km, then a week with one 4 km run (a cold), then 3 × 4 km again.
    const runs: RunSpec[] = [
      ...weekly(daysBefore(NOW, 14), 4, 4),
      { at: daysBefore(NOW, 10), km: 4 },
      ...weekly(NOW, 1, 4),
    ];
    const a = adviceFor(runs, [], NOW);
    expect(a.level).toBe('ok');
    expect(text(a)).not.toMatch(/about 4 km/);
  });

  it('gives a first-week runner no spike limit below the run just done', () => {
    const runs: RunSpec[] = [
      { at: daysBefore(NOW, 5), km: 2 },
      { at: daysBefore(NOW, 3), km: 2.5 },
      { at: daysBefore(NOW, 1), km: 3 },
    ];
    const a = adviceFor(runs, [{ at: daysBefore(NOW, 1).replace('T07', 'T09'), pain: 0 }], NOW);
    expect(text(a)).not.toMatch(/2\.5 km or less/);
    expect(text(a)).not.toMatch(/longer than your longest in the 30 days before it/);
  });

  it('says one target, once, the day after a marathon that hurt', () => {
    // Usual runs of 5 km, a 10 km long run each week, then a marathon yesterday and 3/10 at the front.
    const usual = weekly(daysBefore(NOW, 2), 5, 5).map((r, i) =>
      i % 3 === 0 ? { ...r, km: 10 } : r,
    );
    const runs = [...usual, { at: daysBefore(NOW, 1), km: 42.2, speedMps: 2.6 }];
    const a = adviceFor(
      runs,
      [{ at: daysBefore(NOW, 1).replace('T07', 'T15'), pain: 3, where: ['front'] }],
      NOW,
    );
    expect(a.level).toBe('ease-off');
    expect(targets(a)).toHaveLength(1);
    // The marathon hurt: the limit is 1.10 × the longest before it (10 km), not the marathon.
    expect(text(a)).toMatch(/Keep your next run to 11 km or less/);
    for (const s of a.suggestions)
      expect(s.message.split(/(?<=[.!?])\s+(?=[A-Z])/).length, s.message).toBeLessThanOrEqual(3);
  });
});

describe('numbers in the reasons read right (issue 23 item 6)', () => {
  it('never shows an ACWR equal to its cut-off as above it', async () => {
    const { acwrContext } = await import('../../src/advice/rules/acwr.ts');
    const { DEFAULT_THRESHOLDS } = await import('../../src/advice/thresholds.ts');
    const facts = (ratio: number) =>
      ({ acwr: () => ratio }) as unknown as Parameters<typeof acwrContext>[0];
    const [b] = acwrContext(facts(1.501), DEFAULT_THRESHOLDS);
    expect(b?.value).toBe(1.51);
    expect(acwrContext(facts(1.5), DEFAULT_THRESHOLDS)).toEqual([]);
  });

  it('gives an imperial runner the comeback limit in miles, not "(km)"', async () => {
    const { advise } = await import('../../src/advice/advise.ts');
    const { history, ZONE } = await import('./scenario.ts');
    const before = weekly(daysBefore(NOW, 43), 4, 6).map((r, i) =>
      i === 10 ? { ...r, km: 10 } : r,
    );
    const { runs, forms } = history([...before, { at: daysBefore(NOW, 1), km: 7 }]);
    const a = advise({
      runs,
      forms,
      checks: [],
      now: new Date(NOW),
      zone: ZONE,
      units: 'imperial',
    });
    expect(a.level).toBe('ease-off');
    const labels = a.suggestions.flatMap((s) => s.because.map((b) => b.label));
    expect(labels.join(' ')).not.toMatch(/\(km\)/);
    expect(labels.join(' ')).toMatch(/\(mi\)/);
    expect(text(a)).not.toMatch(/\bkm\b/);
  });
});
