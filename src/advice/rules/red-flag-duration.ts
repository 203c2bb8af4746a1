import { localDayNumber } from '../../load/days.ts';
import type { KneeCheck } from '../../model.ts';
import type { AdviceRule, Facts } from '../types.ts';
import { HOW_TO_CLEAR, day, dayOfNumber, reason } from '../words.ts';

/** Pain on consecutive checks of one knee: the first and last painful check and the calendar days between, both counted. */
export interface PainRun {
  from: KneeCheck;
  to: KneeCheck;
  days: number;
}

/**
 * The calendar days (runner's zone) of pain in a row: over consecutive checks of the knee with
 * pain > 0 and no pain-free check between, from the first one's day to the last one's, both
 * counted (science.md `red-flag-duration`: days, not instants; a check at 19:00 and one at 07:00
 * seven days later are 8 days). `longest`: the first run that passed `painDays` (it stands);
 * `current`: the run the latest check belongs to (null when that check was pain-free).
 */
export function painRuns(
  checks: readonly KneeCheck[],
  zone: string,
  painDays: number,
): { longest: PainRun | null; current: PainRun | null } {
  let longest: PainRun | null = null;
  let current: PainRun | null = null;
  for (const c of checks) {
    if (c.pain === 0) {
      current = null;
      continue;
    }
    const from: KneeCheck = current?.from ?? c;
    const days = localDayNumber(c.checkedAt, zone) - localDayNumber(from.checkedAt, zone) + 1;
    current = { from, to: c, days };
    if (days > painDays && (longest === null || longest.from === from)) longest = current;
  }
  return { longest, current };
}

/**
 * "This is day 5 of pain in a row (since Fri 20 Nov): if it still hurts on Fri 27 Nov, see a
 * clinician." for the days before pain becomes a red flag; the plain "more than a week" sentence
 * on the first day. Every pain rule ends with this, so a history gets the sentence for its day.
 */
export function painDaySentence(f: Facts, painDays: number): string {
  const { current } = painRuns(f.checks, f.input.zone, painDays);
  const z = f.input.zone;
  if (!current || current.days > painDays)
    return `If the pain lasts more than a week, see a clinician.`;
  const seenOn = dayOfNumber(localDayNumber(current.from.checkedAt, z) + painDays, z, f.now);
  if (current.days < 2) return `If it still hurts on ${seenOn}, see a clinician.`;
  return `This is day ${current.days} of pain in a row (since ${day(current.from.checkedAt, z, f.now)}): if it still hurts on ${seenOn}, see a clinician.`;
}

/**
 * Pain on 8 or more calendar days in a row (GUIDE-2026: "pain lasting more than a week"; the
 * pathways of RED-FLAGS review after about 2 weeks, kneecheck follows the more cautious week).
 * Per knee; it stands until cleared, even after a later pain-free check.
 */
export default {
  id: 'red-flag-duration',
  signal: 'calendar days with pain > 0 over consecutive checks of one knee',
  levels: ['see-doctor'],
  codes: ['see-doctor'],
  scope: 'knee',
  sources: ['GUIDE-2026'],
  evaluate: (f, t) => {
    const zone = f.input.zone;
    const found = painRuns(f.standing, zone, t.painDays).longest;
    if (!found) return null;
    const since = day(found.from.checkedAt, zone, f.now);
    const until = day(found.to.checkedAt, zone, f.now);
    return {
      level: 'see-doctor',
      headline: `See a clinician: your knee has hurt for ${found.days} days.`,
      parts: [
        {
          code: 'see-doctor',
          message:
            `Every knee check from ${since} to ${until} reported pain: ${found.days} days in a row. ` +
            `Pain that lasts more than a week is not normal training stress and should be seen by a clinician. ${HOW_TO_CLEAR}`,
          because: [reason('pain-days', found.days, `more than ${t.painDays}`, 'GUIDE-2026')],
        },
      ],
    };
  },
} satisfies AdviceRule;
