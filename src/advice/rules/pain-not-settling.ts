import type { AdviceRule } from '../types.ts';
import { day, reason, round } from '../words.ts';
import { shorterSlower } from './easy.ts';
import { painState } from './pain-state.ts';

/** "5 h", "29 h", "3 days". */
const span = (hours: number) =>
  hours < 72 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`;

/**
 * Pain that has not settled within 48 h of the last run, or that rose since an earlier check
 * about the same run (GUIDE-2026: soreness should be gone within 24–48 h; PAIN-MONITORING: it
 * must settle by the next morning and not grow). The 48 h edge is kneecheck's own.
 */
export default {
  id: 'pain-not-settling',
  signal: 'pain > 0 more than 48 h after the last run, or rising about the same run',
  level: 'ease-off',
  codes: ['ease-off', 'add-rest-day'],
  sources: ['GUIDE-2026', 'PAIN-MONITORING', 'kneecheck'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'late' && s.kind !== 'rising') return null;
    const z = f.input.zone;
    const c = s.check;
    const what =
      s.kind === 'late'
        ? `Your knee still hurt (${c.pain}/10) ${span(s.hours)} after your last run.`
        : `Your pain rose from ${s.earlier.pain}/10 (${day(s.earlier.checkedAt, z, f.now)}) to ${c.pain}/10 (${day(c.checkedAt, z, f.now)}) after the same run.`;
    const because =
      s.kind === 'late'
        ? [
            reason('pain', c.pain, 'more than 0', 'GUIDE-2026'),
            reason(
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
          message: `${what} Pain that does not settle within ${t.settleHours} h means the last runs were too much: make the next ones ${shorterSlower(f)}. If the pain lasts more than a week, see a clinician.`,
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
