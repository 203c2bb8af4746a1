import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPaths } from '../../src/import/pipeline.ts';
import { tempDir } from '../support/paths.ts';
import { importStores } from '../support/import-store.ts';
import { synthFit } from '../support/synth-fit.ts';

const setup = importStores();

/** A duathlon: 20 min run, 40 min ride, 15 min run, one file written by one watch. */
const runBikeRun = () =>
  synthFit({
    start: new Date(Date.UTC(2026, 8, 6, 8, 0, 0)),
    localOffsetMin: 120,
    recordEveryS: 2,
    sessions: [
      { sport: 'running', durationS: 1200, speedMps: 3.2, stepRateSpm: 172 },
      { sport: 'cycling', offsetS: 1260, durationS: 2400, speedMps: 8, stepRateSpm: null },
      { sport: 'running', offsetS: 3720, durationS: 900, speedMps: 2.9, stepRateSpm: 166 },
    ],
  });

describe('a run–bike–run file (issue 12)', () => {
  it('stores one run per running leg, each with its own source, and a re-import is all duplicates', async () => {
    const { store, opts } = setup();
    const file = path.join(tempDir(), 'duathlon.fit');
    fs.writeFileSync(file, runBikeRun());

    const first = await importPaths([file], opts);
    const runs = first.imported.map((i) => i.run);
    expect(runs).toHaveLength(2);
    const [leg1, leg2] = runs;
    expect(leg2?.id).toBe(`${leg1?.id}-2`);
    expect(leg2?.sourceId).toBe(`${leg1?.sourceId}-2`);
    expect(leg1?.distanceM).toBeCloseTo(3840, 0);
    expect(leg2?.distanceM).toBeCloseTo(2610, 0);
    expect([leg1?.avgCadenceSpm, leg2?.avgCadenceSpm]).toEqual([172, 166]);
    expect(first.duplicates).toEqual([]);
    expect(first.skipped).toEqual([]);
    expect(store.runs.count()).toBe(2);

    const again = await importPaths([file], opts);
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toEqual([{ file, of: leg1?.id }]);
    expect(store.runs.count()).toBe(2);
  });
});
