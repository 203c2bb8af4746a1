import { describe, expect, it } from 'vitest';
import type { ImportedRun, Run, RunId } from '../../src/model.ts';
import { Store } from '../../src/store/index.ts';
import { tempDir } from '../support/paths.ts';

const NOW = '2026-11-25T12:00:00.000Z';

/** The honest 9.8 km run of one watch at 07:00 (an hour). */
function honest(over: Partial<Run> = {}): ImportedRun {
  const id = (over.id ?? 'fit:honest000000') as RunId;
  const run: Run = {
    id,
    source: 'fit',
    sourceId: id.slice(4).padEnd(64, '0'),
    sources: [],
    startTime: '2026-11-20T07:00:00+01:00',
    timezone: 'Europe/Berlin',
    sport: 'running',
    subSport: null,
    distanceM: 9800,
    movingTimeS: 3500,
    elapsedTimeS: 3600,
    avgSpeedMps: 2.8,
    avgCadenceSpm: 166,
    avgStepLengthM: 1.01,
    avgHeartRateBpm: 150,
    device: 'garmin forerunner 55',
    gearId: null,
    partial: false,
    excluded: null,
    warnings: [],
    ...over,
  };
  return { run, form: null };
}

/** A damaged copy of it rebuilt from its records: starts 10 min later, 52.5 km in 3 h. */
const phantom = (over: Partial<Run> = {}): ImportedRun =>
  honest({
    id: 'fit:phantom00000' as RunId,
    startTime: '2026-11-20T07:10:00+01:00',
    distanceM: 52_500,
    movingTimeS: 10_800,
    elapsedTimeS: 10_800,
    avgSpeedMps: null,
    avgCadenceSpm: null,
    avgStepLengthM: null,
    partial: true,
    warnings: ['crc-mismatch', 'rebuilt-from-records'],
    ...over,
  });

function withStore(fn: (store: Store) => void): void {
  const store = Store.open(tempDir());
  try {
    fn(store);
  } finally {
    store.close();
  }
}

const counted = (store: Store) =>
  store.runs
    .list()
    .filter((r) => r.excluded === null)
    .map((r) => r.distanceM);

describe('a rebuilt partial record beside a clean run of the same device counts in no metric (issue 21 item 6)', () => {
  it('the phantom comes after the honest run: stored, listed, excluded with a reason', () => {
    withStore((store) => {
      store.saveRun(honest(), null, NOW);
      expect(store.saveRun(phantom(), null, NOW).status).toBe('imported');
      expect(counted(store)).toEqual([9800]);
      const p = store.runs.get('fit:phantom00000' as RunId);
      expect(p?.excluded).toEqual({
        reason: expect.stringMatching(/rebuilt from a damaged file/),
        by: 'kneecheck',
      });
    });
  });

  it('the phantom comes first: the honest run keeps it out when it arrives', () => {
    withStore((store) => {
      store.saveRun(phantom(), null, NOW);
      expect(counted(store)).toEqual([52_500]);
      store.saveRun(honest(), null, NOW);
      expect(counted(store)).toEqual([9800]);
    });
  });

  it('keeps a partial record of another device, or one that does not overlap, counted', () => {
    withStore((store) => {
      store.saveRun(honest(), null, NOW);
      store.saveRun(phantom({ device: 'coros pace 3' }), null, NOW);
      store.saveRun(
        phantom({ id: 'fit:later0000000' as RunId, startTime: '2026-11-20T18:00:00+01:00' }),
        null,
        NOW,
      );
      expect(counted(store).sort()).toEqual([52_500, 52_500, 9800].sort());
    });
  });
});
