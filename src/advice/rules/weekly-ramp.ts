import type { AdviceRule } from '../types.ts';
import { pct, reason, round, roundDistance } from '../words.ts';
import { acwrContext } from './acwr.ts';

/**
 * Weekly distance jump: the last 7 days over the 7 before (NIELSEN-2014: > 30 % came with more
 * knee overuse injuries in novices; borderline, so a supporting signal; GUIDE-2026: lower weekly
 * volume). The next-week figure, back to the week before the jump, is kneecheck's own: BUIST-2008
 * found the "10 % rule" no better, so none is presented as evidence.
 */
export default {
  id: 'weekly-ramp',
  signal: 'last 7 days / previous 7 days distance',
  level: 'ease-off',
  codes: ['ease-off', 'add-rest-day'],
  scope: 'load',
  sources: ['NIELSEN-2014', 'GUIDE-2026'],
  evaluate: (f, t) => {
    const r = f.ramp;
    if (r.ratio === null || r.ratio <= t.weeklyRamp) return null;
    const u = f.input.units;
    const because = [
      reason('last-7-days-vs-previous-7-days', round(r.ratio), t.weeklyRamp, 'NIELSEN-2014'),
      ...acwrContext(f, t),
    ];
    return {
      level: 'ease-off',
      headline: `Ease off: you ran ${pct(r.ratio)} % more in the last 7 days than in the 7 before.`,
      parts: [
        {
          code: 'ease-off',
          message:
            `You ran ${roundDistance(r.last7DaysM, u)} in the last 7 days, ${pct(r.ratio)} % more than in the 7 days before (${roundDistance(r.previous7DaysM, u)}). ` +
            `Cut the next 7 days back to about ${roundDistance(r.previous7DaysM, u)}, the distance you ran before the jump.`,
          because,
        },
        {
          code: 'add-rest-day',
          message: 'Add a rest day to the coming week.',
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
