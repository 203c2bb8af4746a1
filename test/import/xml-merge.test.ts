/**
 * The same run as a FIT file (written with the FIT SDK's Encoder) and as a TCX or GPX export is
 * one run with all its sources, and FIT's record wins (DESIGN §3: "FIT samples win"), whichever
 * file comes first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';
import { synthFit } from '../support/synth-fit.ts';
import { gpxOf, tcxOf } from '../support/xml-writer.ts';

const START = new Date('2026-05-04T06:30:00Z');
const ctx = { timezone: 'Europe/Berlin' };
const now = () => '2026-05-10T12:00:00.000Z';

/** The watch's FIT file: 30 min at 2.8 m/s, 168 steps/min, local time written (UTC+2). */
const fit = () =>
  synthFit({
    start: START,
    localOffsetMin: 120,
    sessions: [{ durationS: 1800, speedMps: 2.8, stepRateSpm: 168, gps: true }],
  });
/** The same run exported as TCX (Garmin Connect: Id cut to the minute) or GPX: 2 % shorter, 4 s later. */
const spec = {
  start: new Date(START.getTime() + 4000),
  stretches: [{ durationS: 1796, speedMps: 2.8 * 0.98, cadence: 84 }],
  idToMinute: true,
};

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function setup(files: Record<string, Uint8Array | string>) {
  const dir = tempDir('kneecheck-xml-merge-');
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  const store = Store.open(path.join(dir, 'data'));
  stores.push(store);
  const at = (name: string) => path.join(dir, name);
  return {
    store,
    at,
    run: (...names: string[]) => importPaths(names.map(at), { store, ctx, now }),
  };
}

describe('a run recorded as FIT and exported as TCX or GPX', () => {
  it('is one run when the FIT file comes first: the exports are duplicates of it', async () => {
    const t = setup({ 'a.fit': fit(), 'b.tcx': tcxOf(spec), 'c.gpx': gpxOf(spec) });
    const report = await t.run('a.fit', 'b.tcx', 'c.gpx');
    expect(report.imported.map((i) => i.file)).toEqual([t.at('a.fit')]);
    const id = report.imported[0]?.run.id;
    expect(id).toMatch(/^fit:/);
    expect(report.duplicates).toEqual([
      { file: t.at('b.tcx'), of: id },
      { file: t.at('c.gpx'), of: id },
    ]);
    expect(t.store.runs.count()).toBe(1);
    const run = t.store.runs.list()[0];
    expect(run?.source).toBe('fit');
    expect(run?.sources.map((s) => s.source).sort()).toEqual(['fit', 'gpx', 'tcx']);
    // The watch's own numbers and local time, not the export's.
    expect(run?.startTime).toBe('2026-05-04T08:30:00+02:00');
    expect(run?.distanceM).toBeCloseTo(5040, -1);
  });

  it('is one run when the TCX came first: the FIT file replaces it as the better record', async () => {
    const t = setup({ 'a.tcx': tcxOf(spec), 'b.fit': fit() });
    const first = await t.run('a.tcx');
    const tcxId = first.imported[0]?.run.id;
    expect(tcxId).toMatch(/^tcx:/);
    const second = await t.run('b.fit');
    expect(second.imported.map((i) => i.run.source)).toEqual(['fit']);
    expect(t.store.runs.count()).toBe(1);
    const run = t.store.runs.list()[0];
    expect(run?.source).toBe('fit');
    expect(run?.sources.map((s) => s.source).sort()).toEqual(['fit', 'tcx']);
    expect(run?.startTime).toBe('2026-05-04T08:30:00+02:00');
    // Importing the TCX again finds the run it belongs to.
    const again = await t.run('a.tcx');
    expect(again.duplicates.map((d) => d.of)).toEqual([run?.id]);
  });

  it('stays two runs when the export is another run (an hour later, 20 minutes long)', async () => {
    // Exactly an hour off with the same distance and time would be one run whose export wrote
    // local time as UTC (merge.ts); a different run differs in more than its start.
    const later = {
      start: new Date(START.getTime() + 3600_000),
      stretches: [{ durationS: 1200, speedMps: 2.8, cadence: 84 }],
    };
    const t = setup({ 'a.fit': fit(), 'b.gpx': gpxOf(later) });
    const report = await t.run('a.fit', 'b.gpx');
    expect(report.imported.map((i) => i.run.source)).toEqual(['fit', 'gpx']);
    expect(t.store.runs.count()).toBe(2);
  });
});
