import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import intervals, { stepRateOf } from '../../importers/intervals.ts';
import { intervalsActivitySchema } from '../../importers/intervals-api.ts';
import { sniffFileName, summaryHash } from '../../src/intervals/apply.ts';
import { activityJson, fileBytes } from '../support/fake-intervals-data.ts';
import type { FakeActivitySpec } from '../support/fake-intervals.ts';

const ctx = { timezone: 'Europe/Berlin' };
const spec: FakeActivitySpec = {
  id: 'i123456',
  start: new Date('2026-07-14T05:12:00Z'),
  offsetMin: 120,
  type: 'Run',
  distanceM: 8040,
  speedMps: 2.9,
  stepRateSpm: 170,
  source: 'GARMIN_CONNECT',
  file: 'fit',
};
const parse = (json: unknown) => intervalsActivitySchema.parse(json);

describe('the intervals.icu summary importer', () => {
  it('maps a published Activity to a run at its local time, with both feet in the step rate', () => {
    const out = intervals.read({ activity: parse(activityJson(spec, 'i1')) }, ctx);
    expect(out.kind).toBe('runs');
    if (out.kind !== 'runs') return;
    const run = out.runs[0]?.run;
    expect(run).toMatchObject({
      id: 'intervals:i123456',
      source: 'intervals',
      startTime: '2026-07-14T07:12:00+02:00',
      timezone: 'Europe/Berlin',
      distanceM: 8040,
      avgCadenceSpm: 170,
      avgHeartRateBpm: 148,
      device: 'Garmin Forerunner 255',
    });
    expect(run?.warnings).toEqual([]);
  });

  it('a Strava stub, a ride and a run without a start are values, never runs with 0 km', () => {
    const stub = parse(activityJson({ ...spec, id: '15000000123', source: 'STRAVA' }, 'i1'));
    const s = intervals.read({ activity: stub }, ctx);
    expect(s).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/Strava/) });
    const ride = intervals.read(
      { activity: parse(activityJson({ ...spec, type: 'Ride' }, 'i1')) },
      ctx,
    );
    expect(ride).toEqual({ kind: 'skipped', reason: 'not a run (Ride)' });
    const noStart = intervals.read({ activity: { id: 'i9', type: 'Run' } }, ctx);
    expect(noStart.kind).toBe('failed');
  });

  it('reads average_cadence by plausibility: one leg doubled, both feet kept, anything else unknown', () => {
    expect(stepRateOf(84)).toBe(168);
    expect(stepRateOf(172)).toBe(172);
    expect(stepRateOf(40)).toBeNull();
    expect(stepRateOf(0)).toBeNull();
    expect(stepRateOf(null)).toBeNull();
  });

  it('ids are strings (a number is taken as its text)', () => {
    expect(parse({ id: 16204455123, start_date_local: '2025-10-21T07:31:07' }).id).toBe(
      '16204455123',
    );
  });
});

describe('the original file', () => {
  it('is named by its content: FIT at byte 8, GPX and TCX by their root, else nothing', () => {
    expect(sniffFileName(fileBytes(spec))).toBe('activity.fit');
    expect(
      sniffFileName(new TextEncoder().encode('  <?xml version="1.0"?>\n<gpx version="1.1">')),
    ).toBe('activity.gpx');
    expect(
      sniffFileName(
        new TextEncoder().encode('\uFEFF<?xml version="1.0"?><TrainingCenterDatabase xmlns="x">'),
      ),
    ).toBe('activity.tcx');
    expect(sniffFileName(gzipSync(fileBytes(spec)))).toBeNull();
    expect(sniffFileName(new TextEncoder().encode('{"error":"nope"}'))).toBeNull();
  });

  it('the summary hash changes with an edit and not with key order', () => {
    const a = parse(activityJson(spec, 'i1'));
    const reordered = parse(Object.fromEntries(Object.entries(activityJson(spec, 'i1')).reverse()));
    expect(summaryHash(reordered)).toBe(summaryHash(a));
    expect(summaryHash({ ...a, distance: 8100 })).not.toBe(summaryHash(a));
  });
});
