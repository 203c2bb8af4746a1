import { describe, expect, it } from 'vitest';
import {
  betaCdf,
  betaQuantile,
  differenceInterval,
  logGamma,
  probGreater,
} from '../../src/pattern/beta.ts';
import { compare, groupCount, jeffreys } from '../../src/pattern/compare.ts';

describe('the Beta arithmetic of the personal pattern', () => {
  it('matches closed forms of the incomplete beta', () => {
    // Beta(2, 3): I_x = 1 − (1−x)^4 − 4x(1−x)^3.
    for (const x of [0.05, 0.3, 0.62, 0.95]) {
      expect(betaCdf(x, 2, 3)).toBeCloseTo(1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3, 12);
    }
    // Beta(½, ½) is the arcsine law: I_x = (2/π) asin √x.
    for (const x of [0.01, 0.25, 0.5, 0.99]) {
      expect(betaCdf(x, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(x)), 12);
    }
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('inverts the distribution function', () => {
    for (const [a, b] of [
      [0.5, 14.5],
      [3.5, 1.5],
      [20.5, 40.5],
    ] as const) {
      for (const q of [0.025, 0.5, 0.975])
        expect(betaCdf(betaQuantile(q, a, b), a, b)).toBeCloseTo(q, 10);
    }
  });

  it('gives P(X > Y) = ½ for equal posteriors and matches the exact sum for whole parameters', () => {
    expect(probGreater({ a: 2.5, b: 7.5 }, { a: 2.5, b: 7.5 })).toBeCloseTo(0.5, 8);
    // Exact for a whole a1 (Evan Miller's sum):
    // P(X > Y) = Σ_{i=0}^{a1−1} B(a2+i, b1+b2) / ((b1+i) B(1+i, b1) B(a2, b2)).
    const B = (a: number, b: number) => Math.exp(logGamma(a) + logGamma(b) - logGamma(a + b));
    const [a1, b1, a2, b2] = [4, 2, 2, 15];
    let exact = 0;
    for (let i = 0; i < a1; i++)
      exact += B(a2 + i, b1 + b2) / ((b1 + i) * B(1 + i, b1) * B(a2, b2));
    expect(probGreater({ a: a1, b: b1 }, { a: a2, b: b2 })).toBeCloseTo(exact, 8);
    expect(probGreater({ a: a2, b: b2 }, { a: a1, b: b1 })).toBeCloseTo(1 - exact, 8);
    // Hundreds of runs: narrow posteriors, where a rule spread over all of [0, 1] would miss them.
    const sum = (a: number, b: number, c: number, d: number) => {
      let e = 0;
      for (let i = 0; i < a; i++) {
        e += Math.exp(
          logGamma(c + i) +
            logGamma(b + d) -
            logGamma(c + i + b + d) -
            Math.log(b + i) -
            (logGamma(1 + i) + logGamma(b) - logGamma(1 + i + b)) -
            (logGamma(c) + logGamma(d) - logGamma(c + d)),
        );
      }
      return e;
    };
    for (const [a, b, c, d] of [
      [201, 801, 151, 651],
      [31, 371, 51, 1351],
    ] as const) {
      expect(probGreater({ a, b }, { a: c, b: d })).toBeCloseTo(sum(a, b, c, d), 9);
    }
  });

  it('pins the worked examples of science.md', () => {
    const long = groupCount(3, 4);
    const short = groupCount(1, 15);
    expect(Math.round((long.rate ?? 0) * 100)).toBe(75);
    expect(Math.round((long.interval?.low ?? 0) * 100)).toBe(28);
    expect(Math.round((long.interval?.high ?? 0) * 100)).toBe(97);
    expect(Math.round((short.rate ?? 0) * 100)).toBe(7);
    expect(Math.round((short.interval?.low ?? 0) * 100)).toBe(1);
    expect(Math.round((short.interval?.high ?? 0) * 100)).toBe(27);
    const first = compare(3, 4, 1, 15);
    expect(first.pHigher).toBeCloseTo(0.997, 3);
    expect(first.grade).toBe('clear-so-far');
    expect(first.fewRuns).toBe(true);
    expect(first.difference?.low).toBeGreaterThan(0);
    const second = compare(2, 4, 2, 15);
    expect(second.pHigher).toBeCloseTo(0.94, 2);
    expect(second.grade).toBe('hint');
  });

  it('grades by the cut-offs and needs 4 runs a side', () => {
    expect(compare(2, 10, 2, 10).grade).toBe('not-clear');
    expect(compare(3, 3, 0, 20).grade).toBe('too-few-runs');
    expect(compare(3, 3, 0, 20).pHigher).toBeNull();
    expect(compare(10, 12, 2, 30).fewRuns).toBe(false);
    // The equal-tailed difference interval's lower end is above zero exactly when P > 0.975.
    const d = differenceInterval(jeffreys(3, 4), jeffreys(1, 15));
    expect(d.low).toBeLessThan(d.high);
  });

  it('never reaches past what was seen: no flares gives 0 as the lower end', () => {
    expect(groupCount(0, 10).interval?.low).toBe(0);
    expect(groupCount(10, 10).interval?.high).toBe(1);
    expect(groupCount(0, 0).rate).toBeNull();
  });
});
