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
    for (const [i, b] of f.standing.entries()) {
      if (b.pain === 0) continue;
      const run = f.runBefore(ms(b.checkedAt));
      if (run && ms(b.checkedAt) - runEndMs(run) < t.settleHours * 3_600_000) continue;
      const restFrom = run ? ms(run.startTime) : -Infinity;
      const a = f.standing
        .slice(0, i)
        .filter((x) => ms(x.checkedAt) > restFrom && x.pain < b.pain)
        .sort((x, y) => x.pain - y.pain)[0];
      if (a) found = { a, b };
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
