import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { scheduledIntervalsSync, syncIntervals } from '../../src/intervals/sync.ts';
import { FakeIntervals, runsOf, type FakeActivitySpec } from '../support/fake-intervals.ts';
import { fileBytes } from '../support/fake-intervals-data.ts';
import { tempDir } from '../support/paths.ts';
import { captureLogger } from '../strava/helpers.ts';
import { stravaRun } from '../../importers/strava.ts';
import { connect, makeDeps } from './helpers.ts';

let fake: FakeIntervals | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const budget = (n: number) => n + Math.ceil(n / 100);

const spec = (over: Partial<FakeActivitySpec> & { id: string; start: Date }): FakeActivitySpec => ({
  offsetMin: 60,
  type: 'Run',
  distanceM: 5000,
  speedMps: 2.8,
  stepRateSpm: 164,
  source: 'GARMIN_CONNECT',
  file: 'fit',
  ...over,
});

describe('intervals.icu sync', () => {
  it('imports every running activity of a year once, within one call per activity plus one per 100 listed, each run from its file (gzipped or plain) or its summary', async () => {
    fake = await FakeIntervals.year(365);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const before = fake.log.length;
    const r = await syncIntervals(deps);
    const specs = [...fake.activities.values()];
    const runs = runsOf(specs);
    expect(r.complete).toBe(true);
    expect(r.imported).toBe(runs.length);
    expect(r.apiCalls).toBe(fake.log.length - before);
    expect(r.apiCalls).toBeLessThanOrEqual(budget(specs.length));
    // Every request carried the key.
    expect(fake.log.slice(before).every((q) => q.authorized)).toBe(true);
    // One file request per run that has a file; none for stubs, rides, walks or manual runs.
    const fileIds = fake.calls('file').map((q) => q.path.split('/')[4]);
    expect(fileIds.sort()).toEqual(
      runs
        .filter((s) => s.source !== 'MANUAL')
        .map((s) => encodeURIComponent(s.id))
        .sort(),
    );
    for (const s of runs) {
      const id = deps.store.runs.runIdOfSource({ source: 'intervals', sourceId: s.id });
      expect(id, s.id).toBe(`intervals:${s.id}`);
      const run = id ? deps.store.runs.get(id) : null;
      expect(Math.abs((run?.distanceM ?? 0) - s.distanceM), s.id).toBeLessThanOrEqual(
        0.01 * s.distanceM,
      );
      // From the file: step rate samples make a form summary; from a summary, none.
      expect(deps.store.runs.hasForm(id as never), s.id).toBe(s.file !== 'none');
    }
    const gz = runs.find((s) => s.file === 'fit-gz');
    const plain = runs.find((s) => s.file === 'fit');
    expect(gz && plain).toBeTruthy();
    expect(r.stravaStubs).toBe(specs.filter((s) => s.source === 'STRAVA').length);
    deps.store.close();
  });

  it('a second sync makes no new run and costs one list request; Strava stubs are not reported again', async () => {
    fake = await FakeIntervals.year(120);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    await syncIntervals(deps);
    const n = fake.log.length;
    const again = await syncIntervals(deps);
    expect(again).toMatchObject({ imported: 0, merged: 0, updated: 0, deleted: 0, stravaStubs: 0 });
    expect(again.skipped).toEqual([]);
    expect(fake.log.length - n).toBe(1);
    expect(fake.log.slice(n).every((q) => q.path.endsWith('/activities'))).toBe(true);
    expect(deps.notified.flat().length).toBeGreaterThan(0);
    deps.store.close();
  });

  it('retries a 429 (waiting its Retry-After) and a 500, and still imports everything once', async () => {
    fake = await FakeIntervals.year(40);
    const deps = makeDeps(fake);
    const slept: number[] = [];
    deps.sleep = (ms) => {
      slept.push(ms);
      return Promise.resolve();
    };
    await connect(deps, fake);
    fake.failNext(429, /\/activities$/, '3');
    fake.failNext(500, /\/file$/);
    const r = await syncIntervals(deps);
    expect(r.complete).toBe(true);
    expect(r.imported).toBe(runsOf([...fake.activities.values()]).length);
    expect(fake.log.filter((q) => q.status === 429)).toHaveLength(1);
    expect(fake.log.filter((q) => q.status === 500)).toHaveLength(1);
    expect(slept).toContain(3000);
    deps.store.close();
  });

  it('a sync stopped mid-history resumes where it stopped, never fetching a file twice', async () => {
    fake = await FakeIntervals.year(90);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    // Pages of 20: the third list request fails on every retry.
    let lists = 0;
    const realFetch = globalThis.fetch;
    deps.fetch = (input, init) => {
      const u = new URL(String(input));
      if (u.pathname.endsWith('/activities') && ++lists >= 3 && lists <= 7) {
        return Promise.resolve(new Response('{"status":503}', { status: 503 }));
      }
      return realFetch(input, init);
    };
    const first = await syncIntervals(deps, { limit: 20 });
    expect(first.complete).toBe(false);
    expect(first.stopped?.reason).toMatch(/HTTP 503/);
    expect(first.imported).toBeGreaterThan(10);
    const second = await syncIntervals(deps, { limit: 20 });
    expect(second.complete).toBe(true);
    const runs = runsOf([...fake.activities.values()]);
    expect(first.imported + second.imported).toBe(runs.length);
    const files = fake.calls('file').map((q) => q.path);
    expect(new Set(files).size).toBe(files.length);
    deps.store.close();
  });

  it('an activity deleted upstream loses only its intervals.icu source; a run with no source left is deleted', async () => {
    const now = Date.now();
    const shared = spec({ id: 'i7001', start: new Date(now - 3 * 86_400_000) });
    const only = spec({ id: 'i7002', start: new Date(now - 2 * 86_400_000), file: 'fit-gz' });
    fake = await FakeIntervals.start({ activities: [shared, only] });
    const deps = makeDeps(fake);
    // The same run's FIT file was dropped into the inbox first.
    const dir = tempDir();
    const file = path.join(dir, 'watch.fit');
    fs.writeFileSync(file, fileBytes(shared));
    const report = await importPaths([file], {
      store: deps.store,
      ctx: { timezone: 'Europe/Berlin' },
      now: () => new Date().toISOString(),
    });
    expect(report.imported).toHaveLength(1);
    await connect(deps, fake);
    const r = await syncIntervals(deps);
    expect(r).toMatchObject({ imported: 1, merged: 1 });
    const sharedId = report.imported[0]?.run.id ?? '';
    expect(
      deps.store.runs
        .get(sharedId as never)
        ?.sources.map((s) => s.source)
        .sort(),
    ).toEqual(['fit', 'intervals']);
    // Same bytes again through the inbox: the same run, not a new one.
    const gz = path.join(dir, 'again.fit');
    fs.writeFileSync(gz, gunzipSync(fileBytes(only)));
    const again = await importPaths([gz], {
      store: deps.store,
      ctx: { timezone: 'Europe/Berlin' },
      now: () => new Date().toISOString(),
    });
    expect(again.duplicates.map((d) => d.of)).toEqual(['intervals:i7002']);

    fake.activities.delete('i7001');
    fake.activities.delete('i7002');
    const after = await syncIntervals(deps);
    expect(after.deleted).toBe(1);
    expect(deps.store.runs.get('intervals:i7002' as never)).toBeNull();
    const kept = deps.store.runs.get(sharedId as never);
    expect(kept?.sources.map((s) => s.source)).toEqual(['fit']);
    deps.store.close();
  });

  it('an edited summary updates a run made from it; a run turned into a ride loses its source', async () => {
    const now = Date.now();
    const manual = spec({
      id: 'i8001',
      start: new Date(now - 86_400_000),
      source: 'MANUAL',
      file: 'none',
    });
    const recorded = spec({ id: 'i8002', start: new Date(now - 2 * 86_400_000) });
    fake = await FakeIntervals.start({ activities: [manual, recorded] });
    const deps = makeDeps(fake);
    await connect(deps, fake);
    expect((await syncIntervals(deps)).imported).toBe(2);
    fake.activities.set('i8001', { ...manual, distanceM: 6000 });
    fake.activities.set('i8002', { ...recorded, type: 'Ride' });
    const r = await syncIntervals(deps);
    expect(r).toMatchObject({ updated: 1, deleted: 1 });
    expect(r.skipped).toEqual([{ activityId: 'i8002', reason: 'not a run (Ride)' }]);
    expect(deps.store.runs.get('intervals:i8001' as never)?.distanceM).toBe(6000);
    expect(deps.store.runs.get('intervals:i8002' as never)).toBeNull();
    // No file was fetched for the edit.
    expect(fake.calls('file')).toHaveLength(1);
    deps.store.close();
  });

  it('the scheduled sync logs one line per sync (stubs as a count, never the key); null when not connected', async () => {
    fake = await FakeIntervals.year(60);
    const lines: string[] = [];
    const deps = makeDeps(fake, { log: captureLogger(lines) });
    expect(await scheduledIntervalsSync(deps)).toBeNull();
    await connect(deps, fake);
    const r = await scheduledIntervalsSync(deps);
    expect(r?.complete).toBe(true);
    const stubs = [...fake.activities.values()].filter((s) => s.source === 'STRAVA');
    const text = lines.join('');
    for (const s of stubs) expect(text).not.toContain(s.id);
    expect(text).not.toContain(fake.apiKey);
    const summary = lines.filter((l) => l.includes('intervals.icu sync'));
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0] ?? '{}')).toMatchObject({ stravaStubs: stubs.length });
    deps.store.close();
  });
});

