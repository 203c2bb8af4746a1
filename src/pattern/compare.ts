import { betaQuantile, differenceInterval, probGreater, type BetaParams } from './beta.ts';

/** Runs with a knee answer needed before any pattern is shown (science.md "Gate"). */
export const GATE_RUNS = 20;
/** Flare episodes needed before any pattern is shown. */
export const GATE_FLARES = 5;
/** Each compared group needs this many runs or more (science.md). */
export const MIN_GROUP_RUNS = 4;
/** Below this many runs in a group, "few runs" is said (science.md). */
export const FEW_RUNS = 8;
/** P(exposed rate higher) from which it is "a hint" (kneecheck's cut-off, science.md). */
export const HINT_P = 0.9;
/** … and "clear so far", with the interval of the difference above zero. */
export const CLEAR_P = 0.97;

/** The verbal grade of one comparison (science.md "Say counts first"). */
export type Grade = 'clear-so-far' | 'hint' | 'not-clear' | 'too-few-runs';

/** A share as a fraction 0–1, with its 95 % interval. */
export interface Interval {
  low: number;
  high: number;
}

/** One group of a comparison: its runs, the flares after them, their rate and its interval. */
export interface GroupCount {
  runs: number;
  flares: number;
  /** flares / runs, 0–1; null without runs. */
  rate: number | null;
  /** The Jeffreys 95 % interval of the rate (Beta(x+½, n−x+½) quantiles); null without runs. */
  interval: Interval | null;
}

/** The Jeffreys posterior of x flares in n runs: Beta(x + ½, n − x + ½) (JEFFREYS). */
export const jeffreys = (flares: number, runs: number): BetaParams => ({
  a: flares + 0.5,
  b: runs - flares + 0.5,
});

/**
 * The count, rate and Jeffreys interval of one group. The ends are the posterior's 2.5 % and
 * 97.5 % quantiles, except that 0 flares gives a lower end of 0 and all flares an upper end of 1
 * (Brown, Cai & DasGupta 2001's adjustment: the rate cannot be further out than what was seen).
 */
export function groupCount(flares: number, runs: number): GroupCount {
  if (runs === 0) return { runs, flares, rate: null, interval: null };
  const { a, b } = jeffreys(flares, runs);
  return {
    runs,
    flares,
    rate: flares / runs,
    interval: {
      low: flares === 0 ? 0 : betaQuantile(0.025, a, b),
      high: flares === runs ? 1 : betaQuantile(0.975, a, b),
    },
  };
}

/** A comparison of flares after exposed runs against the other runs. */
export interface Comparison {
  exposed: GroupCount;
  other: GroupCount;
  /** P(exposed rate > other rate) under the two Jeffreys posteriors; null with too few runs. */
  pHigher: number | null;
  /**
   * The 95 % interval of exposed rate − other rate (posterior), asked once P reaches "a hint"
   * (where it decides the grade); null below it or with too few runs.
   */
  difference: Interval | null;
  grade: Grade;
  /** A group has fewer than {@link FEW_RUNS} runs: said with the grade. */
  fewRuns: boolean;
}

/** Compares x1 of n1 exposed runs with x2 of n2 others, and grades it (science.md). */
export function compare(x1: number, n1: number, x2: number, n2: number): Comparison {
  const exposed = groupCount(x1, n1);
  const other = groupCount(x2, n2);
  const fewRuns = Math.min(n1, n2) < FEW_RUNS;
  if (n1 < MIN_GROUP_RUNS || n2 < MIN_GROUP_RUNS) {
    return { exposed, other, pHigher: null, difference: null, grade: 'too-few-runs', fewRuns };
  }
  const p1 = jeffreys(x1, n1);
  const p2 = jeffreys(x2, n2);
  const pHigher = probGreater(p1, p2);
  // The interval takes ~25 integrations: only worth it where it can change the grade.
  const difference = pHigher < HINT_P ? null : differenceInterval(p1, p2);
  const grade: Grade =
    difference === null
      ? 'not-clear'
      : pHigher >= CLEAR_P && difference.low > 0
        ? 'clear-so-far'
        : 'hint';
  return { exposed, other, pHigher, difference, grade, fewRuns };
}
