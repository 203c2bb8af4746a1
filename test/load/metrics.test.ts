import { describe, expect, it } from 'vitest';
import { ewmaAcwr, ewmaLambda } from '../../src/load/acwr.ts';
import { buildReport } from '../../src/load/report.ts';
import { spikeOf } from '../../src/load/spike.ts';
import { POPULATION_LINE, cadenceVsLine, fitCadenceLine, lateDrop } from '../../src/load/stride.ts';
import type { LoadRun } from '../../src/load/types.ts';
import {
  consecutiveRunDays,
  rampPct,
  restDays,
  rollingRamp,
  runDay,
  weeklyLoad,
} from '../../src/load/weeks.ts';
import { NO_KNEE_FLAGS, type FormSummary, type RunId } from '../../src/model.ts';

let n = 0;
const run = (startTime: string, km: number, extra: Partial<LoadRun> = {}): LoadRun => ({
  id: `fit:${String(++n).padStart(12, '0')}` as RunId,
  startTime,
  distanceM: km * 1000,
  movingTimeS: km * 360,
  elapsedTimeS: km * 360,
  avgSpeedMps: null,
  avgCadenceSpm: null,
  avgStepLengthM: null,
  ...extra,
});
const BERLIN = 'Europe/Berlin';

describe('calendar weeks in the runner zone', () => {
  it('puts a run at 23:30 on Sunday in that Sunday week, even when it is Monday in UTC', () => {
    // Sunday 2026-11-22 23:30 in Berlin (UTC+1) is 22:30 UTC.
    const sunday = run('2026-11-22T22:30:00Z', 5);
    expect(runDay(sunday, BERLIN).toISODate()).toBe('2026-11-22');
    const weeks = weeklyLoad([sunday], BERLIN, new Date('2026-11-25T12:00:00Z'), 2);
    expect(weeks.map((w) => [w.weekStart.toISODate(), w.runs.length])).toEqual([
      ['2026-11-16', 1],
      ['2026-11-23', 0],
    ]);
  });

  it('counts a run recorded abroad in the runner home week', () => {
    // Sunday 20:00 in New York is Monday 02:00 in Berlin: the next week at home.
    const abroad = run('2026-11-22T20:00:00-05:00', 5);
    const weeks = weeklyLoad([abroad], BERLIN, new Date('2026-11-25T12:00:00Z'), 2);
    expect(weeks[1]?.runs).toHaveLength(1);
  });

  it('keeps weeks Monday to Monday across the autumn DST change', () => {
    // Berlin leaves summer time on Sunday 2026-10-25 at 03:00 local.
    const runs = [run('2026-10-25T21:00:00Z', 4), run('2026-10-26T06:00:00Z', 6)];
    const weeks = weeklyLoad(runs, BERLIN, new Date('2026-10-28T12:00:00Z'), 2);
    expect(weeks.map((w) => w.weekStart.toISO())).toEqual([
      '2026-10-19T00:00:00.000+02:00',
      '2026-10-26T00:00:00.000+01:00',
    ]);
    expect(weeks.map((w) => w.distanceM)).toEqual([4000, 6000]);
  });

  it('computes the ramp, the longest run and rest days per week', () => {
    const runs = [
      run('2026-11-09T07:00:00Z', 4),
      run('2026-11-11T07:00:00Z', 4),
      run('2026-11-16T07:00:00Z', 5),
      run('2026-11-18T07:00:00Z', 7),
      run('2026-11-23T07:00:00Z', 3),
    ];
    // Wednesday 25 Nov: the current week has had 3 days, one with a run.
    const weeks = weeklyLoad(runs, BERLIN, new Date('2026-11-25T12:00:00Z'), 3);
    expect(weeks.map((w) => w.distanceM)).toEqual([8000, 12000, 3000]);
    // (12 − 8) / 8 = +50 %; (3 − 12) / 12 = −75 %; the first week has a week before it with nothing.
    expect(weeks.map((w) => w.rampPct)).toEqual([null, 50, -75]);
    expect(weeks.map((w) => w.longestRunM)).toEqual([4000, 7000, 3000]);
    expect(weeks.map((w) => w.restDays)).toEqual([5, 5, 2]);
    expect(rampPct(3000, 0)).toBeNull();
  });
});

describe('rolling 7-day load, rest and streaks', () => {
  const now = new Date('2026-11-25T20:00:00Z');
  it('compares the last 7 calendar days, today included, with the 7 before', () => {
    const runs = [
      run('2026-11-25T06:00:00Z', 5),
      run('2026-11-19T06:00:00Z', 5),
      run('2026-11-18T06:00:00Z', 4),
    ];
    // Days ago: 0 and 6 → last 7 = 10 km; 7 → previous 7 = 4 km; ratio 2.5.
    expect(rollingRamp(runs, BERLIN, now)).toEqual({
      last7DaysM: 10000,
      previous7DaysM: 4000,
      ratio: 2.5,
    });
  });

  it('counts rest days and the running streak', () => {
    const runs = ['2026-11-25', '2026-11-24', '2026-11-23', '2026-11-21'].map((d) =>
      run(`${d}T06:00:00Z`, 3),
    );
    expect(restDays(runs, BERLIN, now)).toBe(3);
    expect(consecutiveRunDays(runs, BERLIN, now)).toBe(3);
    // Before today's run: the streak ending yesterday.
    expect(consecutiveRunDays(runs.slice(1), BERLIN, now)).toBe(2);
  });
});

