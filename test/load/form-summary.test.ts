import { describe, expect, it } from 'vitest';
import { summarizeForm, type FormSample } from '../../src/load/form-summary.ts';

/** A running sample at `tS` seconds; step length unknown unless given. */
const s = (
  tS: number,
  speedMps: number | null,
  cadenceSpm: number | null,
  stepLengthM: number | null = null,
): FormSample => ({ tS, speedMps, cadenceSpm, stepLengthM });

describe('summarizeForm', () => {
  it('weights each sample by the seconds since the previous one', () => {
    const form = summarizeForm([
      s(0, 3.0, 100), // the first sample has no "previous": it counts for nothing
      s(1, 3.0, 170), // counts 1 s
      s(4, 3.0, 180), // counts 3 s
    ]);
    // (170·1 + 180·3) / (1 + 3) = 710 / 4 = 177.5 spm (an unweighted mean would give 175 or 150)
    expect(form?.speedBins).toEqual([
      { fromMps: 3, seconds: 4, avgSpeedMps: 3, avgCadenceSpm: 177.5 },
    ]);
  });

  it('sorts samples by time before weighting them', () => {
    const form = summarizeForm([s(4, 3.0, 180), s(0, 3.0, 100), s(1, 3.0, 170)]);
    // Same samples as above, given out of order: still (170·1 + 180·3) / 4 = 177.5 spm over 4 s
    expect(form?.speedBins[0]?.seconds).toBe(4);
    expect(form?.speedBins[0]?.avgCadenceSpm).toBe(177.5);
  });

  it('counts a gap of up to 30 s but nothing for a pause longer than 30 s', () => {
    const form = summarizeForm([
      s(0, 3.0, 170),
      s(30, 3.0, 180), // 30 s gap: still running, counts 30 s
      s(61, 3.0, 200), // 31 s gap: a pause, counts nothing
      s(71, 3.0, 160), // counts 10 s
    ]);
    // (180·30 + 160·10) / (30 + 10) = (5400 + 1600) / 40 = 175 spm over 40 s
    // (counting the pause would give 71 s and (5400 + 6200 + 1600) / 71 ≈ 185.9 spm)
    expect(form?.speedBins).toEqual([
      { fromMps: 3, seconds: 40, avgSpeedMps: 3, avgCadenceSpm: 175 },
    ]);
  });

  it('leaves out standing and walking samples (below 1.5 m/s or 140 steps/min) and samples missing either value', () => {
    const form = summarizeForm([
      s(0, 3.0, 170),
      s(10, 3.0, 170), // counts 10 s in the 3.00 bin
      s(20, 1.49, 150), // too slow: a walk break, left out
      s(30, 3.0, 139), // walking step rate: left out
      s(40, null, 170), // no speed: left out
      s(50, 3.0, null), // no step rate: left out
      s(60, 1.5, 140), // exactly at both limits: counts 10 s in the 1.50 bin
    ]);
    // 20 s of running in all; the 40 s of left-out samples count in no bin
    expect(form?.speedBins).toEqual([
      { fromMps: 1.5, seconds: 10, avgSpeedMps: 1.5, avgCadenceSpm: 140 },
      { fromMps: 3, seconds: 10, avgSpeedMps: 3, avgCadenceSpm: 170 },
    ]);
  });

  it('groups running into 0.25 m/s speed bins, slowest first, each with its own time-weighted means', () => {
    const form = summarizeForm([
      s(0, 3.1, 176),
      s(10, 3.1, 176), // 3.1 / 0.25 = 12.4 → bin 12 → from 3.00 m/s, 10 s
      s(20, 2.75, 170), // 2.75 / 0.25 = 11 → bin 11 → from 2.75 m/s (lower bound included), 10 s
      s(30, 2.6, 160), // 2.6 / 0.25 = 10.4 → bin 10 → from 2.50 m/s, 10 s
      s(60, 2.7, 164), // 2.7 / 0.25 = 10.8 → bin 10 → from 2.50 m/s, 30 s
    ]);
    const bins = form?.speedBins ?? [];
    expect(bins.map((b) => b.fromMps)).toEqual([2.5, 2.75, 3]);
    expect(bins.map((b) => b.seconds)).toEqual([40, 10, 10]);
    // 2.50 bin: speed (2.6·10 + 2.7·30) / 40 = (26 + 81) / 40 = 2.675 m/s;
    //           step rate (160·10 + 164·30) / 40 = (1600 + 4920) / 40 = 163 spm
    expect(bins[0]?.avgSpeedMps).toBeCloseTo(2.675, 3);
    expect(bins[0]?.avgCadenceSpm).toBe(163);
    expect(bins[1]).toMatchObject({ avgSpeedMps: 2.75, avgCadenceSpm: 170 });
    expect(bins[2]).toMatchObject({ avgSpeedMps: 3.1, avgCadenceSpm: 176 });
  });

  it('shows a late drop in step rate as a lower last fifth than first fifth', () => {
    // 10 min at a steady 3 m/s, one sample every 10 s: 60 counted intervals of 10 s = 600 s,
    // a fifth is 120 s = the first 12 and the last 12 intervals.
    const samples: FormSample[] = [s(0, 3.0, 168)];
    for (let t = 10; t <= 600; t += 10) {
      const spm = t <= 60 ? 168 : t <= 480 ? 172 : 160;
      samples.push(s(t, 3.0, spm));
    }
    const form = summarizeForm(samples);
    // first fifth (t = 10…120): 6 × 168 + 6 × 172 → (1008 + 1032) / 12 = 170 spm
    expect(form?.firstFifthCadenceSpm).toBe(170);
    // last fifth (t = 490…600): 12 × 160 → 160 spm, a drop of 10 spm late in the run
    expect(form?.lastFifthCadenceSpm).toBe(160);
  });

  it('gives the same step rate for both fifths when the step rate never changes', () => {
    const samples: FormSample[] = [];
    for (let t = 0; t <= 300; t += 5) samples.push(s(t, 2.8, 166));
    const form = summarizeForm(samples);
    expect(form?.firstFifthCadenceSpm).toBe(166);
    expect(form?.lastFifthCadenceSpm).toBe(166);
  });

  it("reports the device's step length as a time-weighted mean, ignoring missing and zero values", () => {
    const form = summarizeForm([
      s(0, 3.0, 170, 2.0), // first sample: counts nothing
      s(10, 3.0, 170, 1.0), // 10 s
      s(40, 3.0, 170, 1.2), // 30 s
      s(50, 3.0, 170, null), // no step length: left out of this mean
      s(60, 3.0, 170, 0), // 0 is "not measured": left out of this mean
    ]);
    // (1.0·10 + 1.2·30) / (10 + 30) = (10 + 36) / 40 = 1.15 m
    // (an unweighted mean of all non-null values would be (2 + 1 + 1.2 + 0) / 4 = 1.05 m)
    expect(form?.deviceStepLengthM).toBeCloseTo(1.15, 3);
  });

  it('reports no device step length when the device records none', () => {
    const form = summarizeForm([s(0, 3.0, 170), s(10, 3.0, 170), s(20, 3.0, 170)]);
    expect(form).not.toBeNull();
    expect(form?.deviceStepLengthM).toBeNull();
  });

  it('counts every sample it was given', () => {
    const form = summarizeForm([s(0, 3.0, 170), s(10, 0.2, 40), s(20, 3.0, 170)]);
    expect(form?.sampleCount).toBe(3);
  });

  it('returns null when there are no samples', () => {
    expect(summarizeForm([])).toBeNull();
  });

  it('returns null for a single sample, which covers no time', () => {
    expect(summarizeForm([s(0, 3.0, 170, 1.1)])).toBeNull();
  });

  it('returns null when the device recorded no step rate', () => {
    expect(summarizeForm([s(0, 3.0, null), s(10, 3.0, null), s(20, 3.0, null)])).toBeNull();
  });

  it('returns null when every sample is standing or walking', () => {
    expect(summarizeForm([s(0, 0.3, 100), s(10, 0.4, 110), s(20, 1.4, 50)])).toBeNull();
  });

  it('returns null when every interval is a pause', () => {
    expect(summarizeForm([s(0, 3.0, 170), s(40, 3.0, 170), s(100, 3.0, 170)])).toBeNull();
  });

  it('averages the device step length over running samples only, not walking breaks', () => {
    // Running at 3 m/s with 1.1 m steps for 2 s, then walking at 0.4 m/s with 0.6 m steps for 2 s.
    const summary = summarizeForm([
      s(0, 3, 165, 1.1),
      s(1, 3, 165, 1.1),
      s(2, 3, 165, 1.1),
      s(3, 0.4, 100, 0.6),
      s(4, 0.4, 100, 0.6),
    ]);
    expect(summary?.deviceStepLengthM).toBe(1.1);
  });
});
