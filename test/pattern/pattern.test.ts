import { describe, expect, it } from 'vitest';
import { patternOf, patternWords, type Pattern } from '../../src/pattern/index.ts';
import { checkAt, generate, runAt, ZONE } from './gen.ts';

const exposure = (p: Pattern, name: string, knee: string | null = null) =>
  p.knees.find((k) => k.knee === knee)?.exposures.find((e) => e.exposure === name);

/** 60 runs, every fourth long; long runs growing 12 % each time (so each is also a spike) or not. */
const longRuns = (growing: boolean, flare: (i: number) => boolean) =>
  generate({
    runs: 60,
    km: (i) => (i % 4 === 3 ? (growing ? 6 * 1.12 ** ((i - 3) / 4) : 8) : 4),
    flare,
  });
// Long runs flare 12 times in 15; short ones 3 times in 45.
const afterLong = (i: number) => (i % 4 === 3 && ((i - 3) / 4) % 5 !== 4) || i % 20 === 1;

describe('the personal pattern on generated histories', () => {
  it('says "clear so far" for long runs followed by flares, and names the overlap with spikes when they coincide', () => {
    const p = patternOf(longRuns(true, afterLong));
    expect(p.gate.met).toBe(true);
    const long = exposure(p, 'long-run');
    expect(long?.exposed).toMatchObject({ runs: 15, flares: 12 });
    expect(long?.other).toMatchObject({ runs: 45, flares: 3 });
    expect(long?.grade).toBe('clear-so-far');
    expect(long?.overlaps).toContain('spike');
    expect(exposure(p, 'spike')?.overlaps).toContain('long-run');
    const words = patternWords(p, 'metric').join('\n');
    expect(words).toMatch(/flared after 12 of 15 long runs .* and 3 of 45 other runs/);
    expect(words).toMatch(/clear so far/);
    expect(words).toMatch(/Can't tell these apart: long runs and spike runs/);
  });

  it('names no overlap when long runs are not spikes', () => {
    const p = patternOf(longRuns(false, afterLong));
    const long = exposure(p, 'long-run');
    expect(long?.grade).toBe('clear-so-far');
    expect(long?.overlaps).not.toContain('spike');
    // Only the first long run is longer than the month before it: too few spikes to compare.
    expect(exposure(p, 'spike')?.exposed.runs).toBe(1);
    expect(exposure(p, 'spike')?.grade).toBe('too-few-runs');
  });

  it('says "not clear" when the flares fall independently of run length', () => {
    // Every fifth run flares: 3 of 15 long runs and 9 of 45 others, the same 20 %.
    const p = patternOf(longRuns(true, (i) => i % 5 === 0));
    const long = exposure(p, 'long-run');
    expect(long?.exposed).toMatchObject({ runs: 15, flares: 3 });
    expect(long?.grade).toBe('not-clear');
    expect(patternWords(p, 'metric').join('\n')).toMatch(/long runs .* — not clear\./);
  });

  it('mostly says "not clear" for flares drawn at random (seeded), never "clear" more than by chance', () => {
    const grades: string[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      let s = seed * 7919;
      const draws = Array.from({ length: 60 }, () => {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        return s / 2 ** 31 < 0.25;
      });
      grades.push(
        exposure(patternOf(longRuns(true, (i) => draws[i] ?? false)), 'long-run')?.grade ?? 'none',
      );
    }
    expect(grades.filter((g) => g === 'not-clear').length).toBeGreaterThanOrEqual(7);
    expect(grades.filter((g) => g === 'clear-so-far').length).toBeLessThanOrEqual(1);
  });

  it('says "not yet: 15 of 20" with 15 answered runs, and shows nothing', () => {
    const p = patternOf(
      generate({
        runs: 60,
        km: (i) => (i % 4 === 3 ? 8 : 4),
        flare: afterLong,
        answered: (i) => i < 15,
      }),
    );
    expect(p.gate).toMatchObject({
      answeredRuns: 15,
      met: false,
      needed: { answeredRuns: 20, flares: 5 },
    });
    expect(p.knees).toEqual([]);
    expect(patternWords(p, 'metric')[0]).toMatch(/^Not yet: 15 of 20 runs answered/);
  });

  it('waits for 5 flares, counting flare days in a row as one', () => {
    // 30 answered runs; flares after runs 1 and 2 only, and a flare every day from run 10 to 12.
    const input = generate({ runs: 30, km: () => 5, flare: (i) => i === 1 || i === 2 });
    const start = Date.parse(input.runs[10]?.startTime ?? '');
    for (let d = 0; d < 5; d++)
      input.checks.push(checkAt(start + d * 86_400_000 + 12 * 3600_000, 5));
    const p = patternOf(input);
    // Runs 1 and 2 flare on days 3 and 5 (not in a row); days 20–24 are one episode.
    expect(p.gate.flares).toBe(3);
    expect(p.gate.met).toBe(false);
    expect(patternWords(p, 'metric')[0]).toMatch(/3 of 5 flares/);
  });

  it('leaves out runs made while the knee was already flaring', () => {
    const input = generate({ runs: 30, km: () => 5, flare: () => false });
    const start = Date.parse(input.runs[10]?.startTime ?? '');
    // A flare from the day of run 10 to the day of run 12 (checks each noon).
    for (let d = 0; d <= 4; d++)
      input.checks.push(checkAt(start + d * 86_400_000 + 5 * 3600_000, 5));
    const p = patternOf(input);
    // Run 10 is followed by the flare; runs 11 and 12 start inside it: 28 answered, not 30.
    expect(p.gate.answeredRuns).toBe(28);
    expect(p.gate.flares).toBe(1);
  });

  it('counts only flares after a run, and one flare after two runs once', () => {
    const at = Date.UTC(2026, 0, 5, 7);
    const runs = [runAt(at, 5, 'a'), runAt(at + 86_400_000, 5, 'b')];
    const base = {
      runs,
      forms: new Map(),
      shoeOf: new Map(),
      zone: ZONE,
      now: new Date(at + 20 * 86_400_000),
    };
    // Pain 5 on the day after the second run: within 48 h of both runs, one flare.
    const p = patternOf({ ...base, checks: [checkAt(at + 2 * 86_400_000, 5)] });
    expect(p.gate).toMatchObject({ answeredRuns: 2, flares: 1 });
    // Pain 5 ten days later follows no run within 48 h: no flare, no answer.
    const late = patternOf({ ...base, checks: [checkAt(at + 12 * 86_400_000, 5)] });
    expect(late.gate).toMatchObject({ answeredRuns: 0, flares: 0 });
  });

  it('counts a rise of 2 points above the check before the run as a flare', () => {
    const at = Date.UTC(2026, 0, 5, 7);
    const run = runAt(at, 5, 'x');
    const before = checkAt(at - 3600_000, 0);
    const after = checkAt(at + 20 * 3600_000, 2);
    const input = {
      runs: [run],
      forms: new Map(),
      checks: [before, after],
      shoeOf: new Map(),
      zone: ZONE,
      now: new Date(at + 5 * 86_400_000),
    };
    expect(patternOf(input).gate).toMatchObject({ answeredRuns: 1, flares: 1 });
    expect(patternOf({ ...input, checks: [checkAt(at - 3600_000, 1), after] }).gate.flares).toBe(0);
    // Before the 48 h are over, a run without a flare yet is not counted.
    expect(
      patternOf({
        ...input,
        checks: [before, checkAt(at + 3600_000, 0)],
        now: new Date(at + 24 * 3600_000),
      }).gate.answeredRuns,
    ).toBe(0);
  });

  it('describes each knee a check names, a check with no side being about both', () => {
    const input = generate({
      runs: 60,
      km: (i) => (i % 4 === 3 ? 8 : 4),
      flare: () => false,
      knee: 'right',
    });
    // The left knee flares after long runs; side-less checks after every run reach both knees.
    for (const [i, r] of input.runs.entries()) {
      const at = Date.parse(r.startTime) + 30 * 3600_000;
      input.checks.push(checkAt(at, afterLong(i) ? 4 : 0, afterLong(i) ? 'left' : null));
    }
    const p = patternOf(input);
    expect(p.knees.map((k) => k.knee)).toEqual(['left', 'right']);
    expect(exposure(p, 'long-run', 'left')?.grade).toBe('clear-so-far');
    expect(p.knees.find((k) => k.knee === 'right')?.flares).toBe(0);
    expect(p.knees.find((k) => k.knee === 'right')?.exposures).toEqual([]);
  });

  it('gives the same document and words for the same history, whatever the order it comes in', () => {
    const input = longRuns(true, afterLong);
    const a = patternOf(input);
    const b = patternOf({
      ...input,
      runs: [...input.runs].reverse(),
      checks: [...input.checks].reverse(),
    });
    expect(b).toEqual(a);
    expect(patternWords(b, 'imperial')).toEqual(patternWords(a, 'imperial'));
  });

  it('computes in well under a second for five years of daily runs', () => {
    const input = generate({ runs: 1825, km: (i) => 4 + (i % 7), flare: (i) => i % 9 === 0 });
    const t = performance.now();
    const p = patternOf(input);
    expect(p.gate.met).toBe(true);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