describe('single-run spike (RUNSAFE-2025)', () => {
  it('divides by the longest run that started in the 30 days before', () => {
    const history = [
      run('2026-10-20T07:00:00Z', 9),
      run('2026-10-30T07:00:00Z', 5),
      run('2026-11-10T07:00:00Z', 6),
    ];
    const today = run('2026-11-25T07:00:00Z', 7.5);
    // 20 Oct is 36 days before: outside. Longest within 30 days: 6 km → 7.5 / 6 = 1.25.
    expect(spikeOf(today, [...history, today])).toEqual({
      distanceM: 7500,
      longestPrevious30DaysM: 6000,
      ratio: 1.25,
    });
    expect(spikeOf(history[0] as LoadRun, history).ratio).toBeNull();
  });
});

describe('EWMA acute:chronic load (Williams 2017)', () => {
  it('uses λ = 2 / (N + 1)', () => {
    expect(ewmaLambda(7)).toBe(0.25);
    expect(ewmaLambda(28)).toBeCloseTo(2 / 29, 12);
  });

  it('matches the recurrence computed by hand', () => {
    // 5 km every day for 28 days: acute = 5000 × (1 − 0.75^28), chronic = 5000 × (1 − (27/29)^28).
    const runs = Array.from({ length: 28 }, (_, i) =>
      run(new Date(Date.UTC(2026, 9, 1 + i, 6)).toISOString(), 5),
    );
    const a = ewmaAcwr(runs, BERLIN, new Date('2026-10-28T20:00:00Z'));
    expect(a.acuteM).toBeCloseTo(5000 * (1 - 0.75 ** 28), 6);
    expect(a.chronicM).toBeCloseTo(5000 * (1 - (27 / 29) ** 28), 6);
    expect(a.ratio).toBeCloseTo((1 - 0.75 ** 28) / (1 - (27 / 29) ** 28), 9);
  });

  it('has no ratio with less than 28 days of history', () => {
    const runs = [run('2026-11-20T06:00:00Z', 5)];
    expect(ewmaAcwr(runs, BERLIN, new Date('2026-11-25T20:00:00Z')).ratio).toBeNull();
  });
});

describe('step rate at matched speed', () => {
  it('fits the runner line by weighted least squares once there are 5 runs', () => {
    // Points on spm = 140 + 10 × speed.
    const runs = [2.0, 2.5, 3.0, 3.5, 4.0].map((v) => [
      { speedMps: v, cadenceSpm: 140 + 10 * v, weightS: 600 },
    ]);
    const line = fitCadenceLine(runs);
    expect(line.basis).toBe('runner');
    expect(line.interceptSpm).toBeCloseTo(140, 9);
    expect(line.slopeSpmPerMps).toBeCloseTo(10, 9);
    expect(fitCadenceLine(runs.slice(0, 4))).toBe(POPULATION_LINE);
  });

  it('compares like with like: a slow run at its usual step rate is not "low"', () => {
    const line = { interceptSpm: 140, slopeSpmPerMps: 10, basis: 'runner' as const, runs: 5 };
    expect(
      cadenceVsLine([{ speedMps: 2, cadenceSpm: 160, weightS: 100 }], line)?.deltaPct,
    ).toBeCloseTo(0, 9);
    // At 3 m/s the line expects 170: 161.5 is 5 % below.
    expect(
      cadenceVsLine([{ speedMps: 3, cadenceSpm: 161.5, weightS: 100 }], line)?.deltaPct,
    ).toBeCloseTo(-5, 9);
  });

  it('measures the late-run drop only from a form summary', () => {
    const form: FormSummary = {
      speedBins: [],
      firstFifthCadenceSpm: 170,
      lastFifthCadenceSpm: 161.5,
      firstFifthSpeedMps: 3,
      lastFifthSpeedMps: 2.91,
      deviceStepLengthM: null,
      sampleCount: 100,
    };
    const d = lateDrop(form);
    expect(d?.changePct).toBeCloseTo(-5, 9);
    expect(d?.speedChangePct).toBeCloseTo(-3, 9);
    expect(lateDrop(null)).toBeNull();
  });
});

describe('the weekly report', () => {
  it('fills every DESIGN §4 field, with the highest pain of each week', () => {
    const runs = [
      run('2026-11-17T07:00:00Z', 5, { avgCadenceSpm: 160, avgSpeedMps: 2.5 }),
      run('2026-11-24T07:00:00Z', 6, { avgCadenceSpm: 170, avgSpeedMps: 3 }),
    ];
    const check = (at: string, pain: number) => ({
      id: pain,
      runId: null,
      checkedAt: at,
      pain,
      where: [],
      ...NO_KNEE_FLAGS,
      knee: null,
      via: 'cli' as const,
      note: null,
    });
    const report = buildReport({
      runs,
      forms: new Map(),
      checks: [check('2026-11-24T09:00:00Z', 2), check('2026-11-25T09:00:00Z', 1)],
      zone: BERLIN,
      now: new Date('2026-11-25T12:00:00Z'),
      weeks: 2,
    });
    expect(report).toEqual({
      timezone: BERLIN,
      weeks: [
        {
          weekStart: '2026-11-16',
          runs: 1,
          distanceM: 5000,
          durationS: 1800,
          longestRunM: 5000,
          rampPct: null,
          acwr: null,
          restDays: 6,
          avgCadenceSpm: 160,
          avgStepLengthM: 0.938,
          maxPain: null,
        },
        // 2.5 m/s at 160 spm → 0.9375 m; 3 m/s at 170 spm → 1.0588 m.
        {
          weekStart: '2026-11-23',
          runs: 1,
          distanceM: 6000,
          durationS: 2160,
          longestRunM: 6000,
          rampPct: 20,
          acwr: null,
          restDays: 2,
          avgCadenceSpm: 170,
          avgStepLengthM: 1.059,
          maxPain: 2,
        },
      ],
    });
  });
});
