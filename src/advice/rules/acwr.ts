import type { Because } from '../../model.ts';
import type { Facts } from '../types.ts';
import type { Thresholds } from '../thresholds.ts';
import { reason, round } from '../words.ts';

/**
 * EWMA acute:chronic (7/28 days, λ = 2/(N+1), Williams 2017) as context beside a load reason,
 * never a reason alone: its predictive value is contested (GABBETT-2016 and critiques;
 * RUNSAFE-2025 found no association).
 */
export function acwrContext(f: Facts, t: Thresholds): Because[] {
  const a = f.acwr();
  if (a === null || a <= t.acwrHigh) return [];
  // Shown so it reads above the cut-off: 1.501 is "1.51", never "1.5 (threshold more than 1.5)".
  const shown = round(a, 2) > t.acwrHigh ? round(a, 2) : Math.ceil(a * 100) / 100;
  return [reason('acwr-context', shown, `more than ${t.acwrHigh}`, 'GABBETT-2016')];
}
