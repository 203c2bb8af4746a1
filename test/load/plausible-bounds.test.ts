import { describe, expect, it } from 'vitest';
import type { Run, RunId } from '../../src/model.ts';
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
    elapsedTimeS: 3400,
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

const check = (over: Partial<Run>): Run => plausibleRun({ run: run(over), form: null }, NOW).run;

describe('impossible runs are not counted (issue 21 item 6: lower bounds and consistency)', () => {
  it('keeps an honest run, a slow beginner jog (1.5 m/s) and a rounded moving time', () => {
    expect(check({}).excluded).toBeNull();
    const jog = check({
      distanceM: 5000,
      movingTimeS: 3333,
      avgSpeedMps: 1.5,
      avgStepLengthM: 0.6,
    });
    expect(jog.excluded).toBeNull();
    expect(check({ movingTimeS: 3440, elapsedTimeS: 3400 }).excluded).toBeNull();
  });

  it('excludes 40,000 s of moving time in 600 s elapsed', () => {
    const r = check({ movingTimeS: 40_000, elapsedTimeS: 600, avgSpeedMps: null });
    expect(r.excluded).toEqual({ reason: expect.stringMatching(/moving time/), by: 'kneecheck' });
    expect(r.warnings).toContain('implausible-duration');
  });

  it('excludes 5 km in 47 h (0.03 m/s, 11 mm steps) as slower than a walk', () => {
    const r = check({
      distanceM: 5000,
      movingTimeS: 47 * 3600,
      elapsedTimeS: 47 * 3600,
      avgSpeedMps: 0.03,
      avgStepLengthM: 0.011,
    });
    expect(r.excluded).toEqual({ reason: expect.stringMatching(/slower/), by: 'kneecheck' });
    expect(r.warnings).toEqual(
      expect.arrayContaining(['implausible-speed', 'implausible-step-length']),
    );
    expect(r.avgStepLengthM).toBeNull();
  });

  it('excludes 0.99 m/s but keeps 1.0 m/s over the moving time', () => {
    const at = (v: number) =>
      check({
        distanceM: v * 3000,
        movingTimeS: 3000,
        elapsedTimeS: 3000,
        avgSpeedMps: v,
        avgStepLengthM: 0.5,
      });
    expect(at(1.0).excluded).toBeNull();
    expect(at(0.99).excluded?.by).toBe('kneecheck');
  });

  it('excludes a 0 m / 0 s run', () => {
    const r = check({ distanceM: 0, movingTimeS: 0, elapsedTimeS: 0, avgSpeedMps: 0 });
    expect(r.excluded).toEqual({ reason: expect.stringMatching(/0 m in 0 s/), by: 'kneecheck' });
  });

  it('excludes 5 km in 0 s; a 0 m treadmill run with a time keeps its time, not its 0 km', () => {
    expect(check({ movingTimeS: 0, elapsedTimeS: 0, avgSpeedMps: null }).excluded?.by).toBe(
      'kneecheck',
    );
    const treadmill = check({ distanceM: 0, avgSpeedMps: null, avgStepLengthM: null });
    expect(treadmill.excluded).toBeNull();
    expect(treadmill.distanceM).toBeNull();
    expect(treadmill.warnings).toContain('implausible-distance');
  });

  it('excludes 6.9 m/s recorded for 1 km in 2 h (speed is not distance / time)', () => {
    const r = check({ distanceM: 1000, movingTimeS: 7200, elapsedTimeS: 7200, avgSpeedMps: 6.9 });
    expect(r.excluded).toEqual({
      reason: expect.stringMatching(/does not match/),
      by: 'kneecheck',
    });
    expect(r.warnings).toContain('implausible-speed');
  });

  it('nulls a step length under 0.3 m and keeps 0.3 m', () => {
    expect(check({ avgStepLengthM: 0.3 }).avgStepLengthM).toBe(0.3);
    const r = check({ avgStepLengthM: 0.29 });
    expect(r.avgStepLengthM).toBeNull();
    expect(r.warnings).toContain('implausible-step-length');
  });

  it('is idempotent and keeps the runner’s own exclusion', () => {
    const bad = plausibleRun(
      { run: run({ movingTimeS: 40_000, elapsedTimeS: 600 }), form: null },
      NOW,
    );
    expect(plausibleRun(bad, NOW)).toEqual(bad);
    const mine = { reason: 'a walk', by: 'user' } as const;
    expect(check({ distanceM: 5000, movingTimeS: 47 * 3600, excluded: mine }).excluded).toEqual(
      mine,
    );
  });
});
