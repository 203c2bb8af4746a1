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
  return a !== null && a > t.acwrHigh
    ? [reason('acwr-context', round(a, 1), `more than ${t.acwrHigh}`, 'GABBETT-2016')]
    : [];
}
