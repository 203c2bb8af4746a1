import type { AdviceRule } from '../types.ts';
import { day, painWords, reason, round } from '../words.ts';
import { painDaySentence } from './red-flag-duration.ts';
import { shorterSlower } from './easy.ts';
import { painState } from './pain-state.ts';

/** "5 h", "29 h", "3 days", "6 weeks". */
const span = (hours: number) =>
  hours < 72
    ? `${Math.round(hours)} h`
    : hours < 14 * 24
      ? `${Math.round(hours / 24)} days`
      : `${Math.round(hours / (7 * 24))} weeks`;

/**
 * Pain that has not settled within 48 h of the last run, or that rose since an earlier check
 * about the same run (GUIDE-2026: soreness should be gone within 24–48 h; PAIN-MONITORING: it
 * must settle by the next morning and not grow). The 48 h edge is kneecheck's own.
 */
export default {
  id: 'pain-not-settling',
  signal: 'pain > 0 more than 48 h after the last run, or rising about the same run',
  levels: ['ease-off'],
  codes: ['ease-off', 'add-rest-day'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'PAIN-MONITORING', 'kneecheck'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'late' && s.kind !== 'rising') return null;
    const z = f.input.zone;
    const c = s.check;
    const what =
      s.kind === 'rising'
        ? `Your pain rose from ${painWords(s.earlier)} (${day(s.earlier.checkedAt, z, f.now)}) to ${painWords(c)} (${day(c.checkedAt, z, f.now)}) after the same run.`
        : `Your knee still hurt (${painWords(c)}) ${span(s.hours)} after your last run.`;
    const why = `Pain that does not settle within ${t.settleHours} h means the last runs were too much: make the next ones ${shorterSlower(f)}.`;
    const because =
      s.kind === 'late'
        ? [
            reason('pain', c.pain, 'more than 0', 'GUIDE-2026'),
            s.hours > 72
              ? reason(
                  'days-after-run',
                  Math.round(s.hours / 24),
                  `more than ${t.settleHours / 24}`,
                  'kneecheck',
                )
              : reason(
                  'hours-after-run',
                  Math.round(s.hours),
                  `more than ${t.settleHours}`,
                  'kneecheck',
                ),
          ]
        : [
            reason(
              'pain-rise-same-run',
              round(c.pain - s.earlier.pain, 0),
              'any rise',
              'PAIN-MONITORING',
            ),
          ];
    return {
      level: 'ease-off',
      headline: 'Ease off: your knee pain has not settled.',
      parts: [
        {
          code: 'ease-off',
          message: `${what} ${why} ${painDaySentence(f, t.painDays)}`,
          because,
        },
        {
          code: 'add-rest-day',
          message:
            'Take a rest day before your next run, and check your knee again the next morning: run again when it is back to 0–2/10.',
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
