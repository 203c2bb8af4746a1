import type { AdviceRule } from '../types.ts';
import { pct, reason, round, roundDistance } from '../words.ts';
import { acwrContext } from './acwr.ts';

/**
 * Weekly distance jump (NIELSEN-2014: > 30 % came with more knee overuse injuries in novices;
 * borderline, so a supporting signal; GUIDE-2026: lower weekly volume): the last 7 days against
 * the larger of the 7 days before and the average 7 days of the 28 days before (the baseline is
 * kneecheck's own: a light week, e.g. a cold, does not lower the bar). The next-week figure is
 * that baseline, never below it; BUIST-2008 found the "10 % rule" no better, so none is given.
 */
export default {
  id: 'weekly-ramp',
  signal: 'last 7 days / max(previous 7 days, average 7 days of the 28 before)',
  levels: ['ease-off'],
  codes: ['ease-off'],
  scope: 'load',
  sources: ['NIELSEN-2014', 'GUIDE-2026', 'kneecheck'],
  evaluate: (f, t) => {
    const r = f.ramp;
    if (r.ratio === null || r.ratio <= t.weeklyRamp) return null;
    const u = f.input.units;
    const usual = r.average7DaysM >= r.previous7DaysM;
    const because = [
      reason('last-7-days-vs-previous-7-days', round(r.ratio), t.weeklyRamp, 'NIELSEN-2014'),
      ...acwrContext(f, t),
    ];
    const base = roundDistance(r.baselineM, u);
    return {
      level: 'ease-off',
      headline: `Ease off: you ran ${pct(r.ratio)} % more in the last 7 days than ${usual ? 'in a usual week' : 'in the 7 before'}.`,
      parts: [
        {
          code: 'ease-off',
          message: `You ran ${roundDistance(r.last7DaysM, u)} in the last 7 days, ${pct(r.ratio)} % more than ${usual ? `your usual week of the 4 weeks before (${base})` : `the 7 days before (${base})`}.`,
          because,
          target: { m: r.baselineM, sentence: `Keep the next 7 days to about ${base}.` },
        },
      ],
    };
  },
} satisfies AdviceRule;
