/**
 * The contract every importer keeps (DESIGN §2, §9), run against each importer of the registry:
 * it reads inputs of its own into runs, it says what is wrong with a broken input as a value
 * (`failed` or `skipped`) instead of throwing, and it never reaches the store (nor any other I/O:
 * its caller reads the bytes and stores the runs).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IMPORTERS, importerFor } from '../../importers/registry.ts';
import type { FileInput, ImportOutcome, Importer } from '../../importers/types.ts';
import type { StravaActivity } from '../../importers/strava-api.ts';
import type { IntervalsActivity } from '../../importers/intervals-api.ts';
import { REPO } from '../support/paths.ts';
import { simpleRun } from '../support/synth-fit.ts';

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
