import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaths, type ImportReport } from '../../src/import/pipeline.ts';
import {
  EARLIEST_START,
  FUTURE_TOLERANCE_MS,
  MAX_SPEED_MPS,
  MAX_STEP_LENGTH_M,
  MAX_STEP_RATE_SPM,
  MIN_STEP_RATE_SPM,
  NO_LOCAL_TIME_TOLERANCE_MS,
  PLAUSIBLE_RANGES,
} from '../../src/load/plausible.ts';
import type { FormSummary, Run } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { mutateFit, seeded } from '../support/fit-mutate.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE, tempDir } from '../support/paths.ts';

/** Running fixtures that import cleanly, the small ones more often (the test stays quick). */
const ORIGINALS: [file: string, weight: number][] = [
  ['garmin-fenix-5-run.fit', 8],
  ['compressed-speed-distance.fit', 8],
  ['2013-02-06-12-11-14.fit', 5],
  ['3386684871.fit', 2],
  ['strava-android-app-201.10-b1218918.fit', 2],
  ['activity-small-fenix2-run.fit', 1],
  ['Garmin920_withFirstbeat.fit', 1],
];
const MUTANTS = 300;
const SEED = 20261130;
const NOW = '2026-11-25T12:00:00.000Z';

const stores: Store[] = [];
afterAll(() => {
  for (const s of stores) s.close();
});
const open = (): Store => {
  const s = Store.open(tempDir('kneecheck-fuzz-'));
  stores.push(s);
  return s;
};

const opts = (s: Store) => ({ store: s, ctx: { timezone: 'Europe/Berlin' }, now: () => NOW });

/** The values of a stored run that science.md calls impossible, as "field=value" strings. */
function impossible(run: Run, form: FormSummary | null): string[] {
  const bad: string[] = [];
  for (const [key, [min, max]] of Object.entries(PLAUSIBLE_RANGES)) {
    const v = run[key as keyof typeof PLAUSIBLE_RANGES];
    if (v !== null && !(Number.isFinite(v) && v >= min && v <= max)) bad.push(`${key}=${v}`);
  }
  const time = run.movingTimeS ?? run.elapsedTimeS;
  if (run.distanceM !== null && time && run.distanceM / time > MAX_SPEED_MPS) {
    bad.push(`distanceM/time=${run.distanceM / time}`);
  }
  const start = Date.parse(run.startTime);
  const latest =
    Date.parse(NOW) +
    FUTURE_TOLERANCE_MS +
    (run.warnings.includes('no-local-time') ? NO_LOCAL_TIME_TOLERANCE_MS : 0);
  if (run.excluded === null && !(start >= EARLIEST_START && start <= latest)) {
    bad.push(`startTime=${run.startTime} (not excluded)`);
  }
  if (form) {
    const rate = (v: number | null) =>
      v === null || (v >= MIN_STEP_RATE_SPM && v <= MAX_STEP_RATE_SPM);
    const speed = (v: number | null) => v === null || (v >= 0 && v <= MAX_SPEED_MPS);
    for (const b of form.speedBins) {
      if (!rate(b.avgCadenceSpm) || !speed(b.avgSpeedMps)) bad.push(`bin=${JSON.stringify(b)}`);
    }
    if (!rate(form.firstFifthCadenceSpm) || !rate(form.lastFifthCadenceSpm)) {
      bad.push(`fifths=${form.firstFifthCadenceSpm},${form.lastFifthCadenceSpm}`);
    }
    if (!speed(form.firstFifthSpeedMps) || !speed(form.lastFifthSpeedMps)) {
      bad.push(`fifth speeds=${form.firstFifthSpeedMps},${form.lastFifthSpeedMps}`);
    }
    const step = form.deviceStepLengthM;
    if (step !== null && !(step > 0 && step <= MAX_STEP_LENGTH_M)) bad.push(`deviceStep=${step}`);
  }
  return bad;
}

