import { kneeWords } from '../../format.ts';
import type { AdviceRule } from '../types.ts';
import { day, reason } from '../words.ts';
import { shorterSlower } from './easy.ts';
import { painState } from './pain-state.ts';

/**
 * Mild pain (1–3/10; the 3/10 line is kneecheck's own) within 48 h of a run, not rising
 * (GUIDE-2026: mild soreness gone within 24–48 h: keep running, shorter, slower, more rest days;
 * PAIN-MONITORING's rule of thumb). Also when a later check found it settled.
 */
export default {
  id: 'mild-pain',
  signal: 'pain 1–3/10 within 48 h of a run, not rising',
  level: 'caution',
  codes: ['ease-off'],
  sources: ['GUIDE-2026', 'PAIN-MONITORING', 'kneecheck'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'mild' && s.kind !== 'settled') return null;
    const sore = s.kind === 'mild' ? s.check : s.earlier;
    const z = f.input.zone;
    const when = day(sore.checkedAt, z, f.now);
    const settled =
      s.kind === 'settled'
        ? ` Your check ${day(s.check.checkedAt, z, f.now) === when ? 'later that day' : day(s.check.checkedAt, z, f.now)} found it settled (0/10).`
        : '';
    const range = `${1}–${t.mildPainMax}`;
    return {
      level: 'caution',
      headline: 'Careful: keep running, but shorter, slower and with more rest days.',
      parts: [
        {
          code: 'ease-off',
          message:
            `You reported mild pain (${sore.pain}/10, ${sore.knee == null ? '' : `${kneeWords(sore.knee)}, `}${when}).${settled} Mild soreness that is gone within 24–48 h is common: keep running, but make your runs ${shorterSlower(f)}, with a rest day between them. ` +
            'A rule of thumb: pain up to 2/10 during a run is fine and up to 5/10 acceptable, as long as it has settled by the next morning and does not grow from week to week. ' +
            'If the pain lasts more than a week, see a clinician.',
          because: [reason('pain', sore.pain, range, 'kneecheck')],
        },
      ],
    };
  },
} satisfies AdviceRule;
