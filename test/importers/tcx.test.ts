import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import tcx from '../../importers/tcx.ts';
import type { ImportOutcome } from '../../importers/types.ts';
import type { ImportedRun } from '../../src/model.ts';
import { steadyRun, tcxOf, type XmlRunSpec } from '../support/xml-writer.ts';

const ctx = { timezone: 'Europe/Berlin' };
const START = new Date('2026-03-02T07:00:23Z');

function read(text: string): ImportOutcome {
  const bytes = new TextEncoder().encode(text);
  return tcx.read({ bytes, sha256: createHash('sha256').update(bytes).digest('hex') }, ctx);
}

function one(spec: XmlRunSpec | string): ImportedRun {
  const o = read(typeof spec === 'string' ? spec : tcxOf(spec));
  if (o.kind !== 'runs') throw new Error(`expected runs, got ${JSON.stringify(o)}`);
  expect(o.runs).toHaveLength(1);
  return o.runs[0] as ImportedRun;
}

describe('the TCX importer', () => {
  it('reads a run: the first lap start (not the minute-cut Id), the laps\u2019 totals, RunCadence x2', () => {
    const { run, form, series } = one({ ...steadyRun(START, 30, 86, 3), idToMinute: true });
    expect(run.source).toBe('tcx');
    expect(run.id).toMatch(/^tcx:[0-9a-f]{12}$/);
    expect(Date.parse(run.startTime)).toBe(START.getTime());
    expect(run.warnings).toContain('no-local-time');
    expect(run.distanceM).toBeCloseTo(5400, 1);
    expect(run.movingTimeS).toBe(1800);
    expect(run.avgCadenceSpm).toBeCloseTo(172, 1);
    expect(run.avgSpeedMps).toBeCloseTo(3, 2);
    expect(run.device).toBe('Forerunner 945');
    expect(form?.speedBins[0]?.avgCadenceSpm).toBeCloseTo(172, 0);
    expect(series?.stepRateSpm[10]).toBeCloseTo(172, 0);
    expect(series?.speedMps[10]).toBeCloseTo(3, 1);
  });

  it('takes the timer time from the laps and the elapsed time across the pause between them', () => {
    const { run } = one({
      start: START,
      stretches: [
        { durationS: 900, speedMps: 3, cadence: 85 },
        { durationS: 600, speedMps: 2.5, cadence: 80, pauseBeforeS: 120 },
      ],
    });
    expect(run.movingTimeS).toBe(1500);
    expect(run.elapsedTimeS).toBe(1620);
    expect(run.distanceM).toBeCloseTo(2700 + 1500, 0);
  });

  it('uses the points when they run on past the laps (an unfinished last lap)', () => {
    const text = tcxOf(steadyRun(START, 20, 88, 2.5))
      .replace(
        /<DistanceMeters>3000\.00<\/DistanceMeters>\s*<Intensity>/,
        '<DistanceMeters>2000.00</DistanceMeters><Intensity>',
      )
      .replace(
        '<TotalTimeSeconds>1200</TotalTimeSeconds>',
        '<TotalTimeSeconds>800</TotalTimeSeconds>',
      );
    expect(text).toContain('<TotalTimeSeconds>800</TotalTimeSeconds>');
    expect(text).toContain('<DistanceMeters>2000.00</DistanceMeters><Intensity>');
    const { run } = one(text);
    expect(run.distanceM).toBeCloseTo(3000, 0);
    expect(run.movingTimeS).toBe(1200);
  });

  it('never takes a bike cadence for steps: rides are not runs', () => {
    const ride = read(
      tcxOf({ ...steadyRun(START, 30, 90, 8), sport: 'Biking', plainCadence: true }),
    );
    expect(ride).toEqual({ kind: 'skipped', reason: 'not a run (biking)' });
    const other = read(tcxOf({ ...steadyRun(START, 30, 90, 3), sport: 'Other' }));
    expect(other).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/^sport unknown: its sport is "Other"/),
    });
  });

  it('reads a running cadence written in <Cadence> (Polar, Suunto) and files starting with spaces', () => {
    const text = tcxOf({ ...steadyRun(START, 10, 84), plainCadence: true });
    expect(one(`  \r\n  ${text}`).run.avgCadenceSpm).toBeCloseTo(168, 1);
    // A writer of full steps (some COROS and Strava exports): kept as is.
    expect(one(steadyRun(START, 10, 168)).run.avgCadenceSpm).toBeCloseTo(168, 1);
  });

  it('keeps the +01:00 offset some writers use instead of Z', () => {
    const text = tcxOf(steadyRun(new Date('2026-03-02T07:00:00Z'), 10, 85)).replace(
      /(StartTime="|<Time>)2026-03-02T07:(\d\d):(\d\d)Z/g,
      (_, pre: string, m: string, s: string) => `${pre}2026-03-02T08:${m}:${s}.000+01:00`,
    );
    const { run } = one(text);
    expect(run.startTime).toBe('2026-03-02T08:00:00+01:00');
    expect(run.warnings).not.toContain('no-local-time');
  });

  it('imports the readable part of a cut file, flagged partial, with totals from its points', () => {
    const text = tcxOf(steadyRun(START, 30, 85, 3));
    const { run } = one(text.slice(0, Math.floor(text.length * 0.55)));
    expect(run.partial).toBe(true);
    expect(run.warnings).toContain('truncated');
    // Not the lap's 5.4 km: only what was read.
    expect(run.distanceM).toBeLessThan(5400 * 0.7);
    expect(run.distanceM).toBeCloseTo((run.movingTimeS ?? 0) * 3, -1);
  });

  it('skips courses, and fails what is not TCX, naming the problem', () => {
    expect(
      read(
        '<TrainingCenterDatabase><Courses><Course><Name>x</Name></Course></Courses></TrainingCenterDatabase>',
      ),
    ).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/course/),
    });
    expect(read('<gpx/>')).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^not a TCX file/),
    });
    expect(
      read('<TrainingCenterDatabase><Activities><Activity Sport="Running"><Lap StartTime='),
    ).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^damaged TCX file: not well-formed XML/),
    });
  });
});