/** The mutants, written to a fresh folder (the same ones on every run: the PRNG is seeded). */
function writeMutants(): string[] {
  const rand = seeded(SEED);
  const pool = ORIGINALS.flatMap(([name, weight]) => Array<string>(weight).fill(name));
  const bytes = new Map(
    ORIGINALS.map(([name]) => [name, fs.readFileSync(path.join(FIXTURES_FIT, name))]),
  );
  const dir = tempDir('kneecheck-fuzz-mutants-');
  const files: string[] = [];
  for (let i = 0; i < MUTANTS; i++) {
    const name = pool[Math.floor(rand() * pool.length)] as string;
    const file = path.join(dir, `${String(i).padStart(3, '0')}-${name}`);
    fs.writeFileSync(file, mutateFit(bytes.get(name) as Buffer, rand));
    files.push(file);
  }
  return files;
}

const filesOf = (r: ImportReport): string[] => [
  ...new Set([...r.imported, ...r.duplicates, ...r.skipped, ...r.failed].map((e) => e.file)),
];

const counts = (r: ImportReport): string =>
  `imported ${r.imported.length}, duplicates ${r.duplicates.length}, ` +
  `skipped ${r.skipped.length}, failed ${r.failed.length}`;

describe.skipIf(!HAVE_FIXTURES)(
  `fuzz: ${MUTANTS} valid-CRC mutants of the shared fixtures${SKIP_FIXTURES_NOTE}`,
  () => {
    const files = HAVE_FIXTURES ? writeMutants() : [];

    it('reports every mutant and stores no impossible value', async () => {
      // One store per mutant: in one store, the mutants of one file are merged into the first.
      const runs: Run[] = [];
      const faults: { file: string; bad: string[] }[] = [];
      const total: ImportReport = { imported: [], duplicates: [], skipped: [], failed: [] };
      const dataDir = tempDir('kneecheck-fuzz-each-');
      for (const [i, file] of files.entries()) {
        const s = Store.open(path.join(dataDir, String(i)));
        try {
          const report = await importPaths([file], opts(s));
          expect(filesOf(report)).toEqual([file]);
          for (const key of ['imported', 'duplicates', 'skipped', 'failed'] as const) {
            (total[key] as unknown[]).push(...report[key]);
          }
          const stored = s.runs.list();
          const forms = s.runs.forms(stored.map((r) => r.id));
          for (const r of stored) {
            runs.push(r);
            const bad = impossible(r, forms.get(r.id) ?? null);
            if (bad.length > 0) faults.push({ file: path.basename(file), bad });
          }
        } finally {
          s.close();
        }
      }
      expect(faults).toEqual([]);
      const warned = runs.filter((r) => r.warnings.some((w) => w.startsWith('implausible-')));
      const halved = runs.filter((r) => r.warnings.includes('cadence-halved'));
      const excluded = runs.filter((r) => r.excluded !== null);
      console.info(
        `fuzz, one store per mutant: ${counts(total)}; ${runs.length} runs stored, ` +
          `${warned.length} with an implausible-* warning, ${halved.length} halved, ` +
          `${excluded.length} excluded`,
      );
    }, 60_000);

    it('never replaces an honest run', async () => {
      const s = open();
      const honestDir = tempDir('kneecheck-fuzz-honest-');
      for (const [name] of ORIGINALS) {
        fs.copyFileSync(path.join(FIXTURES_FIT, name), path.join(honestDir, name));
      }
      const honest = await importPaths([honestDir], opts(s));
      expect(honest.failed).toEqual([]);
      const report = await importPaths(files, opts(s));
      expect(filesOf(report).sort()).toEqual(files);
      for (const { run } of honest.imported) {
        const now = s.runs.get(run.id);
        expect(now, `honest run ${run.id} is still stored under its id`).not.toBeNull();
        expect({ ...now, sources: [] }).toEqual({ ...run, sources: [] });
      }
      console.info(`fuzz, honest runs stored first: ${counts(report)}`);
    }, 60_000);
  },
);
