/**
 * `kneecheck import` (the built CLI) reads GPX and TCX files, gzipped or not, as it reads FIT:
 * files written by the test always, and every shared real file against its manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/pipeline.ts';
import { runCli } from '../support/cli.ts';
import {
  FIXTURES_GPX,
  FIXTURES_TCX,
  HAVE_XML_FIXTURES,
  SKIP_XML_FIXTURES_NOTE,
  tempDir,
} from '../support/paths.ts';
import { XML_FIXTURES, expectAsManifest } from '../support/xml-manifest.ts';
import { gpxOf, steadyRun, tcxOf } from '../support/xml-writer.ts';

const env = (dir: string) => ({
  KNEECHECK_DATA_DIR: path.join(dir, 'data'),
  KNEECHECK_NOW: '2026-12-01T12:00:00Z',
});

async function importJson(args: string[], dir: string): Promise<ImportReport> {
  const res = await runCli(['import', ...args, '--json'], env(dir));
  expect(res.stderr).toBe('');
  return JSON.parse(res.stdout) as ImportReport;
}

describe('kneecheck import of GPX and TCX files', () => {
  it('says in its help that it reads FIT, GPX and TCX', async () => {
    const res = await runCli(['import', '--help']);
    expect(res.stdout).toMatch(/FIT, GPX and TCX files/);
  });

  it('imports a GPX, a gzipped TCX and skips a ride, naming each file', async () => {
    const dir = tempDir();
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 7));
    const files = {
      'morning.gpx': gpxOf(steadyRun(day(2), 30, 85)),
      'evening.tcx.gz': zlib.gzipSync(tcxOf(steadyRun(day(3), 40, 170, 3))),
      'ride.tcx': tcxOf({ ...steadyRun(day(4), 60, 90, 8), sport: 'Biking', plainCadence: true }),
    };
    for (const [name, bytes] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), bytes);
    const report = await importJson([dir], dir);
    expect(report.imported.map((i) => [path.basename(i.file), i.run.source])).toEqual([
      ['evening.tcx.gz', 'tcx'],
      ['morning.gpx', 'gpx'],
    ]);
    const [evening, morning] = report.imported.map((i) => i.run);
    expect(morning?.avgCadenceSpm).toBeCloseTo(170, 0);
    expect(evening?.avgCadenceSpm).toBeCloseTo(170, 0);
    expect(evening?.distanceM).toBeCloseTo(7200, -1);
    expect(report.skipped).toEqual([
      { file: path.join(dir, 'ride.tcx'), reason: 'not a run (biking)' },
    ]);
    // The human report lists them as runs like any other.
    const runs = await runCli(['runs'], env(dir));
    expect(runs.stdout).toMatch(/gpx:[0-9a-f]{12}/);
    expect(runs.stdout).toMatch(/tcx:[0-9a-f]{12}/);
  });

  describe.skipIf(!HAVE_XML_FIXTURES)(`every shared real file${SKIP_XML_FIXTURES_NOTE}`, () => {
    it('is imported as its manifest says', async () => {
      const dir = tempDir();
      const report = await importJson([FIXTURES_GPX, FIXTURES_TCX], dir);
      for (const e of XML_FIXTURES) {
        const skipped = report.skipped.find((s) => s.file === e.path);
        const failed = report.failed.find((f) => f.file === e.path);
        expectAsManifest(e, {
          imported: report.imported.filter((i) => i.file === e.path).map((i) => i.run),
          duplicate: report.duplicates.some((d) => d.file === e.path),
          ...(skipped && { skipped: skipped.reason }),
          ...(failed && { failed: failed.error }),
        });
      }
    });
  });
});
