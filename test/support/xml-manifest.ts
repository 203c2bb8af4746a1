import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Run } from '../../src/model.ts';
import { FIXTURES_GPX, FIXTURES_TCX, HAVE_XML_FIXTURES } from './paths.ts';

/** One file of ../shared/fixtures/{gpx,tcx}/manifest.json (the fields the tests hold runs to). */
export interface XmlManifestEntry {
  file: string;
  outcome: 'ok' | 'not-activity' | 'not-running' | 'sport-unknown' | 'corrupt';
  expect: {
    start: string | null;
    distanceM: number | null;
    movingOrElapsedS: number | null;
    cadence: 'none' | string | { stepsPerMinTimeWeighted: number | null };
    hr: boolean;
  };
}

/** A manifest entry with its format and the absolute path of its file. */
export interface XmlFixture extends XmlManifestEntry {
  kind: 'gpx' | 'tcx';
  path: string;
}

const load = (dir: string, kind: 'gpx' | 'tcx'): XmlFixture[] =>
  (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as XmlManifestEntry[]).map(
    (e) => ({ ...e, kind, path: path.join(dir, e.file) }),
  );

/** Every GPX and TCX fixture; none when the shared folders are absent. */
export const XML_FIXTURES: XmlFixture[] = HAVE_XML_FIXTURES
  ? [...load(FIXTURES_GPX, 'gpx'), ...load(FIXTURES_TCX, 'tcx')]
  : [];

/** What one path (CLI, zip, inbox) made of one file. */
export interface FileOutcome {
  imported: Run[];
  duplicate: boolean;
  skipped?: string;
  failed?: string;
}

/**
 * Holds what was made of a fixture to its manifest (issue 22's acceptance): a run with its start
 * to the second, distance within 1 %, duration within 1 s (GPX: elapsed, TCX: timer time), step
 * rate within 2 steps/min of the time-weighted one, heart rate as present; "not a run", routes,
 * unknown sports skipped with their reason; a corrupt file failed with a message, or its readable
 * part kept flagged partial (or found to be a prefix of a run already stored).
 */
export function expectAsManifest(e: XmlFixture, o: FileOutcome): void {
  const what = `${e.kind}/${e.file}`;
  const x = e.expect;
  switch (e.outcome) {
    case 'ok': {
      expect(o.failed, what).toBeUndefined();
      expect(o.skipped, what).toBeUndefined();
      expect(o.imported, what).toHaveLength(1);
      const run = o.imported[0] as Run;
      expect(run.source, what).toBe(e.kind);
      expect(
        Math.abs(Date.parse(run.startTime) - Math.floor(Date.parse(x.start ?? '') / 1000) * 1000),
        `${what} start ${run.startTime} vs ${x.start}`,
      ).toBeLessThan(1000);
      expect(
        Math.abs((run.distanceM ?? NaN) - (x.distanceM ?? NaN)),
        `${what} distance ${run.distanceM} vs ${x.distanceM}`,
      ).toBeLessThanOrEqual(0.01 * (x.distanceM ?? 0));
      const duration = e.kind === 'gpx' ? run.elapsedTimeS : run.movingTimeS;
      expect(
        Math.abs((duration ?? NaN) - (x.movingOrElapsedS ?? NaN)),
        `${what} duration ${duration} vs ${x.movingOrElapsedS}`,
      ).toBeLessThanOrEqual(1);
      if (typeof x.cadence === 'object' && x.cadence.stepsPerMinTimeWeighted !== null) {
        expect(
          Math.abs((run.avgCadenceSpm ?? NaN) - x.cadence.stepsPerMinTimeWeighted),
          `${what} step rate ${run.avgCadenceSpm} vs ${x.cadence.stepsPerMinTimeWeighted}`,
        ).toBeLessThanOrEqual(2);
      } else {
        expect(run.avgCadenceSpm, what).toBeNull();
        expect(run.warnings, what).toContain('no-cadence');
      }
      expect(run.avgHeartRateBpm !== null, `${what} heart rate`).toBe(x.hr);
      break;
    }
    case 'not-activity':
      expect(o.skipped, what).toMatch(/route without times/);
      break;
    case 'not-running':
      expect(o.skipped, what).toMatch(/^not a run/);
      break;
    case 'sport-unknown':
      expect(o.skipped, what).toMatch(/^sport unknown/);
      expect(o.imported, what).toEqual([]);
      break;
    case 'corrupt':
      if (o.failed !== undefined) expect(o.failed, what).toMatch(/not well-formed/);
      else if (o.imported.length > 0)
        expect(
          o.imported.every((r) => r.partial),
          what,
        ).toBe(true);
      else expect(o.duplicate, what).toBe(true);
  }
}
