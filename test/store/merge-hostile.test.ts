import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import type { RunId } from '../../src/model.ts';
import { importStores } from '../support/import-store.ts';
import { synthFit, type SynthSession } from '../support/synth-fit.ts';

const START = new Date(Date.UTC(2026, 9, 5, 6, 0, 0));
const setup = importStores();

/** A FIT file of one run at START from the same watch; `session` says what it recorded. */
function file(dir: string, name: string, session: Partial<SynthSession>): string {
  const bytes = synthFit({
    start: START,
    localOffsetMin: 60,
    sessions: [{ durationS: 3000, speedMps: 3, stepRateSpm: 170, ...session }],
  });
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('a damaged copy never replaces an honest run (issue 12)', () => {
  it('keeps the honest run and its id when a copy with a bogus cadence comes later', async () => {
    const { opts, dir, store } = setup();
    // The honest file has no cadence at all; the copy claims 4 steps/min (30 m steps).
    const honest = file(dir, 'honest.fit', { stepRateSpm: null });
    const bogus = file(dir, 'bogus.fit', { stepRateSpm: 4 });
    const first = await importPaths([honest], opts);
    const id = first.imported[0]?.run.id;
    const second = await importPaths([bogus], opts);
    expect(second.imported).toEqual([]);
    expect(second.duplicates).toEqual([{ file: bogus, of: id }]);
    const runs = store.runs.list();
    expect(runs.map((r) => r.id)).toEqual([id]);
    expect(runs[0]?.avgCadenceSpm).toBeNull();
    expect(runs[0]?.avgStepLengthM).toBeNull();
    expect(runs[0]?.sources).toHaveLength(2);
  });

  it('stores the honest run, not the bogus copy, when both come in one import', async () => {
    const { opts, dir, store } = setup();
    const bogus = file(dir, 'a-bogus.fit', { stepRateSpm: 4 });
    const honest = file(dir, 'b-honest.fit', { stepRateSpm: null });
    const report = await importPaths([bogus, honest], opts);
    expect(report.imported.map((i) => i.file)).toEqual([honest]);
    expect(report.duplicates.map((d) => d.file)).toEqual([bogus]);
    const [run] = store.runs.list();
    expect(run?.warnings).not.toContain('implausible-step-rate');
    expect(run?.avgCadenceSpm).toBeNull();
  });

  it('recognises a copy from the same watch and start as that run however far its distance is off', async () => {
    const { opts, dir, store } = setup();
    const honest = file(dir, 'honest.fit', {});
    // Same watch, same start, 2.2 times the distance: one watch records one run at a time.
    const corrupt = file(dir, 'corrupt.fit', { speedMps: 6.6 });
    const first = await importPaths([honest], opts);
    const second = await importPaths([corrupt], opts);
    expect(second.duplicates).toEqual([{ file: corrupt, of: first.imported[0]?.run.id }]);
    expect(store.runs.list().map((r) => r.distanceM)).toEqual([9000]);
  });

  it('keeps an impossible distance out of the run and the week', async () => {
    const { opts, dir, store } = setup();
    // 30 m/s for 50 minutes: 90 km, faster than anyone runs.
    const corrupt = file(dir, 'corrupt.fit', { speedMps: 30, stepRateSpm: 170 });
    const report = await importPaths([corrupt], opts);
    const run = report.imported[0]?.run;
    expect(run?.distanceM).toBeNull();
    expect(run?.avgSpeedMps).toBeNull();
    expect(run?.warnings).toEqual(
      expect.arrayContaining(['implausible-distance', 'implausible-speed']),
    );
    expect(store.runs.list()[0]?.distanceM).toBeNull();
  });
});

describe('a Strava activity is made plausible before it is stored (issue 12)', () => {
  it('halves a doubled cadence and drops an impossible heart rate', () => {
    const { store } = setup();
    const saved = store.saveRun(
      {
        run: {
          id: 'strava:42' as RunId,
          source: 'strava',
          sourceId: '42',
          sources: [{ source: 'strava', sourceId: '42' }],
          startTime: '2026-10-05T08:00:00+02:00',
          timezone: 'Europe/Berlin',
          sport: 'running',
          subSport: null,
          distanceM: 8000,
          movingTimeS: 2700,
          elapsedTimeS: 2760,
          avgSpeedMps: 2.963,
          avgCadenceSpm: 336,
          avgStepLengthM: null,
          avgHeartRateBpm: 400,
          device: 'Garmin Forerunner 55',
          gearId: null,
          partial: false,
          warnings: [],
          excluded: null,
        },
        form: null,
      },
      null,
      '2026-11-25T12:00:00.000Z',
    );
    expect(saved.status).toBe('imported');
    const run = store.runs.get('strava:42' as RunId);
    expect(run).toMatchObject({ avgCadenceSpm: 168, avgHeartRateBpm: null });
    expect(run?.warnings).toEqual(['cadence-halved', 'implausible-heart-rate']);
  });
});
