/**
 * The contract every importer keeps (DESIGN §2, §9), run against each importer of the registry:
 * it reads inputs of its own into runs, it says what is wrong with a broken input as a value
 * (`failed` or `skipped`) instead of throwing, and it never reaches the store (nor any other I/O:
 * its caller reads the bytes and stores the runs). The names file importers claim are the only
 * list of file kinds: the CLI's collector, the zip reader and the inbox hand each claimed name to
 * its importer and read no other; a stored run of every source kind reads back.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FILE_CLAIMS, claimantOf, claims, type FileImporterName } from '../../importers/names.ts';
import { IMPORTERS, importerFor } from '../../importers/registry.ts';
import type { FileInput, ImportOutcome, Importer } from '../../importers/types.ts';
import type { StravaActivity } from '../../importers/strava-api.ts';
import type { IntervalsActivity } from '../../importers/intervals-api.ts';
import { startWatcher } from '../../src/daemon/watch/watcher.ts';
import { importPaths, type ImportReport } from '../../src/import/pipeline.ts';
import { silentLogger } from '../../src/log.ts';
import type { ImportedRun, Run, RunId } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { SOURCE_KINDS } from '../../src/store/run-rows.ts';
import { ManualClock } from '../support/clock.ts';
import { REPO, tempDir } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';
import { gpxOf, steadyRun, tcxOf } from '../support/xml-writer.ts';
import { makeZip } from '../support/zip.ts';

type Name = keyof typeof IMPORTERS;
type InputOf<I> = I extends Importer<infer X> ? X : never;

/** How one importer is held to the contract. */
interface Case<Input> {
  /** File names it must claim (importers fed by files), in any letter case. */
  names: string[];
  /** Inputs of its own: each is read into at least one run. */
  own: { what: string; input: Input }[];
  /** Broken inputs: each is answered with `failed` or `skipped`, never an exception. */
  broken: { what: string; input: Input }[];
  /** Damaged inputs that still hold something: answered with a value (runs when usable), never an exception. */
  damaged: { what: string; input: Input }[];
}

const file = (bytes: Uint8Array): FileInput => ({
  bytes,
  sha256: createHash('sha256').update(bytes).digest('hex'),
});
const fitBytes = simpleRun(new Date('2026-03-02T07:00:00Z'), { km: 5 });
const text = (t: string) => file(new TextEncoder().encode(t));
const gpxText = gpxOf(steadyRun(new Date('2026-03-02T07:00:00Z'), 30, 85));
const tcxText = tcxOf(steadyRun(new Date('2026-03-02T07:00:00Z'), 30, 85));

const ACTIVITY: StravaActivity = {
  id: 16204455123,
  name: 'Morning Run',
  type: 'Run',
  sport_type: 'Run',
  distance: 5012.4,
  moving_time: 1922,
  elapsed_time: 2010,
  start_date: '2025-10-21T05:31:07Z',
  start_date_local: '2025-10-21T07:31:07Z',
  timezone: '(GMT+01:00) Europe/Berlin',
  utc_offset: 7200,
  trainer: false,
  manual: false,
};

const INTERVALS_ACTIVITY: IntervalsActivity = {
  id: 'i98765432',
  type: 'Run',
  distance: 5012.4,
  moving_time: 1922,
  elapsed_time: 2010,
  start_date: '2025-10-21T05:31:07Z',
  start_date_local: '2025-10-21T07:31:07',
  timezone: 'Europe/Berlin',
  source: 'GARMIN_CONNECT',
};

