/**
 * A long synthetic history for the benchmarks: one run a day (each with a form summary of eight
 * speed bins) and a knee check a week, stored into a fresh database as the importer would.
 */
import { NO_KNEE_FLAGS, type ImportedRun, type RunId } from '../src/model.ts';
import type { Store } from '../src/store/index.ts';

export const ZONE = 'Europe/Berlin';
export const NOW = new Date('2026-11-25T18:00:00Z');
const DAY_MS = 86_400_000;

export function syntheticRun(i: number, now: Date = NOW): ImportedRun {
  const start = new Date(now.getTime() - (i + 1) * DAY_MS + (i % 5) * 600_000);
  const speed = 2.5 + (i % 7) * 0.1;
  const km = 3 + (i % 9) * 0.5;
  const spm = 150 + 6 * speed + (i % 3);
  const id = `fit:${i.toString(16).padStart(12, '0')}` as RunId;
  return {
    run: {
      id,
      source: 'fit',
      sourceId: i.toString(16).padStart(64, '0'),
      sources: [],
      startTime: start.toISOString().replace('Z', '+00:00'),
      timezone: 'UTC',
      sport: 'running',
      subSport: null,
      distanceM: km * 1000,
      movingTimeS: (km * 1000) / speed,
      elapsedTimeS: (km * 1000) / speed + 30,
      avgSpeedMps: speed,
      avgCadenceSpm: spm,
      avgStepLengthM: speed / (spm / 60),
      avgHeartRateBpm: 145,
      device: 'garmin fr255',
      gearId: null,
      partial: false,
      excluded: null,
      warnings: [],
    },
    form: {
      speedBins: Array.from({ length: 8 }, (_, b) => ({
        fromMps: 2 + b * 0.25,
        seconds: 120 + b * 10,
        avgSpeedMps: 2.1 + b * 0.25,
        avgCadenceSpm: 150 + 6 * (2.1 + b * 0.25),
      })),
      firstFifthCadenceSpm: spm + 1,
      lastFifthCadenceSpm: spm - 1,
      firstFifthSpeedMps: speed,
      lastFifthSpeedMps: speed - 0.05,
      deviceStepLengthM: null,
      sampleCount: Math.round((km * 1000) / speed),
    },
  };
}

/**
 * Stores `days` daily runs ending the day before `now` ({@link NOW} unless given), and a check
 * every 7 days.
 */
export function fillHistory(store: Store, days: number, now: Date = NOW): void {
  store.batch(() => {
    for (let i = 0; i < days; i++) store.saveRun(syntheticRun(i, now), null, now.toISOString());
    for (let w = 0; w < days / 7; w++) {
      const at = new Date(now.getTime() - w * 7 * DAY_MS - 3_600_000).toISOString();
      store.checks.add({
        runId: null,
        checkedAt: at,
        pain: w % 4 === 0 ? 1 : 0,
        where: w % 4 === 0 ? ['front'] : [],
        ...NO_KNEE_FLAGS,
        knee: null,
        via: 'cli',
        note: null,
      });
    }
  });
}
