import { NO_KNEE_FLAGS, type KneeCheck, type Run, type RunId } from '../../src/model.ts';
import type { PatternInput } from '../../src/pattern/index.ts';

export const ZONE = 'Europe/Berlin';
const DAY = 86_400_000;

/** A counted run starting `at` (epoch ms), `km` long at 2.8 m/s. */
export function runAt(at: number, km: number, id: string): Run {
  const distanceM = km * 1000;
  const movingTimeS = Math.round(distanceM / 2.8);
  return {
    id: `test:${id}` as RunId,
    source: 'fit',
    sourceId: id,
    sources: [{ source: 'fit', sourceId: id }],
    startTime: new Date(at).toISOString(),
    timezone: ZONE,
    sport: 'running',
    subSport: null,
    distanceM,
    movingTimeS,
    elapsedTimeS: movingTimeS,
    avgSpeedMps: 2.8,
    avgCadenceSpm: null,
    avgStepLengthM: null,
    avgHeartRateBpm: null,
    device: null,
    gearId: null,
    partial: false,
    warnings: [],
    excluded: null,
  };
}

let nextId = 1;
/** A knee check at `at` (epoch ms). */
export function checkAt(
  at: number,
  pain: number,
  knee: KneeCheck['knee'] = null,
  runId: RunId | null = null,
): KneeCheck {
  return {
    id: nextId++,
    runId,
    checkedAt: new Date(at).toISOString(),
    knee,
    via: 'cli',
    pain,
    where: [],
    ...NO_KNEE_FLAGS,
    note: null,
  };
}

export interface GenSpec {
  /** How many runs (one every other day at 07:00 UTC). */
  runs: number;
  /** Distance of run i, km. */
  km: (i: number) => number;
  /** Whether run i is followed by a flare (pain 4 the next morning; else pain 1). */
  flare: (i: number) => boolean;
  /** Whether run i gets its checks (default: all). */
  answered?: (i: number) => boolean;
  knee?: KneeCheck['knee'];
  from?: number;
}

/**
 * A generated history: runs every other day, an after-run check (pain 1) half an hour after
 * each, and the next morning's check (pain 4 when the run is followed by a flare, else 1).
 */
export function generate(spec: GenSpec): PatternInput & { runs: Run[]; checks: KneeCheck[] } {
  const from = spec.from ?? Date.UTC(2026, 0, 5, 7);
  const runs: Run[] = [];
  const checks: KneeCheck[] = [];
  for (let i = 0; i < spec.runs; i++) {
    const at = from + i * 2 * DAY;
    const run = runAt(at, spec.km(i), `r${i}`);
    runs.push(run);
    if (spec.answered && !spec.answered(i)) continue;
    const end = at + (run.movingTimeS ?? 0) * 1000;
    checks.push(checkAt(end + 30 * 60_000, 1, spec.knee ?? null, run.id));
    checks.push(checkAt(at + DAY + 3600_000, spec.flare(i) ? 4 : 1, spec.knee ?? null, run.id));
  }
  return {
    runs,
    forms: new Map(),
    checks,
    shoeOf: new Map(),
    zone: ZONE,
    now: new Date(from + spec.runs * 2 * DAY + DAY),
  };
}
