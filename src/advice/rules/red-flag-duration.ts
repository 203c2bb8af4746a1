import { ms } from '../facts.ts';
import type { KneeCheck } from '../../model.ts';
import type { AdviceRule } from '../types.ts';
import { HOW_TO_CLEAR, day, reason } from '../words.ts';

const DAY_MS = 86_400_000;

/** Days from the first to the last check of a run of consecutive painful checks. */
const spanDays = (a: KneeCheck, b: KneeCheck): number =>
  (ms(b.checkedAt) - ms(a.checkedAt)) / DAY_MS;

/**
 * Pain in every check for more than 7 days (GUIDE-2026: "pain lasting more than a week"; the
 * pathways of RED-FLAGS review after about 2 weeks, kneecheck follows the more cautious week).
 * It stands until cleared, even after a later pain-free check.
 */
export default {
  id: 'red-flag-duration',
  signal: 'days with pain > 0 in consecutive checks',
  level: 'see-doctor',
  codes: ['see-doctor'],
  sources: ['GUIDE-2026'],
  evaluate: (f, t) => {
    const zone = f.input.zone;
    let found: { from: KneeCheck; to: KneeCheck; days: number } | null = null;
    let from: KneeCheck | null = null;
    for (const c of f.standing) {
      if (c.pain === 0) {
        from = null;
        continue;
      }
      from ??= c;
      const days = spanDays(from, c);
      if (days > t.painDays) found = { from, to: c, days };
    }
    if (!found) return null;
    const since = day(found.from.checkedAt, zone, f.now);
    const until = day(found.to.checkedAt, zone, f.now);
    const whole = Math.floor(found.days);
    const days = whole <= t.painDays ? `more than ${t.painDays}` : String(whole);
    return {
      level: 'see-doctor',
      headline: `See a clinician: your knee has hurt for ${days} days.`,
      parts: [
        {
          code: 'see-doctor',
          message:
            `Every knee check from ${since} to ${until} reported pain: ${days} days. ` +
            `Pain that lasts more than ${t.painDays} days is not normal training stress and should be seen by a clinician. ${HOW_TO_CLEAR}`,
          because: [
            reason(
              'pain-days',
              Math.round(found.days * 10) / 10,
              `more than ${t.painDays}`,
              'GUIDE-2026',
            ),
          ],
        },
      ],
    };
  },
} satisfies AdviceRule;
