import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/import/pipeline.ts';
import { writeBigExport } from '../support/apple-export.ts';
import { REPO, tempDir } from '../support/paths.ts';
import { makeZip } from '../support/zip.ts';

const MB = 1024 * 1024;

describe('a large Apple Health export', () => {
  it('streams an 80 MB export.xml (bare and zipped) in one pass with a peak RSS below 180 MB, every run found', async () => {
    const dir = tempDir('kneecheck-apple-big-');
    const file = path.join(dir, 'apple_health_export/export.xml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const made = await writeBigExport(file, 80 * MB);
    try {
      // The Health app's zip of it too: the member is streamed out of the archive, not read whole.
      const zip = path.join(dir, 'export.zip');
      fs.writeFileSync(zip, makeZip({ 'apple_health_export/export.xml': fs.readFileSync(file) }));
      for (const input of [file, zip]) {
        // A child process, so that its peak memory is the import's alone.
        const out = execFileSync(
          process.execPath,
          [path.join(REPO, 'test/support/import-child.ts'), tempDir(), input],
          { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * MB },
        );
        const { report, peakRssMb } = JSON.parse(out) as {
          report: ImportReport;
          peakRssMb: number;
        };
        expect(report.failed).toEqual([]);
        expect(report.imported).toHaveLength(made.runs);
        // Phone counts run all day beside the watch's: only the watch's make the step rate.
        for (const i of report.imported) {
          expect(i.run.avgCadenceSpm).toBeCloseTo(made.watchStepRateSpm, 0);
        }
        console.info(
          `Apple Health ${path.basename(input)} (${Math.round(made.bytes / MB)} MB of XML, ${made.runs} runs): peak RSS ${peakRssMb} MB`,
        );
        // The bound is for a 2 GB export (bench/apple-health.ts): memory must not grow with the file.
        expect(peakRssMb).toBeLessThan(180);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
