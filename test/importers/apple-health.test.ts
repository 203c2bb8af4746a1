import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunId } from '../../src/model.ts';
import { RUNS_PER_PASS } from '../../importers/apple-health.ts';
import { importPaths } from '../../src/import/pipeline.ts';
import { importStores, writeFile } from '../support/import-store.ts';
import { makeZip } from '../support/zip.ts';
import {
  PHONE_DEVICE,
  WATCH_DEVICE,
  exportXml,
  routeGpx,
  straightRoute,
  type GenRecord,
  type GenWorkout,
} from '../support/apple-export.ts';

const setup = importStores();
/** A run's id (the test fails here when the run is missing). */
const idOf = (r: { id: RunId } | undefined): RunId => {
  if (!r) throw new Error('no such run');
  return r.id;
};
/** 2025-07-10 07:00 UTC: 09:00 in Paris (CEST), written +0100 by a phone that exported in winter. */
const T = Date.UTC(2025, 6, 10, 7) / 1000;
const HOUR = 3600;

const xml = (s: string) => Buffer.from(s, 'utf8');

/** One export.xml written to `<dir>/export.xml`, imported; returns the report and the store. */
async function importXml(text: string) {
  const { opts, dir, store } = setup();
  const file = writeFile(path.join(dir, 'export.xml'), xml(text));
  const report = await importPaths([file], opts);
  return { report, store, file, opts, dir };
}

const run = (w: Partial<GenWorkout> = {}): GenWorkout => ({
  startS: T,
  endS: T + HOUR,
  distanceKm: 10,
  heartRate: 148.6,
  timeZone: 'Europe/Paris',
  ...w,
});

const steps = (
  from: number,
  minutes: number,
  perMin: number,
  device: string,
  sourceName: string,
): GenRecord[] =>
  Array.from({ length: minutes }, (_, i) => ({
    type: 'HKQuantityTypeIdentifierStepCount',
    startS: from + i * 60,
    endS: from + (i + 1) * 60,
    value: perMin,
    unit: 'count',
    sourceName,
    device,
  }));

