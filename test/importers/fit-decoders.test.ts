import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWithFitFileParser } from '../../importers/fit-fallback.ts';
import { decodeWithSdk } from '../../importers/fit-sdk.ts';
import { FIXTURES_FIT, HAVE_FIXTURES, SKIP_FIXTURES_NOTE } from '../support/paths.ts';

const bytes = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES_FIT, name)));

/**
 * The measurement behind fit-file-parser's role (fallback decoder): records each decoder
 * recovers from the awkward real files.
 */
describe.skipIf(!HAVE_FIXTURES)(
  `the two decoders on broken real files${SKIP_FIXTURES_NOTE}`,
  () => {
    it('fit-file-parser recovers the compressed-timestamp records the SDK stops at', () => {
      const sdk = decodeWithSdk(bytes('compressed-speed-distance.fit')).decoded;
      const fallback = decodeWithFitFileParser(bytes('compressed-speed-distance.fit'));
      expect(sdk.records).toHaveLength(0);
      expect(sdk.errors[0]).toMatch(/compressed timestamp/);
      expect(fallback?.records.length).toBe(755);
      // Its compressed speed/distance are expanded: the last record is near the session distance.
      const last = fallback?.records.findLast((r) => r.distanceM !== null)?.distanceM ?? 0;
      expect(Math.abs(last - 10248.67) / 10248.67).toBeLessThan(0.02);
    });

    it('fit-file-parser rejects truncated files that the SDK reads in part', () => {
      for (const name of [
        'fenix2-run-truncated.fit',
        'activity-unexpected-eof.fit',
        'strava-android-app-201.10-b1218918.fit',
      ]) {
        const sdk = decodeWithSdk(bytes(name)).decoded;
        expect(sdk.records.length, name).toBeGreaterThan(0);
        expect(decodeWithFitFileParser(bytes(name)), name).toBeNull();
      }
    });

    it('both read every record of a file whose only fault is its CRC', () => {
      const sdk = decodeWithSdk(bytes('fr920-badcrc.fit'));
      expect(sdk.intact).toBe(false);
      expect(sdk.decoded.records.length).toBe(
        decodeWithFitFileParser(bytes('fr920-badcrc.fit'))?.records.length,
      );
    });
  },
);
