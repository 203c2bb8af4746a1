import { describe, expect, it } from 'vitest';
import type { FormSummary, ImportedRun, Run, RunId } from '../../src/model.ts';
import { plausibleRun } from '../../src/load/plausible.ts';

const NOW = new Date('2026-03-10T12:00:00Z');

/** A complete, honest 10 km run at 3.03 m/s, 170 steps/min; override what a case needs. */
function run(over: Partial<Run> = {}): Run {
  return {
    id: 'fit:0123456789ab' as RunId,
    source: 'fit',
    sourceId: '0123456789ab',
    sources: [{ source: 'fit', sourceId: '0123456789ab' }],
    startTime: '2026-03-10T07:00:00+01:00',
    timezone: 'Europe/Berlin',
    sport: 'running',
    subSport: null,
    distanceM: 10_000,
    movingTimeS: 3300,
    elapsedTimeS: 3300,
    avgSpeedMps: 3.03,
    avgCadenceSpm: 170,
    avgStepLengthM: 1.07,
    avgHeartRateBpm: 150,
    device: 'garmin forerunner 55',
    gearId: null,
    partial: false,
    excluded: null,
    warnings: [],
    ...over,
  };
}

const form = (spm: number, over: Partial<FormSummary> = {}): FormSummary => ({
  speedBins: [
    { fromMps: 2.75, seconds: 1500, avgSpeedMps: 2.9, avgCadenceSpm: spm - 4 },
    { fromMps: 3, seconds: 1800, avgSpeedMps: 3.1, avgCadenceSpm: spm + 4 },
  ],
  firstFifthCadenceSpm: spm + 2,
  lastFifthCadenceSpm: spm - 2,
  firstFifthSpeedMps: 3.1,
  lastFifthSpeedMps: 2.95,
  deviceStepLengthM: null,
  sampleCount: 3301,
  ...over,
});

const check = (over: Partial<Run>, f: FormSummary | null = null): ImportedRun =>
  plausibleRun({ run: run(over), form: f }, NOW);

describe('plausibleRun keeps an honest run as it is', () => {
  it('changes nothing in a normal run and its form summary', () => {
    const honest = { run: run(), form: form(170) };
    expect(plausibleRun(honest, NOW)).toEqual(honest);
  });

  it('is idempotent: a checked record checked again stays the same (a halved rate is not halved twice)', () => {
    const cases: ImportedRun[] = [
      { run: run({ avgCadenceSpm: 340, avgStepLengthM: 0.535 }), form: form(340) },
      { run: run({ avgCadenceSpm: 2, avgStepLengthM: 55, distanceM: 4e7 }), form: form(170) },
      { run: run({ startTime: '2058-01-01T00:00:00Z', avgHeartRateBpm: 300 }), form: null },
    ];
    for (const c of cases) {
      const once = plausibleRun(c, NOW);
      expect(plausibleRun(once, NOW)).toEqual(once);
    }
  });

  it('does not modify the record it is given', () => {
    const given = { run: run({ avgCadenceSpm: 5 }), form: null };
    plausibleRun(given, NOW);
    expect(given.run.avgCadenceSpm).toBe(5);
    expect(given.run.warnings).toEqual([]);
  });
});

describe('step rate: 100–250 steps/min while running (science.md)', () => {
  it('keeps 100 and 250 steps/min', () => {
    expect(check({ avgCadenceSpm: 100, avgStepLengthM: null }).run.avgCadenceSpm).toBe(100);
    expect(check({ avgCadenceSpm: 250, avgStepLengthM: null }).run.avgCadenceSpm).toBe(250);
  });

  it('nulls 99.9 and 250.1 steps/min with implausible-step-rate', () => {
    for (const spm of [99.9, 250.1, 2, 0, -170]) {
      const { run: r } = check({ avgCadenceSpm: spm, avgStepLengthM: null });
      expect(r.avgCadenceSpm).toBeNull();
      expect(r.warnings).toContain('implausible-step-rate');
    }
  });

  it('drops a step length that was derived from an impossible step rate', () => {
    // 3.03 m/s at 90 steps/min → 2.02 m, plausible on its own but computed from a faulty rate.
    const { run: r } = check({ avgCadenceSpm: 90, avgStepLengthM: 2.02 });
    expect(r.avgStepLengthM).toBeNull();
  });
});

