import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config/index.ts';
import { NO_KNEE_FLAGS, type ImportedRun, type RunId } from '../src/model.ts';
import { Store } from '../src/store/index.ts';
import { dashboardPage } from '../src/web/pages/dashboard.ts';
import { summaryData, summaryHtml } from '../src/web/pages/summary.ts';
import { tempDir } from './support/paths.ts';

// The dashboard and /summary read only the weeks they show and their look-back (issue 24); here
// each is held identical, byte for byte, to the same page computed from every stored run.

const ZONE = 'Europe/Berlin';
const NOW = new Date('2026-11-25T18:00:00Z');
const DAY_MS = 86_400_000;
const CSRF = 'csrf-token-for-the-test';

/** A small seeded generator (mulberry32): the same histories on every run, varied inside. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function runAt(daysAgo: number, n: number, rnd: () => number, excluded: boolean): ImportedRun {
  const start = new Date(NOW.getTime() - daysAgo * DAY_MS - Math.floor(rnd() * 12 * 3_600_000));
  const speed = 2.3 + rnd() * 1.2;
  const km = 2 + rnd() * (rnd() < 0.1 ? 18 : 8);
  const spm = 150 + 6 * speed + rnd() * 6;
  const id = `fit:${n.toString(16).padStart(12, '0')}` as RunId;
  return {
    run: {
      id,
      source: 'fit',
      sourceId: n.toString(16).padStart(64, '0'),
      sources: [],
      startTime: start.toISOString().replace('Z', '+00:00'),
      timezone: 'UTC',
      sport: 'running',
      subSport: null,
      distanceM: Math.round(km * 1000),
      movingTimeS: (km * 1000) / speed,
      elapsedTimeS: (km * 1000) / speed + 30,
      avgSpeedMps: speed,
      avgCadenceSpm: spm,
      avgStepLengthM: speed / (spm / 60),
      avgHeartRateBpm: 145,
      device: 'garmin fr255',
      gearId: null,
      partial: false,
      excluded: excluded ? { reason: 'heart-rate strap', by: 'user' } : null,
      warnings: [],
    },
    form: {
      speedBins: [0, 1, 2].map((b) => ({
        fromMps: 2 + b * 0.5,
        seconds: 300 + Math.round(rnd() * 600),
        avgSpeedMps: 2.2 + b * 0.5,
        avgCadenceSpm: 150 + 6 * (2.2 + b * 0.5) + rnd() * 4,
      })),
      firstFifthCadenceSpm: spm + 1,
      lastFifthCadenceSpm: spm - 1,
      firstFifthSpeedMps: speed,
      lastFifthSpeedMps: speed - 0.05,
      deviceStepLengthM: null,
      sampleCount: 1200,
    },
  };
}

interface Shape {
  /** Days ago of the runs. */
  days: number[];
  /** Share of runs left out by the runner. */
  excluded: number;
  /** Days ago of runs left out whatever the share. */
  leftOut?: number[];
  /** Days ago of knee checks (each about the run before it, if one started that day). */
  checks: number[];
}

/** A store with these runs (ids in order of `days`), checks and a default pair of shoes. */
function storeOf(shape: Shape, seed: number): Store {
  const rnd = random(seed);
  const store = Store.open(tempDir('kneecheck-page-window-'));
  const startOf = new Map<number, RunId>();
  store.batch(() => {
    shape.days.forEach((d, n) => {
      const r = runAt(d, n, rnd, rnd() < shape.excluded || (shape.leftOut ?? []).includes(d));
      store.saveRun(r, null, NOW.toISOString());
      startOf.set(d, r.run.id);
    });
    for (const d of shape.checks) {
      const pain = rnd() < 0.3 ? Math.ceil(rnd() * 6) : 0;
      store.checks.add({
        runId: startOf.get(d) ?? null,
        checkedAt: new Date(NOW.getTime() - d * DAY_MS + 3 * 3_600_000).toISOString(),
        pain,
        where: pain > 0 ? ['front'] : [],
        ...NO_KNEE_FLAGS,
        swelling: rnd() < 0.02,
        knee: rnd() < 0.5 ? 'left' : null,
        via: 'cli',
        note: rnd() < 0.1 ? `note ${d}` : null,
      });
    }
  });
  const startedOn = new Date(NOW.getTime() - 2000 * DAY_MS).toISOString().slice(0, 10);
  store.shoes.add({ name: 'Trainers', startedOn, isDefault: true }, NOW.toISOString());
  return store;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

function configOf(): Config {
  return loadConfig({
    env: { KNEECHECK_DATA_DIR: tempDir('kneecheck-page-window-cfg-'), KNEECHECK_TIMEZONE: ZONE },
    envFile: '/nonexistent',
  });
}

const shapes: [string, (rnd: () => number) => Shape][] = [
  [
    'a year, most days, some runs left out, a check every few days',
    (rnd) => ({
      days: range(1, 365).filter(() => rnd() < 0.7),
      excluded: 0.08,
      checks: range(1, 365).filter(() => rnd() < 0.3),
    }),
  ],
  [
    'three years four days a week, checks only in the first year',
    () => ({
      days: range(1, 3 * 365).filter((d) => d % 7 < 4),
      excluded: 0.05,
      checks: range(2 * 365, 3 * 365, 4),
    }),
  ],
  [
    'two years, then a break of 500 days, and three runs this week',
    (rnd) => ({
      days: [1, 3, 5, ...range(505, 505 + 2 * 365).filter(() => rnd() < 0.6)],
      excluded: 0.1,
      checks: [1, 3, ...range(505, 900, 9)],
    }),
  ],
  [
    'three years ending 400 days ago, and two left-out runs since',
    (rnd) => ({
      days: [10, 40, ...range(400, 400 + 3 * 365).filter(() => rnd() < 0.5)],
      excluded: 0,
      leftOut: [10, 40],
      checks: range(400, 800, 6),
    }),
  ],
  [
    'two years of runs, every one left out',
    (rnd) => ({
      days: range(3, 2 * 365).filter(() => rnd() < 0.5),
      excluded: 1,
      checks: range(3, 100, 7),
    }),
  ],
];

describe('the dashboard and /summary from the weeks they show', () => {
  shapes.forEach(([name, make], i) => {
    it(`render the same as from the whole history: ${name}`, () => {
      const shape = make(random(100 + i));
      const store = storeOf(shape, 200 + i);
      const config = configOf();
      try {
        // Now, and two earlier moments replayed (runs and checks after them left out).
        for (const daysBack of [0, 45, 420]) {
          const now = new Date(NOW.getTime() - daysBack * DAY_MS);
          const windowed = dashboardPage(store, config, now, { csrf: CSRF });
          const whole = dashboardPage(store, config, now, { csrf: CSRF, whole: true });
          expect(windowed).toBe(whole);
          const css = { href: '/assets/summary.css' };
          const narrow = summaryData(store, config, now);
          const full = summaryData(store, config, now, { whole: true });
          expect(summaryHtml(narrow, css)).toBe(summaryHtml(full, css));
          // `kneecheck export` writes these two into kneecheck.json.
          expect(narrow.advice).toEqual(full.advice);
          expect(narrow.report).toEqual(full.report);
        }
        // The figures that span the whole history are on the page: the count and recent runs.
        const page = dashboardPage(store, config, NOW, { csrf: CSRF });
        expect(page).toContain(`All ${shape.days.length} runs, by month`);
        // The latest counted run is named however old it is (older than the window here).
        if (shape.leftOut)
          expect(page).toMatch(/Your latest run that counts was on <time datetime="2025-10-/);
      } finally {
        store.close();
      }
    });
  });
});
