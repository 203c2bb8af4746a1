import { kneeWords } from '../../format.ts';
import type { AdviceRule } from '../types.ts';
import { day, painWords, reason } from '../words.ts';
import { shorterSlower } from './easy.ts';
import { painState } from './pain-state.ts';
import { painDaySentence, painRuns } from './red-flag-duration.ts';

/**
 * Mild pain (1–3/10; the 3/10 line is kneecheck's own) within 48 h of a run, not rising
 * (GUIDE-2026: mild soreness gone within 24–48 h: keep running, shorter, slower, more rest days;
 * PAIN-MONITORING's rule of thumb). Also when a later check found it settled. From the third
 * day of pain in a row the soreness has not gone within 48 h, and the words say so.
 */
export default {
  id: 'mild-pain',
  signal: 'pain 1–3/10 within 48 h of a run, not rising',
  levels: ['caution'],
  codes: ['ease-off', 'strengthen', 'stretch'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'PAIN-MONITORING', 'kneecheck'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'mild' && s.kind !== 'settled') return null;
    const sore = s.kind === 'mild' ? s.check : s.earlier;
    const z = f.input.zone;
    const when = day(sore.checkedAt, z, f.now);
    const side = sore.knee == null ? '' : `${kneeWords(sore.knee)}, `;
    const said = `You reported mild pain (${painWords(sore)}, ${side}${when}).`;
    const streak = painRuns(f.checks, z, t.painDays).current;
    const because = [reason('pain', sore.pain, `1–${t.mildPainMax}`, 'kneecheck')];
    if (s.kind === 'settled') {
      const later = day(s.check.checkedAt, z, f.now);
      return {
        level: 'caution',
        headline: 'Careful: keep running, but shorter and slower, with a rest day between runs.',
        parts: [
          {
            code: 'ease-off',
            message: `${said} Your check ${later === when ? 'later that day' : later} found it settled (0/10). Keep running, but make your runs ${shorterSlower(f)}, with a rest day between them.`,
            because,
          },
        ],
      };
    }
    const lasting = streak !== null && streak.days >= 3;
    return {
      level: 'caution',
      headline: lasting
        ? `Careful: day ${streak.days} of knee pain; take a rest day, then run shorter and slower.`
        : 'Careful: keep running, but shorter and slower, with a rest day between runs.',
      parts: [
        {
          code: 'ease-off',
          message: lasting
            ? `${said} Soreness that lasts beyond 48 h needs more rest: take a rest day, then keep runs ${shorterSlower(f)}. ${painDaySentence(f, t.painDays)}`
            : `${said} Keep running, but make your runs ${shorterSlower(f)}, with a rest day between them. ${painDaySentence(f, t.painDays)}`,
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