describe('a doubled step rate is halved (science.md: about 280–420 at jogging speed)', () => {
  it('halves 340 "steps/min" at 3 m/s to 170, in the run and in every form value', () => {
    const { run: r, form: f } = check({ avgCadenceSpm: 340, avgStepLengthM: null }, form(340));
    expect(r.avgCadenceSpm).toBe(170);
    expect(r.warnings).toEqual(['cadence-halved']);
    expect(f?.speedBins.map((b) => b.avgCadenceSpm)).toEqual([168, 172]);
    expect(f?.firstFifthCadenceSpm).toBe(171);
    expect(f?.lastFifthCadenceSpm).toBe(169);
  });

  it('recomputes a step length that was derived from the doubled rate', () => {
    // 3.03 m/s / (340/60) = 0.535 m as imported; with 170 steps/min it is 1.069 m.
    const { run: r } = check({ avgCadenceSpm: 340, avgStepLengthM: 0.535 });
    expect(r.avgStepLengthM).toBe(1.069);
  });

  it('halves 280 and 420; nulls 279.9 and 420.1', () => {
    expect(check({ avgCadenceSpm: 280, avgStepLengthM: null }).run.avgCadenceSpm).toBe(140);
    expect(check({ avgCadenceSpm: 420, avgStepLengthM: null }).run.avgCadenceSpm).toBe(210);
    for (const spm of [279.9, 420.1]) {
      const { run: r } = check({ avgCadenceSpm: spm, avgStepLengthM: null });
      expect(r.avgCadenceSpm).toBeNull();
      expect(r.warnings).toEqual(['implausible-step-rate']);
    }
  });

  it('does not halve a rate whose half would need steps longer than 2.5 m at the recorded speed', () => {
    // 6.5 m/s at 140 steps/min would be 2.79 m steps: not a doubled rate but a fault.
    const { run: r } = check({
      avgCadenceSpm: 280,
      avgSpeedMps: 6.5,
      avgStepLengthM: null,
      distanceM: 21_450,
    });
    expect(r.avgCadenceSpm).toBeNull();
    expect(r.warnings).toContain('implausible-step-rate');
  });

  it('halves a doubled rate in the form summary even when the run has no average', () => {
    const { run: r, form: f } = check({ avgCadenceSpm: null, avgStepLengthM: null }, form(340));
    expect(f?.firstFifthCadenceSpm).toBe(171);
    expect(r.warnings).toContain('cadence-halved');
  });

  it('drops speed bins whose step rate is impossible', () => {
    const f = form(170, {
      speedBins: [
        { fromMps: 3, seconds: 100, avgSpeedMps: 3.1, avgCadenceSpm: 60 },
        { fromMps: 3, seconds: 100, avgSpeedMps: 3.1, avgCadenceSpm: 171 },
        { fromMps: 25, seconds: 100, avgSpeedMps: 25.1, avgCadenceSpm: 171 },
      ],
    });
    expect(check({}, f).form?.speedBins).toEqual([
      { fromMps: 3, seconds: 100, avgSpeedMps: 3.1, avgCadenceSpm: 171 },
    ]);
  });
});

