import { describe, expect, it } from 'vitest';
import { MAX_SERIES_SLOTS, buildSeries } from '../../src/load/series.ts';
import { decodeSeries, encodeSeries } from '../../src/store/series.ts';
import { seriesFromStreams } from '../../importers/strava.ts';

describe('a run’s series', () => {
  it('averages samples into 10 s slots, with gaps where nothing was recorded', () => {
    const s = buildSeries([
      { tS: 0, speedMps: 2.5, stepRateSpm: 160, heartRateBpm: 120 },
      { tS: 5, speedMps: 3.5, stepRateSpm: 170, heartRateBpm: null },
      // 10–19 s: a pause, nothing recorded.
      { tS: 25, speedMps: 3, stepRateSpm: null, heartRateBpm: 150 },
    ]);
    expect(s?.stepS).toBe(10);
    expect(Array.from(s?.speedMps ?? [])).toEqual([3, Number.NaN, 3]);
    expect(Array.from(s?.stepRateSpm ?? [])).toEqual([165, Number.NaN, Number.NaN]);
    expect(Array.from(s?.heartRateBpm ?? [])).toEqual([120, Number.NaN, 150]);
  });

  it('is null without any value, and widens its slots for a very long recording', () => {
    expect(buildSeries([])).toBeNull();
    expect(
      buildSeries([{ tS: 3, speedMps: null, stepRateSpm: null, heartRateBpm: null }]),
    ).toBeNull();
    const long = buildSeries([
      { tS: 0, speedMps: 2, stepRateSpm: 150, heartRateBpm: 100 },
      { tS: 48 * 3600, speedMps: 2, stepRateSpm: 150, heartRateBpm: 100 },
    ]);
    expect(long?.stepS).toBe(20);
    expect(long?.speedMps.length).toBeLessThanOrEqual(MAX_SERIES_SLOTS);
  });

  it('is stored in 6 bytes a slot and read back to the stored precision', () => {
    const s = buildSeries(
      Array.from({ length: 360 }, (_, i) => ({
        tS: i * 10,
        speedMps: i === 7 ? null : 2.5 + (i % 5) * 0.013,
        stepRateSpm: 163.37,
        heartRateBpm: 141.26,
      })),
    );
    if (!s) throw new Error('no series');
    const blob = encodeSeries(s);
    expect(blob.length).toBe(360 * 6);
    const back = decodeSeries(10, blob);
    expect(back.speedMps[0]).toBeCloseTo(2.5, 2);
    expect(back.speedMps[7]).toBeNaN();
    expect(back.stepRateSpm[3]).toBeCloseTo(163.4, 4);
    expect(back.heartRateBpm[3]).toBeCloseTo(141.3, 4);
  });
});

describe('series from Strava streams', () => {
  it('doubles one-leg cadence, keeps heart rate, and leaves pauses out of pace and step rate', () => {
    const s = seriesFromStreams({
      time: { data: [0, 5, 10, 15] },
      velocity_smooth: { data: [3, 3, 0.2, 3.2] },
      cadence: { data: [80, 82, 10, 84] },
      heartrate: { data: [130, 132, 128, 140] },
      moving: { data: [true, true, false, true] },
    });
    expect(Array.from(s?.speedMps ?? [])).toEqual([3, Math.fround(3.2)]);
    expect(Array.from(s?.stepRateSpm ?? [])).toEqual([162, 168]);
    expect(Array.from(s?.heartRateBpm ?? [])).toEqual([131, 134]);
  });
});
