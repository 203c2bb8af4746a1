import { describe, expect, it } from 'vitest';
import { compare } from '../../src/pattern/compare.ts';
import { exposureLine } from '../../src/pattern/words.ts';

const line = (
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  units: 'metric' | 'imperial' = 'metric',
) => exposureLine({ exposure: 'long-run', overlaps: [], ...compare(x1, n1, x2, n2) }, 8000, units);

describe('the pattern in words', () => {
  it('says the worked examples of science.md as science.md does, counts first', () => {
    expect(line(3, 4, 1, 15)).toBe(
      'flared after 3 of 4 long runs (over 8.00 km, your longest quarter) and 1 of 15 other runs: ' +
        '75 % (28–97 %) vs 7 % (1–27 %), a 99.7 % chance the rate is higher after long runs — ' +
        'clear so far, but few long runs.',
    );
    expect(line(2, 4, 2, 15)).toMatch(
      /^flared after 2 of 4 long runs .* a 93\.8 % chance .* — a hint, not yet a pattern\.$/,
    );
  });

  it('says too few runs without rates, and the distance in the runner’s units', () => {
    expect(line(3, 3, 1, 15)).toMatch(
      /flared after 3 of 3 long runs .* and 1 of 15 other runs — too few runs to compare \(each side needs 4\)\.$/,
    );
    expect(line(1, 10, 2, 10, 'imperial')).toMatch(/over 4\.97 mi.* — not clear\.$/);
  });

  it('names the exposures that cannot be told apart', () => {
    const text = exposureLine(
      { exposure: 'spike', overlaps: ['long-run', 'ramp'], ...compare(5, 10, 2, 40) },
      8000,
      'metric',
    );
    expect(text).toMatch(
      /Can't tell these apart: spike runs, long runs and jump-week runs are mostly the same runs\.$/,
    );
  });
});