describe('intervals.icu sync stopped from outside', () => {
  it('a daemon stopping mid-sync (abort) keeps what was stored; the next sync goes on from there', async () => {
    fake = await FakeIntervals.year(60);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const stop = new AbortController();
    const realFetch = globalThis.fetch;
    let files = 0;
    deps.signal = stop.signal;
    deps.fetch = (input, init) => {
      if (String(input).endsWith('/file') && ++files === 8) stop.abort();
      return realFetch(input, init);
    };
    const first = await syncIntervals(deps, { limit: 20 });
    expect(first.complete).toBe(false);
    expect(first.stopped?.reason).toMatch(/shutting down/);
    expect(first.imported).toBeGreaterThanOrEqual(7);
    delete deps.signal;
    const second = await syncIntervals(deps, { limit: 20 });
    expect(second.complete).toBe(true);
    expect(first.imported + second.imported).toBe(runsOf([...fake.activities.values()]).length);
    deps.store.close();
  });
});

describe('intervals.icu answers that are not as published', () => {
  it('a list item that does not fit is failed with its keys named; the others import and nothing is taken for deleted', async () => {
    fake = await FakeIntervals.year(20);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    expect((await syncIntervals(deps)).failed).toEqual([]);
    const victim = runsOf([...fake.activities.values()])[0]?.id ?? '';
    const realFetch = globalThis.fetch;
    deps.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      if (!String(input).includes('/activities?')) return res;
      const items = (await res.json()) as { id: string; distance?: unknown }[];
      for (const i of items) if (i.id === victim) i.distance = 'far';
      return new Response(JSON.stringify(items), { status: 200 });
    };
    const r = await syncIntervals(deps);
    expect(r.failed).toEqual([
      { activityId: victim, error: expect.stringMatching(/distance/) as string },
    ]);
    expect(r.deleted).toBe(0);
    expect(deps.store.runs.runIdOfSource({ source: 'intervals', sourceId: victim })).not.toBeNull();
    deps.store.close();
  });
});

