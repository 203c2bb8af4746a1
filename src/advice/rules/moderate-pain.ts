import type { AdviceRule } from '../types.ts';
import { day, painWords, reason } from '../words.ts';
import { shorterSlower } from './easy.ts';
import { painState } from './pain-state.ts';
import { painDaySentence } from './red-flag-duration.ts';

/**
 * Pain above mild but not above 5/10 (PAIN-MONITORING: up to 5/10 "acceptable" only when it
 * settles; the 3/10 mild line is kneecheck's own): ease off and check again tomorrow.
 */
export default {
  id: 'moderate-pain',
  signal: 'pain 4–5/10 within 48 h of a run',
  levels: ['ease-off'],
  codes: ['ease-off', 'add-rest-day'],
  scope: 'knee',
  sources: ['kneecheck', 'PAIN-MONITORING'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'moderate') return null;
    const c = s.check;
    const when = day(c.checkedAt, f.input.zone, f.now);
    const because = [reason('pain', c.pain, `more than ${t.mildPainMax}`, 'kneecheck')];
    return {
      level: 'ease-off',
      headline: `Ease off: take a rest day; ${painWords(c)} is more than mild soreness.`,
      parts: [
        {
          code: 'ease-off',
          message: `You reported ${painWords(c)} (${when}), more than mild soreness. Make your next runs ${shorterSlower(f)}. ${painDaySentence(f, t.painDays)}`,
          because,
        },
        {
          code: 'add-rest-day',
          message:
            'Take a rest day before your next run and check your knee again tomorrow morning: it should have settled by then.',
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