describe('Apple Health export.xml', () => {
  it("gives a run its HKTimeZone's local time, not the export day's offset", async () => {
    const { report } = await importXml(exportXml({ offsetMin: 60, workouts: [run()] }));
    expect(report.imported).toHaveLength(1);
    const r = report.imported[0]?.run;
    expect(r?.startTime).toBe('2025-07-10T09:00:00+02:00');
    expect(r?.timezone).toBe('Europe/Paris');
    expect(r?.warnings).not.toContain('no-local-time');
    expect(r?.distanceM).toBe(10_000);
    expect(r?.movingTimeS).toBe(3600);
    expect(r?.avgHeartRateBpm).toBe(149);
    expect(r?.source).toBe('apple-health');
    expect(r?.id).toMatch(/^apple-health:[0-9a-f]{12}$/);
  });

  it("falls back to the runner's zone without HKTimeZone, and says so", async () => {
    const { report } = await importXml(
      exportXml({ offsetMin: 60, workouts: [run({ timeZone: undefined })] }),
    );
    const r = report.imported[0]?.run;
    // The runner's zone in these tests is Berlin: 09:00 there, whatever the +0100 written.
    expect(r?.startTime).toBe('2025-07-10T09:00:00+02:00');
    expect(r?.timezone).toBe('Europe/Berlin');
    expect(r?.warnings).toContain('no-local-time');
  });

  it('takes pauses out of the moving time (Apple: duration is active time; others: elapsed)', async () => {
    const pause = [
      { type: 'HKWorkoutEventTypePause', atS: T + 1200 },
      { type: 'HKWorkoutEventTypeResume', atS: T + 1500 },
    ];
    const apple = run({ durationMin: 55, events: pause });
    // A third-party app that wrote the elapsed time as the duration, with the same pause.
    const other = run({
      startS: T + 86_400,
      endS: T + 86_400 + HOUR,
      durationMin: 60,
      events: [
        { type: 'HKWorkoutEventTypePause', atS: T + 86_400 + 600 },
        { type: 'HKWorkoutEventTypeResume', atS: T + 86_400 + 900 },
      ],
    });
    const { report } = await importXml(exportXml({ workouts: [apple, other] }));
    const [a, b] = report.imported.map((i) => i.run);
    expect(a?.movingTimeS).toBe(3300);
    expect(a?.elapsedTimeS).toBe(3600);
    expect(b?.movingTimeS).toBe(3300);
    expect(b?.avgSpeedMps).toBeCloseTo(10_000 / 3300, 2);
  });

  it("takes the step rate from the watch's step counts, never adding the phone's", async () => {
    const records = [
      ...steps(T, 60, 100, PHONE_DEVICE, 'iPhone'),
      ...steps(T, 60, 166, WATCH_DEVICE, 'Apple Watch de Léa '),
      // The phone alone on the next day's run: its counts are all there is.
      ...steps(T + 86_400, 60, 150, PHONE_DEVICE, 'iPhone'),
    ];
    const { report } = await importXml(
      exportXml({
        records,
        workouts: [run(), run({ startS: T + 86_400, endS: T + 86_400 + HOUR })],
      }),
    );
    const [watch, phone] = report.imported.map((i) => i.run);
    expect(watch?.avgCadenceSpm).toBeCloseTo(166, 0);
    expect(phone?.avgCadenceSpm).toBeCloseTo(150, 0);
  });

  it('gives every run its own samples when there are more runs than one pass over them holds', async () => {
    const n = 2 * RUNS_PER_PASS + 1;
    const day = (i: number) => T + i * 86_400;
    // Each run its own step rate (150 + i % 40), so a sample given to the wrong run shows.
    const records = Array.from({ length: n }, (_, i) =>
      steps(day(i), 5, 150 + (i % 40), WATCH_DEVICE, 'Apple Watch'),
    ).flat();
    const workouts = Array.from({ length: n }, (_, i) =>
      run({ startS: day(i), endS: day(i) + 300, distanceKm: 1 }),
    );
    const { report } = await importXml(exportXml({ records, workouts }));
    expect(report.imported).toHaveLength(n);
    const rates = report.imported.map((r) => r.run.avgCadenceSpm);
    expect(rates).toEqual(Array.from({ length: n }, (_, i) => 150 + (i % 40)));
  });

  it("uses the export's StepCount statistic when written (the manifest's stepsPerMinMean)", async () => {
    const { report } = await importXml(exportXml({ workouts: [run({ steps: 9900 })] }));
    expect(report.imported[0]?.run.avgCadenceSpm).toBeCloseTo(165, 1);
  });

  it('reads RunningStrideLength as one step, from the statistic or the Records', async () => {
    const day2 = T + 86_400;
    const strides: GenRecord[] = [0.95, 1.05].map((m, i) => ({
      type: 'HKQuantityTypeIdentifierRunningStrideLength',
      startS: day2 + 600 + i * 600,
      endS: day2 + 600 + i * 600 + 10,
      value: m,
      unit: 'm',
      sourceName: 'Apple Watch',
      device: WATCH_DEVICE,
    }));
    const { report } = await importXml(
      exportXml({
        records: strides,
        workouts: [run({ strideM: 0.91 }), run({ startS: day2, endS: day2 + HOUR })],
      }),
    );
    // Apple's "stride" is one step: used as the step length as it is, never halved.
    expect(report.imported.map((i) => i.run.avgStepLengthM)).toEqual([0.91, 1]);
  });

  it('counts workouts that are not runs, without listing them one by one', async () => {
    const walk = (d: number): GenWorkout => ({
      type: 'HKWorkoutActivityTypeWalking',
      startS: T + d * 86_400,
      endS: T + d * 86_400 + 1800,
      distanceKm: 2,
    });
    const { report } = await importXml(
      exportXml({
        workouts: [
          walk(1),
          walk(2),
          run(),
          { type: 'HKWorkoutActivityTypeYoga', startS: T + 5 * 86_400, endS: T + 5 * 86_400 + 900 },
        ],
      }),
    );
    expect(report.imported).toHaveLength(1);
    expect(report.skipped).toEqual([
      {
        file: expect.stringMatching(/export\.xml$/),
        reason: '3 workouts not a run (2 walking, 1 yoga)',
      },
    ]);
  });

  it('says why an export without runs imports nothing', async () => {
    const { report } = await importXml(
      exportXml({
        workouts: [{ type: 'HKWorkoutActivityTypeCycling', startS: T, endS: T + HOUR }],
      }),
    );
    expect(report.imported).toEqual([]);
    expect(report.skipped[0]?.reason).toBe(
      'no running workout in this Apple Health export: 1 workout not a run (1 cycling)',
    );
  });

  it('reads an export whose DTD defines nested entities (billion laughs) without expanding them', async () => {
    const lol = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i < 10; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const doctype = `<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n${lol.join('\n')}\n]>\n`;
    const text = exportXml({ doctype, workouts: [run({ sourceName: '&lol9;' })] });
    const t0 = performance.now();
    const { report } = await importXml(text);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(report.failed).toEqual([]);
    expect(report.imported).toHaveLength(1);
    expect(report.imported[0]?.run.distanceM).toBe(10_000);
  });

  it('marks an indoor workout as a treadmill run', async () => {
    const { report } = await importXml(exportXml({ workouts: [run({ indoor: true })] }));
    expect(report.imported[0]?.run.subSport).toBe('treadmill');
  });

  it('reads the older layout: totals as attributes, no statistics', async () => {
    const { report } = await importXml(
      exportXml({ workouts: [run({ totals: true, distanceKm: 5.2, heartRate: undefined })] }),
    );
    const r = report.imported[0]?.run;
    expect(r?.distanceM).toBe(5200);
    expect(r?.avgHeartRateBpm).toBeNull();
  });

  it('without statistics, takes heart rate and the speed series from the Records of the run', async () => {
    const sample = (type: string, t: number, value: number, unit: string): GenRecord => ({
      type: `HKQuantityTypeIdentifier${type}`,
      startS: t,
      endS: t,
      value,
      unit,
      sourceName: 'Apple Watch',
      device: WATCH_DEVICE,
    });
    const records: GenRecord[] = [];
    for (let t = T; t < T + HOUR; t += 10) {
      records.push(sample('HeartRate', t, t < T + 1800 ? 140 : 160, 'count/min'));
      records.push(sample('RunningSpeed', t, 10.08, 'km/hr'));
    }
    // Before and after the run: not its heart rate.
    records.push(sample('HeartRate', T - 600, 60, 'count/min'));
    records.push(sample('HeartRate', T + HOUR + 600, 60, 'count/min'));
    const { report, store } = await importXml(
      exportXml({ records, workouts: [run({ totals: true, heartRate: undefined })] }),
    );
    const r = report.imported[0]?.run;
    expect(r?.avgHeartRateBpm).toBe(150);
    const series = store.series.get(idOf(r));
    expect(series?.speedMps[10]).toBeCloseTo(2.8, 2);
    expect(series?.heartRateBpm[200]).toBe(160);
  });

  it('keeps the runs of an export cut short and says the rest could not be read', async () => {
    const whole = exportXml({
      workouts: [run(), run({ startS: T + 86_400, endS: T + 86_400 + HOUR })],
    });
    const cut = whole.slice(0, whole.lastIndexOf('<Workout ') + 200);
    const { report } = await importXml(cut);
    expect(report.failed).toEqual([]);
    expect(report.imported.map((i) => i.run.startTime)).toEqual(['2025-07-10T09:00:00+02:00']);
    expect(report.skipped).toEqual([
      {
        file: expect.stringMatching(/export\.xml$/),
        reason: expect.stringMatching(
          /^export\.xml is damaged \(.+\): runs recorded after that point could not be read/,
        ),
      },
    ]);
  });

  it('fails a bare export.xml that is not an export, naming what it is', async () => {
    const { report } = await importXml('<?xml version="1.0"?><gpx><trk/></gpx>');
    expect(report.failed).toEqual([
      {
        file: expect.stringMatching(/export\.xml$/),
        error: expect.stringMatching(/not an Apple Health export: its root element is <gpx>/),
      },
    ]);
  });
});