describe('step length, speed, distance, duration and heart rate bounds (science.md)', () => {
  it('keeps a 2.5 m step; nulls 2.51 m and 55 m with implausible-step-length', () => {
    expect(check({ avgStepLengthM: 2.5 }).run.avgStepLengthM).toBe(2.5);
    for (const m of [2.51, 55, -1]) {
      const { run: r } = check({ avgStepLengthM: m });
      expect(r.avgStepLengthM).toBeNull();
      expect(r.warnings).toContain('implausible-step-length');
    }
  });

  it('nulls a device step length over 2.5 m in the form summary', () => {
    expect(check({}, form(170, { deviceStepLengthM: 2.6 })).form?.deviceStepLengthM).toBeNull();
    expect(check({}, form(170, { deviceStepLengthM: 2.5 })).form?.deviceStepLengthM).toBe(2.5);
  });

  it('keeps 7 m/s; nulls 7.01 m/s and 25,058 m/s with implausible-speed', () => {
    expect(check({ avgSpeedMps: 7, avgStepLengthM: null }).run.avgSpeedMps).toBe(7);
    for (const v of [7.01, 25_058, -3]) {
      const { run: r } = check({ avgSpeedMps: v, avgStepLengthM: null });
      expect(r.avgSpeedMps).toBeNull();
      expect(r.warnings).toContain('implausible-speed');
    }
  });

  it('keeps a 250 km run; nulls 250.001 km, 42,949 km and negative distances', () => {
    const long = { movingTimeS: 47 * 3600, elapsedTimeS: 47 * 3600, avgSpeedMps: 1.48 };
    expect(check({ ...long, distanceM: 250_000 }).run.distanceM).toBe(250_000);
    for (const m of [250_001, 42_949_000, -5]) {
      const { run: r } = check({ ...long, distanceM: m });
      expect(r.distanceM).toBeNull();
      expect(r.warnings).toContain('implausible-distance');
    }
  });

  it('drops a distance that would mean running faster than 7 m/s for the recorded time', () => {
    // 10 km in 1,400 s is 7.14 m/s; in 1,430 s it is 6.99 m/s.
    expect(check({ movingTimeS: 1430, avgSpeedMps: null }).run.distanceM).toBe(10_000);
    const { run: r } = check({ movingTimeS: 1400, avgSpeedMps: null });
    expect(r.distanceM).toBeNull();
    expect(r.warnings).toContain('implausible-distance');
  });

  it('keeps a 48 h run; nulls 48 h + 1 s and negative durations with implausible-duration', () => {
    const h48 = 48 * 3600;
    expect(check({ movingTimeS: h48, elapsedTimeS: h48 }).run.elapsedTimeS).toBe(h48);
    for (const s of [h48 + 1, -60]) {
      const { run: r } = check({ movingTimeS: s, elapsedTimeS: s });
      expect([r.movingTimeS, r.elapsedTimeS]).toEqual([null, null]);
      expect(r.warnings).toContain('implausible-duration');
    }
  });

  it('keeps 30 and 250 bpm; nulls 29 and 251 bpm with implausible-heart-rate', () => {
    expect(check({ avgHeartRateBpm: 30 }).run.avgHeartRateBpm).toBe(30);
    expect(check({ avgHeartRateBpm: 250 }).run.avgHeartRateBpm).toBe(250);
    for (const bpm of [29, 251]) {
      const { run: r } = check({ avgHeartRateBpm: bpm });
      expect(r.avgHeartRateBpm).toBeNull();
      expect(r.warnings).toEqual(['implausible-heart-rate']);
    }
  });
});

describe('a start that cannot be true excludes the run (DESIGN §3)', () => {
  it('keeps a run starting 10 minutes after now (a watch clock a little fast)', () => {
    const { run: r } = check({ startTime: '2026-03-10T12:10:00Z' });
    expect(r.excluded).toBeNull();
    expect(r.warnings).toEqual([]);
  });

  it('excludes a run starting 10 min 1 s after now, or in 2058, with start-in-future', () => {
    for (const startTime of ['2026-03-10T12:10:01Z', '2058-06-01T07:00:00+02:00']) {
      const { run: r } = check({ startTime });
      expect(r.warnings).toContain('start-in-future');
      expect(r.excluded).toEqual({ reason: expect.stringMatching(/future/), by: 'kneecheck' });
      // The values themselves are kept: the runner may include the run again.
      expect(r.distanceM).toBe(10_000);
    }
  });

  it('gives a record without a local offset 14 h of leeway (local time written as UTC)', () => {
    const r = check({ startTime: '2026-03-11T02:00:00Z', warnings: ['no-local-time'] }).run;
    expect(r.excluded).toBeNull();
  });

  it('keeps a run starting at 2000-01-01T00:00Z; excludes one a second earlier', () => {
    expect(check({ startTime: '2000-01-01T00:00:00Z' }).run.excluded).toBeNull();
    const { run: r } = check({ startTime: '1999-12-31T23:59:59Z' });
    expect(r.warnings).toContain('start-before-2000');
    expect(r.excluded).toEqual({ reason: expect.stringMatching(/before 2000/), by: 'kneecheck' });
  });

  it('excludes a run from a watch whose clock was never set', () => {
    const { run: r } = check({ startTime: '1990-01-01T00:10:00Z', warnings: ['clock-not-set'] });
    expect(r.warnings).toEqual(['clock-not-set', 'start-before-2000']);
    expect(r.excluded).toEqual({
      reason: expect.stringMatching(/clock was not set/),
      by: 'kneecheck',
    });
  });

  it("keeps the runner's own exclusion", () => {
    const mine = { reason: 'heart-rate strap file', by: 'user' } as const;
    expect(check({ startTime: '2058-01-01T00:00:00Z', excluded: mine }).run.excluded).toEqual(mine);
  });
});
