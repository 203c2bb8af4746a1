import type { KneeCheck } from '../../model.ts';
import { ms, runEndMs } from '../facts.ts';
import type { AdviceRule } from '../types.ts';
import { HOW_TO_CLEAR, day, reason } from '../words.ts';

/**
 * Worse despite rest (GUIDE-2026): pain higher at a check made 48 h or more after the last run
 * than at an earlier check, with no run in between. It stands until cleared.
 */
export default {
  id: 'red-flag-rest',
  signal: 'pain rising at a check ≥ 48 h after the last run, no run between',
  level: 'see-doctor',
  codes: ['see-doctor'],
  sources: ['GUIDE-2026'],
  evaluate: (f, t) => {
    let found: { a: KneeCheck; b: KneeCheck } | null = null;
    // Lowest pain since the last run, kept as the checks go by (one pass).
    let lowest: KneeCheck | null = null;
    let lastRunId: string | null = null;
    for (const b of f.standing) {
      const run = f.runBefore(ms(b.checkedAt));
      if ((run?.id ?? null) !== lastRunId) {
        lastRunId = run?.id ?? null;
        lowest = null;
      }
      const atRest = !run || ms(b.checkedAt) - runEndMs(run) >= t.settleHours * 3_600_000;
      if (atRest && b.pain > 0 && lowest && lowest.pain < b.pain) found = { a: lowest, b };
      if (!lowest || b.pain < lowest.pain) lowest = b;
    }
    if (!found) return null;
    const { a, b } = found;
    const z = f.input.zone;
    return {
      level: 'see-doctor',
      headline: 'See a clinician: your knee got worse while you were resting.',
      parts: [
        {
          code: 'see-doctor',
          message:
            `Your pain rose from ${a.pain}/10 (${day(a.checkedAt, z, f.now)}) to ${b.pain}/10 (${day(b.checkedAt, z, f.now)}) without a run in between. ` +
            `Pain that gets worse despite rest should be seen by a clinician. ${HOW_TO_CLEAR}`,
          because: [reason('pain-rise-without-run', b.pain - a.pain, 'any rise', 'GUIDE-2026')],
        },
      ],
    };
  },
} satisfies AdviceRule;
