import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import gpx from '../../importers/gpx.ts';
import { MAX_TRACK_POINTS } from '../../importers/track.ts';
import type { ImportOutcome } from '../../importers/types.ts';
import type { ImportedRun } from '../../src/model.ts';
import { gpxOf, steadyRun, type XmlRunSpec } from '../support/xml-writer.ts';

const ctx = { timezone: 'Europe/Berlin' };
const START = new Date('2026-03-02T07:00:00Z');

function read(text: string | Uint8Array): ImportOutcome {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return gpx.read({ bytes, sha256: createHash('sha256').update(bytes).digest('hex') }, ctx);
}

function runsOf(text: string | Uint8Array): ImportedRun[] {
  const o = read(text);
  if (o.kind !== 'runs') throw new Error(`expected runs, got ${JSON.stringify(o)}`);
  return o.runs;
}

const one = (spec: XmlRunSpec | string | Uint8Array): ImportedRun => {
  const runs = runsOf(typeof spec === 'string' || spec instanceof Uint8Array ? spec : gpxOf(spec));
  expect(runs).toHaveLength(1);
  return runs[0] as ImportedRun;
};

describe('the GPX importer', () => {
  it('reads a run: start, distance, times, heart rate, a form summary and a 10 s series', () => {
    const { run, form, series } = one(steadyRun(START, 30, 85, 2.8));
    expect(run.source).toBe('gpx');
    expect(run.id).toMatch(/^gpx:[0-9a-f]{12}$/);
    // The instant as written; the local offset from the runner's zone, flagged as assumed.
    expect(Date.parse(run.startTime)).toBe(START.getTime());
    expect(run.startTime).toBe('2026-03-02T08:00:00+01:00');
    expect(run.timezone).toBe('Europe/Berlin');
    expect(run.warnings).toContain('no-local-time');
    expect(run.distanceM).toBeCloseTo(2.8 * 1800, 0);
    expect(run.elapsedTimeS).toBe(1800);
    expect(run.movingTimeS).toBe(1800);
    expect(run.avgSpeedMps).toBeCloseTo(2.8, 2);
    expect(run.avgHeartRateBpm).toBe(140);
    expect(run.device).toBe('Garmin Connect');
    expect(form?.speedBins.length).toBeGreaterThan(0);
    expect(series?.stepS).toBe(10);
    expect(series?.speedMps[50]).toBeCloseTo(2.8, 1);
    expect(series?.stepRateSpm[50]).toBeCloseTo(170, 0);
  });

  it('doubles one leg\u2019s strides (85) and keeps full steps (170): both are 170 steps/min', () => {
    expect(one(steadyRun(START, 20, 85)).run.avgCadenceSpm).toBeCloseTo(170, 1);
    expect(one(steadyRun(START, 20, 170)).run.avgCadenceSpm).toBeCloseTo(170, 1);
    // A beginner's walk/run (Garmin writes 61 strides): 122 steps/min, not 61.
    expect(one(steadyRun(START, 20, 61)).run.avgCadenceSpm).toBeCloseTo(122, 1);
  });

  it('says so when there is no cadence, and when the cadence cannot be a step rate', () => {
    const none = one(steadyRun(START, 20, null)).run;
    expect(none.avgCadenceSpm).toBeNull();
    expect(none.warnings).toContain('no-cadence');
    const odd = one(steadyRun(START, 20, 30)).run;
    expect(odd.avgCadenceSpm).toBeNull();
    expect(odd.warnings).toContain('implausible-step-rate');
  });

  it('takes segments as pauses: moving time leaves the gap out, distance never jumps across it', () => {
    const spec: XmlRunSpec = {
      start: START,
      stretches: [
        { durationS: 600, speedMps: 3, cadence: 85 },
        { durationS: 600, speedMps: 3, cadence: 85, pauseBeforeS: 300 },
      ],
    };
    // Move the second segment 1 km east: a straight line across the pause would add it.
    const text = gpxOf(spec).replace(/<trkseg>(?![\s\S]*<trkseg>)([\s\S]*?)<\/trkseg>/, (seg) =>
      seg.replace(/lon="13\.4000000"/g, 'lon="13.4147000"'),
    );
    const { run } = one(text);
    expect(run.movingTimeS).toBe(1200);
    expect(run.elapsedTimeS).toBe(1500);
    expect(run.distanceM).toBeCloseTo(3600, 0);
  });

  it('leaves a long stop inside a segment (auto-pause) out of the moving time, not sparse points', () => {
    const lines = gpxOf(steadyRun(START, 20, 85)).split('\n');
    let point = -1;
    // No point written from 600 s to 900 s: the watch paused itself for 5 minutes.
    const paused = lines.filter((l) => !l.includes('<trkpt') || ++point <= 600 || point >= 900);
    const { run } = one(paused.join('\n'));
    expect(run.elapsedTimeS).toBe(1200);
    expect(run.movingTimeS).toBe(900);
    const sparse = one({ ...steadyRun(START, 20, 85), stepS: 30 }).run;
    expect(sparse.movingTimeS).toBe(1200);
  });

  it('reads both sibling <extensions> of a point, a BOM, and spaces before the declaration', () => {
    const two = one({ ...steadyRun(START, 10, 80), twoExtensions: true }).run;
    expect(two.avgCadenceSpm).toBeCloseTo(160, 1);
    expect(two.avgHeartRateBpm).toBe(140);
    const text = gpxOf(steadyRun(START, 10, 80));
    expect(one(`\uFEFF${text}`).run.avgCadenceSpm).toBeCloseTo(160, 1);
    expect(one(`   \n  ${text}`).run.distanceM).toBeCloseTo(2.8 * 600, 0);
  });

  it('reads UTF-16 (by its byte-order mark) and a declared ISO-8859-1, and keeps an unknown entity as written', () => {
    const text = gpxOf({ ...steadyRun(START, 10, 85), device: 'Gerät' });
    const utf16 = Buffer.from(`\uFEFF${text.replace('UTF-8', 'UTF-16')}`, 'utf16le');
    expect(one(new Uint8Array(utf16)).run.device).toBe('Gerät');
    const latin1 = Buffer.from(text.replace('UTF-8', 'ISO-8859-1'), 'latin1');
    expect(latin1.includes(Buffer.from('Gerät', 'utf8'))).toBe(false);
    expect(one(new Uint8Array(latin1)).run.device).toBe('Gerät');
    const nbsp = one(text.replace('Test run', 'Run&nbsp;5k')).run;
    expect(nbsp.distanceM).toBeCloseTo(1680, 0);
  });

  it('keeps a local offset written in the file, without the assumed-zone warning', () => {
    const text = gpxOf(steadyRun(START, 10, 85)).replace(
      /<time>2026-03-02T(\d\d):(\d\d):(\d\d)Z<\/time>/g,
      (_, h: string, m: string, s: string) =>
        `<time>2026-03-02T${String(Number(h) + 2).padStart(2, '0')}:${m}:${s}+02:00</time>`,
    );
    const { run } = one(text);
    expect(Date.parse(run.startTime)).toBe(START.getTime());
    expect(run.startTime).toBe('2026-03-02T09:00:00+02:00');
    expect(run.warnings).not.toContain('no-local-time');
  });

  it('skips rides and walks as not a run, routes without times, and files naming no sport', () => {
    const ride = read(gpxOf({ ...steadyRun(START, 10, 80, 8), sport: 'cycling' }));
    expect(ride).toEqual({ kind: 'skipped', reason: 'not a run (cycling)' });
    const walk = read(gpxOf({ ...steadyRun(START, 10, 55, 1.3), sport: '10' }));
    expect(walk).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^not a run/) });
    const route = read(gpxOf({ ...steadyRun(START, 10, null), noTimes: true }));
    expect(route).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/route without times/),
    });
    const unnamed = gpxOf(steadyRun(START, 10, 85))
      .replace(/<type>[^<]*<\/type>/, '')
      .replace('Test run', 'Tag 1');
    expect(read(unnamed)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/^sport unknown/),
    });
    // Strava writes no type for some exports; "Afternoon Run" says it.
    const strava = gpxOf(steadyRun(START, 10, 85))
      .replace(/<type>[^<]*<\/type>/, '')
      .replace('Test run', 'Afternoon Run');
    expect(one(strava).run.distanceM).toBeCloseTo(1680, 0);
  });

  it('takes the kind of run from the sport word: trail, treadmill, virtual', () => {
    const kind = (sport: string) => one({ ...steadyRun(START, 10, 85), sport }).run.subSport;
    expect(kind('trail_running')).toBe('trail');
    expect(kind('treadmill_running')).toBe('treadmill');
    expect(kind('VirtualRun')).toBe('virtual');
    expect(kind('running')).toBeNull();
  });

  it('makes tracks on different days separate runs, never one two-day run', () => {
    const day1 = gpxOf(steadyRun(START, 10, 85));
    const day2 = gpxOf(steadyRun(new Date(START.getTime() + 86_400_000), 20, 85));
    const trk = (t: string) => /<trk>[\s\S]*<\/trk>/.exec(t)?.[0] ?? '';
    const both = day1.replace(trk(day1), `${trk(day1)}\n${trk(day2)}`);
    const runs = runsOf(both);
    expect(runs.map((r) => r.run.elapsedTimeS)).toEqual([600, 1200]);
    expect(runs[1]?.run.id).toBe(`${runs[0]?.run.id}-2`);
    expect(runs[1]?.run.sourceId).toMatch(/^[0-9a-f]{64}-2$/);
  });

  it('imports the readable part of a cut file, flagged partial', () => {
    const text = gpxOf(steadyRun(START, 30, 85));
    const { run } = one(text.slice(0, text.length >> 1));
    expect(run.partial).toBe(true);
    expect(run.warnings).toContain('truncated');
    expect(run.elapsedTimeS).toBeGreaterThan(600);
    expect(run.elapsedTimeS).toBeLessThan(1800);
  });

  it('fails bytes that are not GPX, naming the problem, and never throws', () => {
    expect(read('')).toEqual({ kind: 'failed', error: 'empty file (0 bytes)' });
    expect(read('<TrainingCenterDatabase/>')).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/not a GPX file.*<TrainingCenterDatabase>/),
    });
    expect(read('<gpx><trk><trkseg><trkpt lat="1" lon=2></trkpt>')).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^damaged GPX file: not well-formed XML at line 1, column \d+/),
    });
    expect(
      read(new Uint8Array([0x0e, 0x10, 0xd9, 0x07, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54])),
    ).toMatchObject({ kind: 'failed' });
  });

  it('never expands a DTD entity: a billion laughs is refused at once', () => {
    const lol = [
      '<!ENTITY lol0 "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`),
    ].join('');
    const bomb = gpxOf(steadyRun(START, 5, 85))
      .replace('<gpx ', `<!DOCTYPE gpx [${lol}]>\n<gpx `)
      .replace('Test run', '&lol9;');
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    expect(read(bomb)).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^refused: the file declares XML entities/),
    });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    // An external entity is not fetched either: nothing but the text as written.
    const xxe = gpxOf(steadyRun(START, 5, 85)).replace(
      '<gpx ',
      '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<gpx ',
    );
    expect(read(xxe)).toMatchObject({ kind: 'failed', error: expect.stringMatching(/^refused/) });
  });

  it(`refuses a file of more than ${MAX_TRACK_POINTS.toLocaleString('en')} points`, () => {
    const pt = '<trkpt lat="1" lon="1"/>';
    const text = `<gpx><trk><trkseg>${pt.repeat(MAX_TRACK_POINTS + 1)}</trkseg></trk></gpx>`;
    expect(read(text)).toMatchObject({
      kind: 'failed',
      error: expect.stringMatching(/^refused: more than/),
    });
  });
});
