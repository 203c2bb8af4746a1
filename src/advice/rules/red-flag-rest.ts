import type { KneeCheck } from '../../model.ts';
import { ms, runEndMs } from '../facts.ts';
import type { AdviceRule } from '../types.ts';
import { HOW_TO_CLEAR, day, painWords, reason } from '../words.ts';

const DAY_MS = 86_400_000;
/** From this long after the last run, pain is pain at rest, not soreness from a run (science.md `red-flag-rest`). */
export const AT_REST_DAYS = 7;

/**
 * Worse despite rest (GUIDE-2026): pain higher at a check made 48 h or more after the last run
 * than at an earlier check, with no run in between; or pain at rest (RED-FLAGS: "pain at rest or
 * at night"): pain > 0 at a check 7 days or more after the last run. Per knee; it stands until
 * cleared.
 */
export default {
  id: 'red-flag-rest',
  signal:
    'pain rising at a check ≥ 48 h after the last run, no run between; or pain > 0 ≥ 7 days after the last run',
  levels: ['see-doctor'],
  codes: ['see-doctor'],
  scope: 'knee',
  sources: ['GUIDE-2026', 'RED-FLAGS'],
  evaluate: (f, t) => {
    let rise: { a: KneeCheck; b: KneeCheck } | null = null;
    let atRest: { c: KneeCheck; days: number } | null = null;
    // Lowest pain since the last run, kept as the checks go by (one pass).
    let lowest: KneeCheck | null = null;
    let lastRunId: string | null = null;
    for (const b of f.standing) {
      const run = f.runBefore(ms(b.checkedAt));
      if ((run?.id ?? null) !== lastRunId) {
        lastRunId = run?.id ?? null;
        lowest = null;
      }
      const sinceRun = run ? ms(b.checkedAt) - runEndMs(run) : Infinity;
      const rested = sinceRun >= t.settleHours * 3_600_000;
      if (rested && b.pain > 0 && lowest && lowest.pain < b.pain) rise ??= { a: lowest, b };
      // With no run at all there is nothing to rest from: a runner's first check before any
      // import is not pain at rest.
      if (run && b.pain > 0 && sinceRun >= AT_REST_DAYS * DAY_MS)
        atRest ??= { c: b, days: Math.round(sinceRun / DAY_MS) };
      if (!lowest || b.pain < lowest.pain) lowest = b;
    }
    const z = f.input.zone;
    if (atRest && (!rise || ms(atRest.c.checkedAt) <= ms(rise.b.checkedAt))) {
      const { c, days } = atRest;
      return {
        level: 'see-doctor',
        headline: 'See a clinician in the next few days: your knee hurts without running.',
        parts: [
          {
            code: 'see-doctor',
            message:
              `You reported ${painWords(c)} ${day(c.checkedAt, z, f.now) === 'today' ? 'today' : `on ${day(c.checkedAt, z, f.now)}`}, ${days} days after your last run. ` +
              `Pain at rest is not soreness from a run: see a clinician within the next few days, and do not run until you have. ${HOW_TO_CLEAR}`,
            because: [
              reason('pain', c.pain, 'more than 0', 'RED-FLAGS'),
              reason('days-after-run', days, `${AT_REST_DAYS} or more`, 'RED-FLAGS'),
            ],
          },
        ],
      };
    }
    if (!rise) return null;
    const { a, b } = rise;
    return {
      level: 'see-doctor',
      headline: 'See a clinician: your knee got worse while you were resting.',
      parts: [
        {
          code: 'see-doctor',
          message:
            `Your pain rose from ${painWords(a)} (${day(a.checkedAt, z, f.now)}) to ${painWords(b)} (${day(b.checkedAt, z, f.now)}) without a run in between. ` +
            `Pain that gets worse despite rest should be seen by a clinician. ${HOW_TO_CLEAR}`,
          because: [reason('pain-rise-without-run', b.pain - a.pain, 'any rise', 'GUIDE-2026')],
        },
      ],
    };
  },
} satisfies AdviceRule;
