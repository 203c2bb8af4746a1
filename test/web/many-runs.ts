import type { Run, RunId } from '../../src/model.ts';
import type { Store } from '../../src/store/index.ts';

/**
 * Stores `count` plain runs, one every `everyDays` days going back from `latest` (newest first
 * in the returned list), each with its own id and sub-sport cycling road/treadmill/trail.
 */
export function storeManyRuns(store: Store, count: number, latest: string, everyDays = 2): Run[] {
  const subSports = [null, 'treadmill', 'trail'];
  const out: Run[] = [];
  store.batch(() => {
    for (let i = 0; i < count; i++) {
      const start = new Date(Date.parse(latest) - i * everyDays * 86_400_000);
      const sourceId = `many-${String(i).padStart(4, '0')}`;
      const run: Run = {
        id: `strava:${sourceId}` as RunId,
        source: 'strava',
        sourceId,
        sources: [{ source: 'strava', sourceId }],
        startTime: start.toISOString().replace('.000Z', 'Z'),
        timezone: 'UTC',
        sport: 'running',
        subSport: subSports[i % 3] ?? null,
        distanceM: 4000 + (i % 7) * 250,
        movingTimeS: 1500 + (i % 7) * 90,
        elapsedTimeS: 1600 + (i % 7) * 90,
        avgSpeedMps: 2.7,
        avgCadenceSpm: 164,
        avgStepLengthM: 0.99,
        avgHeartRateBpm: 150,
        device: null,
        gearId: null,
        partial: false,
        warnings: [],
        excluded: null,
      };
      const saved = store.saveRun({ run, form: null }, null, latest);
      if (saved.status !== 'imported') throw new Error(`run ${i} not stored: ${saved.status}`);
      out.push(saved.run);
    }
  });
  return out;
}
