import { consecutiveRunDays, restDays } from '../../load/weeks.ts';
import type { AdviceRule } from '../types.ts';
import { reason } from '../words.ts';

/** No rest day in the last 7 (GUIDE-2026: more rest days). */
export default {
  id: 'no-rest',
  signal: 'days without a run in the last 7',
  levels: ['caution'],
  codes: ['add-rest-day'],
  scope: 'load',
  sources: ['GUIDE-2026'],
  evaluate: (f) => {
    if (f.runs.length === 0 || restDays(f.runs, f.input.zone, f.input.now, 7) > 0) return null;
    const streak = f.input.runStreakDays ?? consecutiveRunDays(f.runs, f.input.zone, f.input.now);
    return {
      level: 'caution',
      headline: `Careful: you have run every day for ${streak} days.`,
      parts: [
        {
          code: 'add-rest-day',
          message: `You ran on each of the last 7 days (${streak} days in a row). Take at least one rest day this week: knees adapt on the days between runs.`,
          because: [reason('rest-days-last-7', 0, 0, 'GUIDE-2026')],
        },
      ],
    };
  },
} satisfies AdviceRule;
