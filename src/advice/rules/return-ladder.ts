import { localDayNumber, dayNumberOf } from '../../load/days.ts';
import { LADDER_STEPS, ladderState } from '../ladder.ts';
import type { AdviceRule } from '../types.ts';
import { reason } from '../words.ts';

/** A step in a sentence: "20 min walk-run (1 min easy running, 1 min walking)", one colon fewer. */
const stepWords = (step: number): string =>
  (LADDER_STEPS[step - 1]?.text ?? '').replace(/^([^:]+): (.+)$/, '$1 ($2)');

/** What today is on the ladder: a session, a rest day, or a session already done. */
export function ladderToday(step: number, lastRunDay: number | null, today: number): string {
  if (lastRunDay === today)
    return `Today's return-ladder session is done: check your knee tonight and tomorrow morning.`;
  if (lastRunDay === today - 1)
    return `Rest today; tomorrow, return ladder step ${step} of 6: ${stepWords(step)}.`;
  return `Today, return ladder step ${step} of 6: ${stepWords(step)}.`;
}

/**
 * On the return ladder after a stop (science.md "The return ladder"): today's step, and how the
 * last session moved it. Runs on the ladder are read against the step, not the spike and ramp
 * rules (advise.ts leaves those out while a knee is on it).
 */
export default {
  id: 'return-ladder',
  signal: 'after a stop: walking, squatting and stairs pain-free on two days in a row',
  levels: ['caution'],
  codes: ['return-gradually'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'PAIN-MONITORING', 'kneecheck'],
  evaluate: (f, t) => {
    const s = ladderState(f, t);
    if (s.kind !== 'ladder') return null;
    const zone = f.input.zone;
    const today = dayNumberOf(f.input.now, zone);
    const lastDay = s.last ? localDayNumber(s.last.run.startTime, zone) : null;
    const todayWords = ladderToday(s.step, lastDay, today);
    const moved =
      s.last === null
        ? 'Walking, squatting and stairs were pain-free two days in a row: the return ladder starts, six steps every other day from 20 min walk-run to 30 min of easy running.'
        : s.last.outcome === 'pending'
          ? lastDay === today
            ? ''
            : 'Your answer tomorrow morning decides the next step.'
          : s.last.outcome === 'good'
            ? s.good === 0
              ? `Two good sessions in a row: you move up to step ${s.step}.`
              : 'A good session: one more like it and you move up a step.'
            : s.last.outcome === 'back'
              ? `The last session was too much (${s.last.why}): back to step ${s.step}.`
              : `Stay on step ${s.step} (${s.last.why}).`;
    return {
      level: 'caution',
      // The headline says what to do today; the suggestion says why the step and when it moves
      // (not today's step again: issue 23, no sentence twice).
      headline: todayWords.startsWith('Today, ')
        ? `Return ladder, step ${s.step} of 6 today: ${stepWords(s.step)}.`
        : todayWords,
      parts: [
        {
          code: 'return-gradually',
          message: `${moved ? `${moved} ` : ''}Each step needs two sessions at 0–2/10 with the next morning no worse; at 3–5/10 you stay on it.`,
          because: [
            reason('ladder-step', s.step, 'of 6', 'kneecheck'),
            ...(s.last && s.last.outcome !== 'pending'
              ? [reason('ladder-session', s.last.outcome, s.last.why, 'PAIN-MONITORING')]
              : []),
          ],
        },
      ],
    };
  },
} satisfies AdviceRule;
