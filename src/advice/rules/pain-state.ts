import type { KneeCheck } from '../../model.ts';
import { ms } from '../facts.ts';
import { ladderState } from '../ladder.ts';
import type { Facts } from '../types.ts';
import type { Thresholds } from '../thresholds.ts';

/**
 * What the latest relevant knee check says about pain (science.md rule table: sharp-or-gait,
 * pain-not-settling, mild-pain; moderate 4–5/10 is kneecheck's own reading of PAIN-MONITORING's
 * "up to 5/10 acceptable"). Exactly one pain rule reads each state, so a check gets one answer.
 */
export type PainState =
  | { kind: 'none' }
  /** Stopped after sharp pain, a limp or > 5/10, until the return ladder starts (ladder.ts). */
  | { kind: 'stop'; check: KneeCheck }
  /** On the return ladder: its rule reads the knee's answers, the other pain rules are quiet. */
  | { kind: 'ladder' }
  /** Pain > 0 more than the settling window after the last run. */
  | { kind: 'late'; check: KneeCheck; hours: number }
  /** Pain higher than an earlier check about the same run, within the window. */
  | { kind: 'rising'; check: KneeCheck; earlier: KneeCheck }
  | { kind: 'moderate'; check: KneeCheck; hours: number | null }
  | { kind: 'mild'; check: KneeCheck; hours: number | null }
  /** Mild (or moderate) pain after the latest run that a later check about it found settled. */
  | { kind: 'settled'; check: KneeCheck; earlier: KneeCheck }
  /** The knee needed a stop after the latest run and is now pain-free: come back gradually. */
  | { kind: 'after-stop'; check: KneeCheck; earlier: KneeCheck };

export const isStop = (c: KneeCheck, t: Thresholds): boolean =>
  c.sharp || c.changedGait || c.pain > t.stopPainAbove;

const cache = new WeakMap<Facts, PainState>();

export function painState(f: Facts, t: Thresholds): PainState {
  const known = cache.get(f);
  if (known) return known;
  const state = compute(f, t);
  cache.set(f, state);
  return state;
}

function compute(f: Facts, t: Thresholds): PainState {
  const c = f.painCheck;
  if (!c) return { kind: 'none' };
  const ladder = ladderState(f, t);
  if (ladder.kind === 'stopped') return { kind: 'stop', check: ladder.stop };
  if (ladder.kind === 'ladder') return { kind: 'ladder' };
  if (isStop(c, t)) return { kind: 'stop', check: c };
  const run = f.aboutRun(c);
  // Earlier checks about the same run (or, with no run at all, earlier checks since the last run).
  const sameRun = f.relevant.filter(
    (x) => x !== c && ms(x.checkedAt) <= ms(c.checkedAt) && f.aboutRun(x)?.id === run?.id,
  );
  if (c.pain === 0) {
    const stop = sameRun.filter((x) => isStop(x, t)).at(-1);
    // After a climbed ladder the stop is over: a pain-free check is just that.
    if (stop && run && ladder.kind !== 'done')
      return { kind: 'after-stop', check: c, earlier: stop };
    const sore = sameRun.filter((x) => x.pain > 0).at(-1);
    return sore && run ? { kind: 'settled', check: c, earlier: sore } : { kind: 'none' };
  }
  const hours = f.hoursAfterRun(c);
  if (hours !== null && hours > t.settleHours) return { kind: 'late', check: c, hours };
  const lower = sameRun.filter(
    (x) => x.pain < c.pain && (f.hoursAfterRun(x) ?? 0) <= t.settleHours,
  );
  const earlier = lower.at(-1);
  if (earlier && run) return { kind: 'rising', check: c, earlier };
  return c.pain > t.mildPainMax
    ? { kind: 'moderate', check: c, hours }
    : { kind: 'mild', check: c, hours };
}
