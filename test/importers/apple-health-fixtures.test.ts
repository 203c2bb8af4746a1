import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunId } from '../../src/model.ts';
import { importPaths, type ImportReport } from '../../src/import/pipeline.ts';
import { importStores, writeFile } from '../support/import-store.ts';
import { FIXTURES_APPLE, HAVE_APPLE_FIXTURES, SKIP_APPLE_NOTE } from '../support/paths.ts';
import { makeZip } from '../support/zip.ts';

interface PerWorkout {
  type: string;
  isRun: boolean;
  startLocal: string | null;
  timezone: string | null;
  distanceM: number | null;
  movingOrElapsedS: number;
  elapsedS: number;
  cadence: 'none' | { stepsPerMinMean: number };
  runningStrideLengthAvgM: number | null;
  hrAvg: number | null;
  routeFileReferences: number;
}

interface Entry {
  file: string;
  outcome: 'ok' | 'not-running';
  expect: { workouts: number; runs: number; perWorkout: PerWorkout[] };
}

const manifest: Entry[] = HAVE_APPLE_FIXTURES
  ? (JSON.parse(fs.readFileSync(path.join(FIXTURES_APPLE, 'manifest.json'), 'utf8')) as Entry[])
  : [];
const setup = importStores();
/** A run's id (the test fails here when the run is missing). */
const idOf = (r: { id: RunId } | undefined): RunId => {
  if (!r) throw new Error('no such run');
  return r.id;
};

/** Holds the runs of an import to the manifest's figures for the runs of one entry. */
function expectRunsOf(e: Entry, report: ImportReport): void {
  const runs = e.expect.perWorkout.filter((w) => w.isRun);
  expect(report.failed).toEqual([]);
  expect(report.imported).toHaveLength(runs.length);
  for (const w of runs) {
    const got = report.imported.find((i) => i.run.startTime === w.startLocal)?.run;
    expect(
      got,
      `${e.file}: a run starting ${w.startLocal} (local time from HKTimeZone)`,
    ).toBeDefined();
    if (!got) continue;
    expect(got.timezone).toBe(w.timezone);
    expect(Math.abs((got.distanceM ?? 0) - (w.distanceM ?? 0))).toBeLessThanOrEqual(
      (w.distanceM ?? 0) * 0.01,
    );
    expect(Math.abs((got.movingTimeS ?? 0) - w.movingOrElapsedS)).toBeLessThanOrEqual(1);
    expect(Math.abs((got.elapsedTimeS ?? 0) - w.elapsedS)).toBeLessThanOrEqual(1);
    if (w.cadence === 'none') expect(got.avgCadenceSpm).toBeNull();
    else
      expect(Math.abs((got.avgCadenceSpm ?? 0) - w.cadence.stepsPerMinMean)).toBeLessThanOrEqual(2);
    if (w.runningStrideLengthAvgM !== null) {
      expect(got.avgStepLengthM).toBeCloseTo(w.runningStrideLengthAvgM, 2);
    }
    expect(got.avgHeartRateBpm).toBe(w.hrAvg === null ? null : Math.round(w.hrAvg));
  }
}

describe.skipIf(!HAVE_APPLE_FIXTURES)(
  `real Apple Health exports in the manifest${SKIP_APPLE_NOTE}`,
  () => {
    for (const e of manifest) {
      it(`${e.file}: ${e.expect.runs} run(s) of ${e.expect.workouts} workout(s), as the manifest says; again: nothing new`, async () => {
        const { opts, store } = setup();
        const file = path.join(FIXTURES_APPLE, e.file);
        const report = await importPaths([file], opts);
        expectRunsOf(e, report);
        const notRuns = e.expect.workouts - e.expect.runs;
        if (e.outcome === 'not-running') {
          expect(report.skipped).toEqual([
            {
              file: expect.stringContaining(e.file),
              reason: expect.stringMatching(/^no running workout in this Apple Health export/),
            },
          ]);
        } else if (notRuns > 0) {
          expect(report.skipped).toEqual([
            {
              file: expect.stringContaining(e.file),
              reason: expect.stringMatching(new RegExp(`^${notRuns} workouts? not a run`)),
            },
          ]);
        }
        for (const i of report.imported)
          expect(store.runs.get(i.run.id)?.source).toBe('apple-health');
        const again = await importPaths([file], opts);
        expect(again.imported).toEqual([]);
        expect(again.failed).toEqual([]);
      });
    }

    it('export.zip: a run with a route gets its 10 s series; the old run whose route is from another day gets none', async () => {
      const { opts, store } = setup();
      const modern = await importPaths([path.join(FIXTURES_APPLE, 'export.zip')], opts);
      for (const i of modern.imported) expect(store.series.has(i.run.id)).toBe(true);
      const old = await importPaths([path.join(FIXTURES_APPLE, 'ios13-export.zip')], opts);
      expect(old.imported).toHaveLength(1);
      expect(store.series.has(idOf(old.imported[0]?.run))).toBe(false);
      expect(old.imported[0]?.run.distanceM).toBeCloseTo(800.1, 0);
    });

    it('a zip of every file imports each as its manifest says', async () => {
      const { opts, dir } = setup();
      const members = Object.fromEntries(
        manifest.map((e) => [
          `apple/${e.file}`,
          fs.readFileSync(path.join(FIXTURES_APPLE, e.file)),
        ]),
      );
      const zip = writeFile(path.join(dir, 'all.zip'), makeZip(members));
      const report = await importPaths([zip], opts);
      const runs = manifest.reduce((n, e) => n + e.expect.runs, 0);
      expect(report.failed).toEqual([]);
      expect(report.imported).toHaveLength(runs);
      for (const e of manifest) {
        const mine = report.imported.filter((i) => i.file.includes(`!apple/${e.file}`));
        expect(mine).toHaveLength(e.expect.runs);
      }
    });
  },
);