describe('intervals.icu sync --since', () => {
  it('a first sync from a date imports only what is newer; a later --since further back adds the older runs', async () => {
    fake = await FakeIntervals.year(100);
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const specs = [...fake.activities.values()];
    const day = (d: Date) => new Date(d.getTime() + 3600_000).toISOString().slice(0, 10);
    const since = day(new Date(Date.now() - 40 * 86_400_000));
    const localDay = (s: FakeActivitySpec) => day(s.start);
    const recent = runsOf(specs).filter((s) => localDay(s) >= since);
    const first = await syncIntervals(deps, { since });
    expect(first.imported).toBe(recent.length);
    expect(first.imported).toBeLessThan(runsOf(specs).length);
    const older = await syncIntervals(deps, {
      since: day(new Date(Date.now() - 400 * 86_400_000)),
    });
    expect(older.imported).toBe(runsOf(specs).length - recent.length);
    expect(older.deleted).toBe(0);
    deps.store.close();
  });
});

describe('intervals.icu list order', () => {
  it('a list answered oldest first (not as documented) still imports every run once', async () => {
    fake = await FakeIntervals.year(90);
    fake.listOrder = 'asc';
    const deps = makeDeps(fake);
    await connect(deps, fake);
    const r = await syncIntervals(deps, { limit: 20 });
    expect(r.complete).toBe(true);
    expect(r.imported).toBe(runsOf([...fake.activities.values()]).length);
    expect(r.deleted).toBe(0);
    deps.store.close();
  });
});

describe('intervals.icu and Strava', () => {
  it('the same run from Strava and from intervals.icu is one run with both sources', async () => {
    const start = new Date(Date.now() - 5 * 86_400_000);
    const run = spec({ id: 'i7501', start, distanceM: 7000 });
    fake = await FakeIntervals.start({ activities: [run] });
    const deps = makeDeps(fake);
    const local = new Date(start.getTime() + 3600_000).toISOString().slice(0, 19);
    const fromStrava = stravaRun(
      {
        id: 16204455999,
        type: 'Run',
        sport_type: 'Run',
        distance: 7040,
        moving_time: 2500,
        elapsed_time: 2520,
        start_date: `${start.toISOString().slice(0, 19)}Z`,
        start_date_local: `${local}Z`,
        timezone: '(GMT+01:00) Europe/Berlin',
      },
      { timezone: 'Europe/Berlin' },
    );
    const now = new Date().toISOString();
    expect(
      deps.store.saveRun({ run: fromStrava, form: null, series: null }, null, now).status,
    ).toBe('imported');
    await connect(deps, fake);
    const r = await syncIntervals(deps);
    expect(r).toMatchObject({ imported: 0, merged: 1 });
    const id = deps.store.runs.runIdOfSource({ source: 'intervals', sourceId: 'i7501' });
    const stored = id ? deps.store.runs.get(id) : null;
    expect(stored?.sources.map((s) => s.source).sort()).toEqual(['intervals', 'strava']);
    expect(deps.store.runs.runIdOfSource({ source: 'strava', sourceId: '16204455999' })).toBe(id);
    deps.store.close();
  });
});