/** Every importer of the registry needs a case here (the type says so). */
const CASES: { [K in Name]: Case<InputOf<(typeof IMPORTERS)[K]>> } = {
  fit: {
    names: ['morning.fit', 'MORNING.FIT', 'watch/2026-03-02.fit.gz'],
    own: [{ what: 'a FIT file of one run', input: file(fitBytes) }],
    broken: [
      { what: 'no bytes at all', input: file(new Uint8Array()) },
      { what: 'text that is not FIT', input: file(new TextEncoder().encode('<gpx></gpx>')) },
      { what: 'gzip bytes handed in undecompressed', input: file(gzipSync(fitBytes)) },
      { what: 'a FIT header with a body of zeros', input: file(fitZeros()) },
    ],
    damaged: [
      { what: 'a FIT file cut in half', input: file(fitBytes.slice(0, fitBytes.length >> 1)) },
    ],
  },
  gpx: {
    names: ['morning.gpx', 'Afternoon_Run.GPX', 'activities/123.gpx.gz'],
    own: [{ what: 'a GPX file of one run', input: text(gpxText) }],
    broken: [
      { what: 'no bytes at all', input: file(new Uint8Array()) },
      { what: 'FIT bytes named .gpx', input: file(fitBytes) },
      { what: 'a TCX file named .gpx', input: text(tcxText) },
      { what: 'gzip bytes handed in undecompressed', input: file(gzipSync(gpxText)) },
      { what: 'a route without times', input: text(gpxText.replace(/<time>[^<]*<\/time>/g, '')) },
    ],
    damaged: [
      { what: 'a GPX file cut in half', input: text(gpxText.slice(0, gpxText.length >> 1)) },
    ],
  },
  tcx: {
    names: ['morning.tcx', 'RUN.TCX', 'activities/123.tcx.gz'],
    own: [{ what: 'a TCX file of one run', input: text(tcxText) }],
    broken: [
      { what: 'no bytes at all', input: file(new Uint8Array()) },
      { what: 'FIT bytes named .tcx', input: file(fitBytes) },
      { what: 'a GPX file named .tcx', input: text(gpxText) },
      { what: 'gzip bytes handed in undecompressed', input: file(gzipSync(tcxText)) },
      { what: 'a ride', input: text(tcxText.replace('Sport="Running"', 'Sport="Biking"')) },
    ],
    damaged: [
      { what: 'a TCX file cut in half', input: text(tcxText.slice(0, tcxText.length >> 1)) },
    ],
  },
  strava: {
    names: [],
    own: [{ what: 'a run from the activity list', input: { activity: ACTIVITY, streams: null } }],
    broken: [
      {
        what: 'an activity without a valid start date',
        input: { activity: { ...ACTIVITY, start_date: 'yesterday' }, streams: null },
      },
      {
        what: 'a ride',
        input: { activity: { ...ACTIVITY, type: 'Ride', sport_type: 'Ride' }, streams: null },
      },
    ],
    damaged: [
      {
        what: 'a run without distance or times',
        input: {
          activity: { id: 1, start_date: '2025-10-21T05:31:07Z', type: 'Run' },
          streams: null,
        },
      },
    ],
  },
  intervals: {
    names: [],
    own: [{ what: 'a run from the activity list', input: { activity: INTERVALS_ACTIVITY } }],
    broken: [
      {
        what: 'a Strava stub',
        input: {
          activity: {
            id: '16204455123',
            start_date_local: '2025-10-21T07:31:07',
            source: 'STRAVA',
            _note: 'STRAVA activities are not available via the API',
          },
        },
      },
      {
        what: 'an activity without a valid start date',
        input: { activity: { ...INTERVALS_ACTIVITY, start_date: 'yesterday' } },
      },
      { what: 'a ride', input: { activity: { ...INTERVALS_ACTIVITY, type: 'Ride' } } },
    ],
    damaged: [
      {
        what: 'a run without distance or times',
        input: { activity: { id: 'i1', start_date: '2025-10-21T05:31:07Z', type: 'Run' } },
      },
    ],
  },
};

/** The first 14 bytes of a real FIT file (its header), then zeros. */
function fitZeros(): Uint8Array {
  const out = new Uint8Array(200);
  out.set(fitBytes.slice(0, 14));
  return out;
}

const ctx = { timezone: 'Europe/Berlin' };

/** Reads, turning an exception into a failed test that names it. */
function readSafely<I>(importer: Importer<I>, input: I): ImportOutcome {
  try {
    return importer.read(input, ctx);
  } catch (e) {
    throw new Error(`${importer.name} threw instead of returning a value: ${String(e)}`, {
      cause: e,
    });
  }
}

/** Relative and package imports of a source file (static and dynamic). */
function importsOf(source: string): string[] {
  const found = source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g);
  return [...found].map((m) => m[1] ?? '');
}

/** Every file an importer's module reaches through relative imports, itself included. */
function reachedFrom(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (f: string): void => {
    if (seen.has(f)) return;
    const specs = importsOf(fs.readFileSync(f, 'utf8'));
    seen.set(f, specs);
    for (const s of specs) if (s.startsWith('.')) visit(path.resolve(path.dirname(f), s));
  };
  visit(entry);
  return seen;
}

/** What an importer must never import: the store, the database driver, files, the network. */
const FORBIDDEN = [
  /(^|\/)src\/store\//,
  /^better-sqlite3$/,
  /^(node:)?(fs|fs\/promises|http|https|net|dgram|child_process)$/,
];

