import type { Because } from '../../model.ts';
import type { AdviceRule } from '../types.ts';
import { day, onDay, painWords, reason } from '../words.ts';
import { painDaySentence } from './red-flag-duration.ts';
import { painState } from './pain-state.ts';

/** The way back after a stop (GUIDE-2026; PAIN-MONITORING's 0–2/10; the numbers are kneecheck's own). */
const RETURN_PLAN =
  'When walking, squatting and stairs have been pain-free for 2 days in a row, restart with 20 minutes of walk-run (1 minute of easy running, 1 minute of walking) every other day. Add about 5 minutes a time only while the knee stays at 0–2/10 during the run and the next morning.';

/**
 * Sharp or constant pain, a changed gait, or pain above 5/10 (GUIDE-2026; PAIN-MONITORING: over
 * 5/10 is "too much"): stop until walking, squatting and stairs are pain-free, then come back
 * with a plan whose numbers are kneecheck's own.
 */
export default {
  id: 'sharp-or-gait',
  signal: 'knee check: sharp, constant, changed gait, or pain > 5/10',
  level: 'stop',
  codes: ['rest-until-pain-free', 'avoid-movements', 'return-gradually'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'PAIN-MONITORING'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind === 'after-stop') {
      const when = day(s.check.checkedAt, f.input.zone, f.now);
      return {
        level: 'caution',
        headline: 'Come back gradually: your knee is pain-free again after a stop.',
        parts: [
          {
            code: 'return-gradually',
            message: `Your check (${when}) found the knee pain-free after the ${s.earlier.pain}/10 you reported before. ${RETURN_PLAN}`,
            because: [reason('pain', s.check.pain, 'back to 0 after a stop', 'GUIDE-2026')],
          },
        ],
      };
    }
    if (s.kind !== 'stop') return null;
    const c = s.check;
    const because: Because[] = [];
    const what: string[] = [];
    if (c.sharp) {
      because.push(reason('knee-check.sharp', true, 'reported', 'GUIDE-2026'));
      what.push('sharp or constant pain');
    }
    if (c.changedGait) {
      because.push(reason('knee-check.changed-gait', true, 'reported', 'GUIDE-2026'));
      what.push('pain that changed how you ran');
    }
    if (c.pain > t.stopPainAbove) {
      because.push(reason('pain', c.pain, `more than ${t.stopPainAbove}`, 'PAIN-MONITORING'));
      what.push(`pain of ${painWords(c)}`);
    }
    const on = onDay(c.checkedAt, f.input.zone, f.now);
    return {
      level: 'stop',
      headline: 'Stop running until walking, squatting and stairs are pain-free.',
      parts: [
        {
          code: 'rest-until-pain-free',
          message: `You reported ${what.join(' and ')} ${on}. Stop running until you can walk, squat and take stairs without pain. ${painDaySentence(f, t.painDays)}`,
          because,
        },
        {
          code: 'return-gradually',
          message: RETURN_PLAN,
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
