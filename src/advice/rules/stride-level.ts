import type { Facts } from '../types.ts';

/**
 * Long strides matter when the knee hurts (science.md `long-strides`): with front-of-knee pain, or
 * pain ≥ 3/10 in two checks about the last five runs, they raise the level to caution; otherwise
 * they are a tip (CADENCE-SPEED: step rate alone was not linked with injury).
 */
export function strideLevel(f: Facts): 'caution' | 'tip' {
  const c = f.painCheck;
  if (c && c.pain > 0 && c.where.includes('front')) return 'caution';
  const lastFive = new Set(f.runs.slice(-5).map((r) => r.id as string));
  const painful = f.relevant.filter((x) => x.runId && lastFive.has(x.runId) && x.pain >= 3).length;
  return painful >= 2 ? 'caution' : 'tip';
}

/** Step-rate targets a person can run: +5 % (at most +10 %), whole steps/min, capped at 200. */
export function targets(
  spm: number,
  upPct: number,
  maxPct: number,
): { target: number; max: number } {
  const cap = 200;
  return {
    target: Math.min(cap, Math.round(spm * (1 + upPct / 100))),
    max: Math.min(cap, Math.round(spm * (1 + maxPct / 100))),
  };
}