describe.each(Object.keys(CASES) as Name[])('the %s importer', (name) => {
  const importer = IMPORTERS[name] as Importer<unknown>;
  const c = CASES[name] as Case<unknown>;

  it('is listed in the registry under its own name', () => {
    expect(importer.name).toBe(name);
  });

  it('claims its own file names, and only an importer fed by files claims any', () => {
    if (importer.feed.kind === 'api') expect(c.names).toEqual([]);
    else expect(c.names.length).toBeGreaterThan(0);
    for (const n of c.names) expect(importerFor(n)).toBe(importer);
    for (const other of Object.values(CASES)) {
      if (other === c) continue;
      for (const n of other.names) expect(importerFor(n)).not.toBe(importer);
    }
  });

  it('reads inputs of its own into runs from its own source', () => {
    for (const { what, input } of c.own) {
      const out = readSafely(importer, input);
      expect(out.kind, what).toBe('runs');
      if (out.kind !== 'runs') continue;
      expect(out.runs.length, what).toBeGreaterThan(0);
      for (const r of out.runs) expect(r.run.source, what).toBe(name);
    }
  });

  it('answers broken input with a value saying what is wrong, never an exception', () => {
    for (const { what, input } of c.broken) {
      const out = readSafely(importer, input);
      expect(['failed', 'skipped'], what).toContain(out.kind);
      const said = out.kind === 'failed' ? out.error : out.kind === 'skipped' ? out.reason : '';
      expect(said.length, what).toBeGreaterThan(0);
    }
  });

  it('answers damaged input with a value too, never an exception', () => {
    for (const { what, input } of c.damaged) {
      const out = readSafely(importer, input);
      expect(['runs', 'failed', 'skipped'], what).toContain(out.kind);
    }
  });

  it('never reaches the store, the database or any I/O of its own', () => {
    const entry = path.join(REPO, 'importers', `${name}.ts`);
    for (const [f, specs] of reachedFrom(entry)) {
      for (const s of specs) {
        const target = s.startsWith('.')
          ? path.relative(REPO, path.resolve(path.dirname(f), s))
          : s;
        for (const rule of FORBIDDEN) {
          expect(rule.test(target), `${path.relative(REPO, f)} imports ${s}`).toBe(false);
        }
      }
    }
  });
});

/** Bytes of one run of each file format, starting at `start` (each name its own run). */
const MAKE: { [K in FileImporterName]: (start: Date) => Uint8Array } = {
  fit: (start) => simpleRun(start, { km: 3 }),
  gpx: (start) => new TextEncoder().encode(gpxOf(steadyRun(start, 20, 85))),
  tcx: (start) => new TextEncoder().encode(tcxOf(steadyRun(start, 20, 85))),
};

/** Every name some importer claims, with its importer and a run's bytes to go under that name. */
const CLAIMED = (Object.keys(FILE_CLAIMS) as FileImporterName[]).flatMap((kind, k) =>
  CASES[kind].names.map((name, i) => {
    const raw = MAKE[kind](new Date(Date.UTC(2026, 0, 1 + k * 10 + i, 7)));
    return { kind, name, bytes: name.endsWith('.gz') ? gzipSync(raw) : raw };
  }),
);
/** Names no importer claims: never read from a folder, an archive or the inbox. */
const UNCLAIMED = ['notes.txt', 'route.kml', 'activity.json', 'run.fit.bak'];

const now = () => '2026-12-01T12:00:00.000Z';
const sourcesOf = (report: ImportReport) =>
  new Map(report.imported.map((i) => [i.file, i.run.source]));

describe('the registry', () => {
  it('lists each file importer under the names it claims, and nothing else decides a file kind', () => {
    const fed = Object.values(IMPORTERS).filter((i) => i.feed.kind === 'files');
    expect(fed.map((i) => i.name).sort()).toEqual(Object.keys(FILE_CLAIMS).sort());
    for (const i of fed) {
      expect(i.feed).toEqual({ kind: 'files', names: FILE_CLAIMS[i.name as FileImporterName] });
    }
    for (const { kind, name } of CLAIMED) {
      expect(claimantOf(name), name).toBe(kind);
      expect(claims(`${name}`.toUpperCase()), name).toBe(true);
    }
    for (const name of UNCLAIMED) {
      expect(importerFor(name), name).toBeNull();
      expect(claims(name), name).toBe(false);
    }
  });
});

