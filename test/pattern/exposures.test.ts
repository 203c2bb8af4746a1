import { describe, expect, it } from 'vitest';
import type { FormSummary, RunId } from '../../src/model.ts';
import { exposuresOf, longRunThresholdM } from '../../src/pattern/exposures.ts';
import { overlapShare } from '../../src/pattern/index.ts';
import { runAt, ZONE } from './gen.ts';

const DAY = 86_400_000;
/** The id of run `i` (the test fails here if there is none). */
function idOf(runs: readonly { id: RunId }[], i: number): RunId {
  const run = runs[i];
  if (!run) throw new Error(`no run ${i}`);
  return run.id;
}
const T0 = Date.UTC(2026, 2, 2, 7);

describe('the declared exposures of each run', () => {
  it('marks a spike above 1.10 × the longest of the 30 days before, and nothing without a run before', () => {
    const runs = [runAt(T0, 5, 'a'), runAt(T0 + 3 * DAY, 5.5, 'b'), runAt(T0 + 6 * DAY, 6.1, 'c')];
    const e = exposuresOf({ runs, forms: new Map(), shoeOf: new Map(), zone: ZONE }).byRun;
    expect(e.get(idOf(runs, 0))?.spike).toBeNull();
    expect(e.get(idOf(runs, 1))?.spike).toBe(false); // exactly 1.10
    expect(e.get(idOf(runs, 2))?.spike).toBe(true); // 6.1 / 5.5 = 1.11
  });

  it('marks the 7 days up to a run more than 30 % above the 7 before, and the day after a run', () => {
    const runs = [runAt(T0, 5, 'a'), runAt(T0 + 7 * DAY, 3, 'b'), runAt(T0 + 8 * DAY, 3.6, 'c')];
    const e = exposuresOf({ runs, forms: new Map(), shoeOf: new Map(), zone: ZONE }).byRun;
    expect(e.get(idOf(runs, 0))?.ramp).toBeNull();
    expect(e.get(idOf(runs, 1))?.ramp).toBe(false); // 3 vs 5
    expect(e.get(idOf(runs, 2))?.ramp).toBe(true); // 6.6 vs 5 = 1.32
    expect(e.get(idOf(runs, 1))?.['back-to-back']).toBe(false);
    expect(e.get(idOf(runs, 2))?.['back-to-back']).toBe(true);
  });

  it('takes the long-run cut-off as the runner’s own 75th percentile', () => {
    const runs = [3, 4, 5, 6, 10].map((km, i) => runAt(T0 + i * 2 * DAY, km, `r${i}`));
    expect(longRunThresholdM(runs)).toBe(6000);
    const e = exposuresOf({ runs, forms: new Map(), shoeOf: new Map(), zone: ZONE }).byRun;
    expect(runs.map((r) => e.get(r.id)?.['long-run'])).toEqual([false, false, false, false, true]);
  });

  it('marks shoes under 50 km or changed to in the 14 days before, and says nothing without a pair', () => {
    // Pair 1 for 12 runs of 5 km, then pair 2 (new: under 50 km for its first 10 runs).
    const runs = Array.from({ length: 26 }, (_, i) => runAt(T0 + i * 2 * DAY, 5, `s${i}`));
    const shoeOf = new Map<RunId, number>(runs.map((r, i) => [r.id, i < 12 ? 1 : 2]));
    shoeOf.delete(idOf(runs, 25));
    const e = exposuresOf({ runs, forms: new Map(), shoeOf, zone: ZONE }).byRun;
    const newShoes = runs.map((r) => e.get(r.id)?.['new-shoes']);
    // Pair 1: new up to 45 km before the run (runs 0–9), then not.
    expect(newShoes.slice(0, 12)).toEqual([...Array(10).fill(true), false, false]);
    // Pair 2: new for 10 runs (under 50 km) and changed to within 14 days: runs 12–21 true.
    expect(newShoes.slice(12, 25)).toEqual([...Array(10).fill(true), false, false, false]);
    expect(newShoes[25]).toBeNull();
  });

  it('marks step rate 3 % or more below the runner’s own line at that speed', () => {
    const form = (spm: number, speed: number): FormSummary => ({
      speedBins: [{ fromMps: 2.75, seconds: 1800, avgSpeedMps: speed, avgCadenceSpm: spm }],
      firstFifthCadenceSpm: spm,
      lastFifthCadenceSpm: spm,
      firstFifthSpeedMps: speed,
      lastFifthSpeedMps: speed,
      deviceStepLengthM: null,
      sampleCount: 360,
    });
    const runs = Array.from({ length: 8 }, (_, i) => runAt(T0 + i * 2 * DAY, 5, `c${i}`));
    const spm = [170, 171, 169, 170, 170, 171, 160, 169];
    const forms = new Map(runs.map((r, i) => [r.id, form(spm[i] ?? 0, 2.8 + (i % 2) * 0.3)]));
    const e = exposuresOf({ runs, forms, shoeOf: new Map(), zone: ZONE }).byRun;
    expect(runs.map((r) => e.get(r.id)?.['low-step-rate'])).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    // Without the runner's own line (too few runs with a step rate), not known.
    const few = exposuresOf({ runs: runs.slice(0, 3), forms, shoeOf: new Map(), zone: ZONE });
    expect(few.byRun.get(idOf(runs, 0))?.['low-step-rate']).toBeNull();
  });

  it('calls two exposures the same runs above 70 % overlap, not at it', () => {
    const ids = (n: number, from = 0) =>
      new Set(Array.from({ length: n }, (_, i) => `r${from + i}` as RunId));
    // 7 shared of 10 selected by either: 0.7, not above.
    expect(overlapShare(ids(7), ids(10))).toBeCloseTo(0.7, 12);
    expect(overlapShare(ids(8), ids(10))).toBeGreaterThan(0.7);
    expect(overlapShare(ids(5), ids(5, 5))).toBe(0);
    expect(overlapShare(new Set(), new Set())).toBe(0);
  });
});
