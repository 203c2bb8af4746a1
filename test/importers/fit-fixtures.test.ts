import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths, type ImportReport } from '../../src/import/pipeline.ts';
import { Store } from '../../src/store/index.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE, tempDir } from '../support/paths.ts';

interface ManifestSession {
  startTime: string;
  totalDistanceM: number;
  avgCadence: number | null;
  avgFractionalCadence: number | null;
}
interface ManifestEntry {
  file: string;
  container?: string;
  pathInContainer?: string;
  expect: string;
  duplicateOf?: string;
  device?: string;
  runningSessions?: ManifestSession[];
}

const manifest: ManifestEntry[] = HAVE_FIXTURES
  ? (JSON.parse(
      fs.readFileSync(path.join(FIXTURES_FIT, 'manifest.json'), 'utf8'),
    ) as ManifestEntry[])
  : [];
const shown = (e: ManifestEntry) =>
  e.container
    ? `${path.join(FIXTURES_FIT, e.container)}!${e.pathInContainer}`
    : path.join(FIXTURES_FIT, e.file);

async function importFixtures(store: Store): Promise<ImportReport> {
  return importPaths([FIXTURES_FIT], {
    store,
    ctx: { timezone: 'Europe/Berlin' },
    now: () => '2026-11-25T12:00:00.000Z',
    workers: 2,
  });
}

describe.skipIf(!HAVE_FIXTURES)(`real device files in the manifest${SKIP_FIXTURES_NOTE}`, () => {
  let store: Store;
  let first: ImportReport;
  let second: ImportReport;
  beforeAll(async () => {
    store = Store.open(tempDir());
    first = await importFixtures(store);
    second = await importFixtures(store);
  });
  afterAll(() => store.close());

  const outcomeOf = (report: ImportReport, file: string) => ({
    imported: report.imported.filter((i) => i.file === file),
    duplicate: report.duplicates.find((d) => d.file === file),
    skipped: report.skipped.find((s) => s.file === file),
    failed: report.failed.find((f) => f.file === file),
  });

  it('reports every manifest file exactly once', () => {
    for (const e of manifest) {
      const o = outcomeOf(first, shown(e));
      const hits =
        (o.imported.length > 0 ? 1 : 0) +
        (o.duplicate ? 1 : 0) +
        (o.skipped ? 1 : 0) +
        (o.failed ? 1 : 0);
      expect(hits, e.file).toBe(1);
    }
  });

  for (const e of manifest) {
    it(`${e.file} is handled as "${e.expect}"`, () => {
      const o = outcomeOf(first, shown(e));
      switch (e.expect) {
        case 'ok': {
          expect(o.imported.length, `${e.file} should be imported`).toBe(e.runningSessions?.length);
          for (const [i, s] of (e.runningSessions ?? []).entries()) {
            const run = o.imported[i]?.run;
            expect(run, e.file).toBeDefined();
            if (!run) continue;
            expect(run.partial).toBe(false);
            expect(Date.parse(run.startTime)).toBe(Date.parse(s.startTime));
            expect(run.distanceM).not.toBeNull();
            expect(
              Math.abs((run.distanceM ?? 0) - s.totalDistanceM) / s.totalDistanceM,
            ).toBeLessThanOrEqual(0.005);
            if (s.avgCadence !== null) {
              const spm = 2 * (s.avgCadence + (s.avgFractionalCadence ?? 0));
              expect(
                Math.abs((run.avgCadenceSpm ?? -1) - spm),
                `${e.file} step rate`,
              ).toBeLessThanOrEqual(0.5);
            }
            if (e.device && e.device !== '0 0') expect(run.device).toBe(e.device);
          }
          break;
        }
        case 'ok-or-partial': {
          expect(o.imported.length).toBe(1);
          const s = e.runningSessions?.[0];
          if (s)
            expect(Date.parse(o.imported[0]?.run.startTime ?? '')).toBe(Date.parse(s.startTime));
          break;
        }
        case 'partial':
          // Imported and flagged, or recognised as part of a run already imported.
          if (o.imported.length > 0) expect(o.imported.every((i) => i.run.partial)).toBe(true);
          else expect(o.duplicate, `${e.file} should be partial or a duplicate`).toBeDefined();
          break;
        case 'duplicate': {
          const original = manifest.find((m) => m.file === e.duplicateOf);
          expect(original).toBeDefined();
          const originalRun = original
            ? outcomeOf(first, shown(original)).imported[0]?.run
            : undefined;
          expect(o.duplicate?.of, `${e.file} should be a duplicate of ${e.duplicateOf}`).toBe(
            originalRun?.id,
          );
          break;
        }
        case 'not-running':
          expect(o.skipped?.reason).toMatch(/not a run/);
          break;
        case 'not-activity':
          expect(o.skipped?.reason).toMatch(/not an activity file/);
          break;
        case 'unsupported':
          // Written when kneecheck read only FIT: the member is a GPX of one point, which the GPX
          // importer reads and skips (a single point in time records no run).
          expect(o.skipped?.reason).toMatch(/^nothing recorded: 1 track point/);
          break;
        case 'corrupt':
          // Failed with the reason, or its readable part kept (flagged partial, or found to be a
          // duplicate of a run already stored).
          if (o.failed) expect(o.failed.error.length).toBeGreaterThan(0);
          else if (o.imported.length > 0) expect(o.imported.every((i) => i.run.partial)).toBe(true);
          else expect(o.duplicate).toBeDefined();
          break;
        case 'empty':
          expect(o.failed?.error).toMatch(/empty/);
          break;
        case 'not-fit':
          expect(o.failed?.error).toMatch(/not a FIT file/);
          break;
        default:
          throw new Error(`unknown expectation ${e.expect} in the manifest`);
      }
    });
  }

  it('stores each run once: importing the folder again only finds duplicates', () => {
    expect(second.imported).toEqual([]);
    const firstRunFiles = first.imported.length + first.duplicates.length;
    expect(second.duplicates.length).toBe(firstRunFiles);
    expect(second.failed.map((f) => f.file)).toEqual(first.failed.map((f) => f.file));
    expect(store.runs.count()).toBe(first.imported.length);
  });

  it('keeps the better record when the same run comes from two files', () => {
    const saved = outcomeOf(first, path.join(FIXTURES_FIT, '3386684871-saved.fit')).duplicate;
    const run = store.runs.get(saved?.of ?? ('' as never));
    expect(run?.device).toBe('garmin vivoActiveHr');
    expect(run?.sources).toHaveLength(2);
  });
});