describe('every path hands every claimed name to its importer', () => {
  const store = () => Store.open(tempDir('kneecheck-contract-'));

  it('the CLI collector (a folder, recursively)', async () => {
    const dir = tempDir();
    for (const { name, bytes } of [
      ...CLAIMED,
      ...UNCLAIMED.map((name) => ({ name, bytes: MAKE.gpx(new Date()) })),
    ]) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), bytes);
    }
    const s = store();
    const report = await importPaths([dir], { store: s, ctx, now });
    s.close();
    expect(sourcesOf(report)).toEqual(
      new Map(CLAIMED.map((c) => [path.join(dir, c.name), c.kind])),
    );
    expect([...report.skipped, ...report.failed, ...report.duplicates]).toEqual([]);
  });

  it('a file named explicitly that no importer claims: read as FIT when it is one, else said so', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'ACTIVITY.BIN'), MAKE.fit(new Date(Date.UTC(2025, 5, 1, 7))));
    fs.writeFileSync(path.join(dir, 'route.kml'), MAKE.gpx(new Date(Date.UTC(2025, 5, 2, 7))));
    const s = store();
    const report = await importPaths(
      [path.join(dir, 'ACTIVITY.BIN'), path.join(dir, 'route.kml')],
      {
        store: s,
        ctx,
        now,
      },
    );
    s.close();
    expect(report.imported.map((i) => i.run.source)).toEqual(['fit']);
    expect(report.failed).toEqual([
      {
        file: path.join(dir, 'route.kml'),
        error: expect.stringMatching(/^not a FIT file.*; kneecheck reads FIT, GPX and TCX files/),
      },
    ]);
  });

  it('the zip reader (members of an export)', async () => {
    const zip = path.join(tempDir(), 'export.zip');
    const members = Object.fromEntries(CLAIMED.map((c) => [`export/${c.name}`, c.bytes]));
    for (const name of UNCLAIMED) members[`export/${name}`] = MAKE.gpx(new Date());
    fs.writeFileSync(zip, makeZip(members));
    const s = store();
    const report = await importPaths([zip], { store: s, ctx, now });
    s.close();
    expect(sourcesOf(report)).toEqual(
      new Map(CLAIMED.map((c) => [`${zip}!export/${c.name}`, c.kind])),
    );
    expect([...report.skipped, ...report.failed, ...report.duplicates]).toEqual([]);
  });

  it('the inbox watcher (files dropped in, subfolders too; other names left where they are)', async () => {
    const inbox = path.join(tempDir('kneecheck-contract-inbox-'), 'inbox');
    for (const { name, bytes } of [
      ...CLAIMED,
      ...UNCLAIMED.map((name) => ({ name, bytes: MAKE.gpx(new Date()) })),
    ]) {
      fs.mkdirSync(path.dirname(path.join(inbox, name)), { recursive: true });
      fs.writeFileSync(path.join(inbox, name), bytes);
    }
    const s = store();
    const reports: ImportReport[] = [];
    const clock = new ManualClock();
    const w = await startWatcher({
      inbox,
      store: s,
      timezone: ctx.timezone,
      logger: silentLogger,
      clock,
      onImported: (r) => {
        reports.push(r);
      },
    });
    const working = () => w.importing;
    await clock.runUntil(
      'the claimed files moved',
      () => CLAIMED.every((c) => !fs.existsSync(path.join(inbox, c.name))),
      working,
    );
    await clock.runUntil('the watcher idle', () => !w.busy, working);
    await w.close();
    s.close();
    const all: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
    for (const r of reports)
      for (const k of ['imported', 'duplicates', 'skipped', 'failed'] as const)
        all[k].push(...(r[k] as never[]));
    expect(sourcesOf(all)).toEqual(new Map(CLAIMED.map((c) => [path.join(inbox, c.name), c.kind])));
    for (const c of CLAIMED)
      expect(fs.existsSync(path.join(inbox, 'processed', c.name)), c.name).toBe(true);
    for (const name of UNCLAIMED) expect(fs.existsSync(path.join(inbox, name)), name).toBe(true);
  });
});

describe('the store', () => {
  it('reads back a stored run of every source kind, with its form summary and series', () => {
    const dir = tempDir('kneecheck-contract-store-');
    const base = importerFor('x.gpx')?.read(text(gpxText), ctx);
    if (base?.kind !== 'runs' || !base.runs[0]) throw new Error('no GPX run to store');
    const given = base.runs[0];
    const saved = SOURCE_KINDS.map((source, k) => {
      const start = Date.parse(given.run.startTime) / 1000 + k * 86_400;
      const sourceId = `${source}-source-${k}`;
      const run: Run = {
        ...given.run,
        id: `${source}:${String(k).repeat(12)}` as RunId,
        source,
        sourceId,
        sources: [{ source, sourceId }],
        startTime: new Date(start * 1000).toISOString().replace('.000Z', '+00:00'),
        timezone: 'UTC',
      };
      return { run, form: given.form, series: given.series } satisfies ImportedRun;
    });
    const s = Store.open(dir);
    for (const r of saved) expect(s.saveRun(r, null, now()).status, r.run.source).toBe('imported');
    s.close();
    const again = Store.open(dir);
    try {
      for (const { run } of saved) {
        const back = again.runs.get(run.id);
        expect(back, run.source).toEqual({ ...run, warnings: back?.warnings });
        expect(again.runs.runIdOfSource(run), run.source).toBe(run.id);
        expect(again.runs.getForm(run.id), run.source).not.toBeNull();
        expect(again.series.get(run.id)?.stepS, run.source).toBe(10);
      }
    } finally {
      again.close();
    }
  });
});
