import type { Because } from '../../model.ts';
import { GENERAL_GUIDANCE, placeGuidance } from '../guidance.ts';
import { ladderState } from '../ladder.ts';
import type { AdviceRule } from '../types.ts';
import { onDay, painWords, reason } from '../words.ts';
import { painState } from './pain-state.ts';
import { painDaySentence } from './red-flag-duration.ts';

/**
 * Sharp or constant pain, a changed gait, or pain above 5/10 (GUIDE-2026; PAIN-MONITORING: over
 * 5/10 is "too much"): stop until walking, squatting and stairs are pain-free on two days in a
 * row; then the return ladder (ladder.ts, rule `return-ladder`) starts.
 */
export default {
  id: 'sharp-or-gait',
  signal: 'knee check: sharp, constant, changed gait, or pain > 5/10',
  levels: ['stop'],
  codes: ['rest-until-pain-free', 'avoid-movements'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'PAIN-MONITORING'],
  evaluate: (f, t) => {
    const s = painState(f, t);
    if (s.kind !== 'stop') return null;
    const c = s.check;
    const ladder = ladderState(f, t);
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
    const latest = f.painCheck;
    const now =
      latest && latest !== c
        ? ` (your latest check, ${onDay(latest.checkedAt, f.input.zone, f.now)}: ${painWords(latest)})`
        : '';
    const back = ladder.kind === 'stopped' && ladder.steppedBack;
    const passed = ladder.kind === 'stopped' && ladder.passedDays === 1;
    return {
      level: 'stop',
      headline: back
        ? 'Stop running again: the return ladder was too much for now.'
        : 'Stop running until walking, squatting and stairs are pain-free.',
      parts: [
        {
          code: 'rest-until-pain-free',
          message: `You reported ${what.join(' and ')} ${on}${now}. ${
            passed
              ? 'Walking, squatting and stairs were pain-free today: if they are again tomorrow, the return ladder starts (20 minutes of walk-run, every other day).'
              : 'Do not run until walking, squatting and stairs are pain-free two days in a row: then the return ladder starts (20 minutes of walk-run, every other day).'
          } ${painDaySentence(f, t.painDays)}`,
          because: [
            ...because,
            reason('return-test', passed ? '1 day' : 'not yet', '2 days in a row', 'GUIDE-2026'),
          ],
        },
        {
          code: 'avoid-movements',
          // The places the check gave, as the location rule says them (one sentence, not two).
          message:
            (c.where.length > 0 ? placeGuidance(c.where) : GENERAL_GUIDANCE)['avoid-movements'] ??
            '',
          because,
        },
      ],
    };
  },
} satisfies AdviceRule;