/** An export with one run with a route and watch step counts, as the Health app zips it. */
function exportFiles() {
  const route = straightRoute(T, HOUR, 2.8);
  const records = steps(T, 60, 168, WATCH_DEVICE, 'Apple Watch');
  const text = exportXml({
    records,
    workouts: [
      run({ distanceKm: 10.08, routes: ['route_2025-07-10_10.00am.gpx'] }),
      // A route from another day (as in old exports): not this run's.
      run({
        startS: T + 86_400,
        endS: T + 86_400 + HOUR,
        distanceKm: undefined,
        routes: ['route_2025-07-10_10.00am.gpx'],
      }),
    ],
  });
  return {
    'apple_health_export/export.xml': xml(text),
    'apple_health_export/export_cda.xml': xml('<ClinicalDocument/>'),
    'apple_health_export/workout-routes/route_2025-07-10_10.00am.gpx': xml(routeGpx(route)),
  };
}

describe('Apple Health export entry points', () => {
  it('imports export.zip, the unzipped folder and a bare export.xml as the same runs; again: nothing new', async () => {
    const { opts, dir, store } = setup();
    const files = exportFiles();
    const zip = writeFile(path.join(dir, 'export.zip'), makeZip(files));
    for (const [name, bytes] of Object.entries(files))
      writeFile(path.join(dir, 'unzipped', name), bytes);

    const first = await importPaths([zip], opts);
    expect(first.failed).toEqual([]);
    // The route files are the export's, not GPX files of their own.
    expect(first.skipped).toEqual([]);
    expect(first.imported.map((i) => i.file)).toEqual([
      `${zip}!apple_health_export/export.xml`,
      `${zip}!apple_health_export/export.xml`,
    ]);
    const [withRoute, otherDay] = first.imported.map((i) => i.run);
    expect(withRoute?.avgCadenceSpm).toBeCloseTo(168, 0);
    expect(store.series.has(idOf(withRoute))).toBe(true);
    expect(store.runs.hasForm(idOf(withRoute))).toBe(true);
    // The form summary pairs the route's speed with the watch's step rate at each second.
    const form = store.runs.getForm(idOf(withRoute));
    expect(form?.firstFifthCadenceSpm).toBeCloseTo(168, 0);
    expect(form?.lastFifthSpeedMps).toBeCloseTo(2.8, 1);
    expect(form?.speedBins.map((b) => b.fromMps)).toEqual([2.75]);
    // The other day's run has no distance of its own: the wrong day's route lends it none.
    expect(otherDay?.distanceM).toBeNull();
    expect(store.series.has(idOf(otherDay))).toBe(false);

    const again = await importPaths([zip], opts);
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toHaveLength(1);
    const folder = await importPaths([path.join(dir, 'unzipped')], opts);
    expect(folder.imported).toEqual([]);
    expect(folder.skipped).toEqual([]);
    expect(folder.duplicates.map((d) => d.file)).toEqual([
      path.join(dir, 'unzipped/apple_health_export/export.xml'),
    ]);
    const bare = await importPaths(
      [path.join(dir, 'unzipped/apple_health_export/export.xml')],
      opts,
    );
    expect(bare.imported).toEqual([]);
    expect(bare.duplicates).toHaveLength(1);
    expect(store.runs.count()).toBe(2);
    expect(store.runs.get(idOf(withRoute))?.source).toBe('apple-health');
  });

  it('the unzipped folder alone reads its routes from workout-routes/', async () => {
    const { opts, dir, store } = setup();
    for (const [name, bytes] of Object.entries(exportFiles()))
      writeFile(path.join(dir, name), bytes);
    const report = await importPaths([path.join(dir, 'apple_health_export')], opts);
    expect(report.imported).toHaveLength(2);
    expect(store.series.has(idOf(report.imported[0]?.run))).toBe(true);
  });

  it("a later export adds only the runs that are new, whatever the export day's offset", async () => {
    const { opts, dir } = setup();
    const older = writeFile(path.join(dir, 'a/export.xml'), xml(exportXml({ workouts: [run()] })));
    // Exported in summer: every date written +0200 now; the same instants.
    const later = exportXml({
      offsetMin: 120,
      workouts: [run(), run({ startS: T + 86_400, endS: T + 86_400 + HOUR })],
    });
    const newer = writeFile(path.join(dir, 'b/export.xml'), xml(later));
    expect((await importPaths([older], opts)).imported).toHaveLength(1);
    const second = await importPaths([newer], opts);
    expect(second.imported.map((i) => i.run.startTime)).toEqual(['2025-07-11T09:00:00+02:00']);
  });

  it('reports the bytes of export.xml as they stream, up to its size', async () => {
    const { opts, dir } = setup();
    const text = exportXml({
      records: steps(T, 3000, 160, WATCH_DEVICE, 'Apple Watch'),
      workouts: [run()],
    });
    const file = writeFile(path.join(dir, 'export.xml'), xml(text));
    const seen: [number, number | null][] = [];
    await importPaths([file], { ...opts, onBytes: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([Buffer.byteLength(text), Buffer.byteLength(text)]);
    expect(seen.every(([d], i) => i === 0 || d > (seen[i - 1]?.[0] ?? 0))).toBe(true);
  });

  it('leaves an XML file that is not an export in a folder as skipped, with why', async () => {
    const { opts, dir } = setup();
    writeFile(path.join(dir, 'in/notes.xml'), xml('<notes>run slower</notes>'));
    const report = await importPaths([path.join(dir, 'in')], opts);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual([
      {
        file: path.join(dir, 'in/notes.xml'),
        reason: 'not an Apple Health export (its root element is <notes>)',
      },
    ]);
  });
});
