import type { Because, Suggestion } from '../model.ts';
import type { Facts } from './types.ts';
import type { Thresholds } from './thresholds.ts';
import { reason, round } from './words.ts';

/** "Keep going" with the prevention basics (GUIDE-2026; RUNSAFE-2025 for "no run much longer"). */
export const OK_HEADLINE = 'Keep going: nothing in your runs or knee checks calls for a change.';

/**
 * The `keep-going` suggestion: the prevention basics, and the load numbers that are in range
 * (labelled so), so even this advice shows its evidence.
 */
export function keepGoing(f: Facts, t: Thresholds): Suggestion {
  const because: Because[] = [];
  const s = f.spike;
  if (s && s.ratio !== null)
    because.push(
      reason(
        'run-vs-longest-30-days',
        round(s.ratio),
        t.spikeCaution,
        'RUNSAFE-2025',
        'in range: your latest run against your longest of the 30 days before (ratio)',
      ),
    );
  const r = f.ramp;
  if (r.ratio !== null)
    because.push(
      reason(
        'last-7-days-vs-previous-7-days',
        round(r.ratio),
        t.weeklyRamp,
        'NIELSEN-2014',
        'in range: distance of the last 7 days against your usual week (ratio)',
      ),
    );
  return {
    code: 'keep-going',
    message:
      'Keep building gradually: no single run more than 10 % longer than your longest of the last 30 days, and at least one rest day a week. ' +
      'Strengthen hips, thighs and calves twice a week, and run in shoes that feel comfortable and suit you.',
    because,
  };
}
