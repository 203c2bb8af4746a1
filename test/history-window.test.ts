import { describe, expect, it } from 'vitest';
import { advise } from '../src/advice/advise.ts';
import { DEFAULT_THRESHOLDS } from '../src/advice/thresholds.ts';
import {
  adviceInput,
  LOOKBACK_DAYS,
  loadHistory,
  reportOf,
  type HistoryNeed,
} from '../src/history.ts';
import { NO_KNEE_FLAGS, type ImportedRun, type RunId } from '../src/model.ts';
import { Store } from '../src/store/index.ts';
import { tempDir } from './support/paths.ts';

const ZONE = 'Europe/Berlin';
const NOW = new Date('2026-11-25T18:00:00Z');
const DAY_MS = 86_400_000;
const config = { timezone: ZONE, units: 'metric' as const, thresholds: DEFAULT_THRESHOLDS };

/** A run `daysAgo` days before {@link NOW}, with a form summary; `n` varies its numbers. */
function runAt(daysAgo: number, n: number, km = 3 + (n % 9) * 0.5): ImportedRun {
  const start = new Date(NOW.getTime() - daysAgo * DAY_MS - 5 * 3_600_000 + (n % 5) * 600_000);
  const speed = 2.5 + (n % 7) * 0.1;
  const spm = 150 + 6 * speed + (n % 3);
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
      speedBins: [{ fromMps: 2.5, seconds: 1200, avgSpeedMps: speed, avgCadenceSpm: spm }],
      firstFifthCadenceSpm: spm + 1,
      lastFifthCadenceSpm: spm - 1,
      firstFifthSpeedMps: speed,
      lastFifthSpeedMps: speed - 0.05,
      deviceStepLengthM: null,
      sampleCount: 1200,
    },
  };
}

/** A store holding a run on each of `daysAgo`, and a knee check every 10 days of the last year. */
function storeWith(daysAgo: number[], excludeDaysAgo: number[] = []): Store {
  const store = Store.open(tempDir('kneecheck-window-'));
  store.batch(() => {
    daysAgo.forEach((d, n) => {
      const r = runAt(d, n);
      if (excludeDaysAgo.includes(d)) r.run.excluded = { reason: 'heart-rate strap', by: 'user' };
      store.saveRun(r, null, NOW.toISOString());
    });
    for (let d = 5; d < 365; d += 10) {
      store.checks.add({
        runId: null,
        checkedAt: new Date(NOW.getTime() - d * DAY_MS).toISOString(),
        pain: d % 30 === 5 ? 2 : 0,
        where: d % 30 === 5 ? ['front'] : [],
        ...NO_KNEE_FLAGS,
        knee: null,
        via: 'cli',
        note: null,
      });
    }
  });
  return store;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** The advice and the reports from the whole history and from the runs `need` reads. */
function both(store: Store, weeks: number) {
  const need: HistoryNeed = { weeks, advice: config };
  const full = loadHistory(store, NOW);
  const narrow = loadHistory(store, NOW, need);
  return {
    full,
    narrow,
    advice: [advise(adviceInput(full, config, NOW)), advise(adviceInput(narrow, config, NOW))],
    report: [reportOf(full, config, NOW, weeks), reportOf(narrow, config, NOW, weeks)],
  };
}

describe('reading only the runs an answer needs', () => {
  const histories: [string, number[], number[]?][] = [
    ['three years of runs four days a week', range(1, 3 * 365).filter((d) => d % 7 < 4)],
    ['two years, a break of 400 days, and two runs back', [3, 9, ...range(410, 410 + 2 * 365, 2)]],
    ['the same with the run before the break excluded', [3, 9, ...range(410, 1140, 2)], [410]],
    ['three years, the last run 60 days ago', range(60, 60 + 3 * 365, 3)],
    ['a run a month two years ago, and two runs this week', [1, 4, ...range(700, 1000, 30)]],
    ['ten years, a run every 5 days', range(2, 3650, 5)],
  ];
  for (const [name, days, excluded] of histories) {
    it(`gives the same advice and weekly report as the whole history: ${name}`, () => {
      const store = storeWith(days, excluded);
      try {
        for (const weeks of [8, 26]) {
          const r = both(store, weeks);
          expect(r.advice[1]).toEqual(r.advice[0]);
          expect(r.report[1]).toEqual(r.report[0]);
          expect(r.narrow.runs.length).toBeLessThanOrEqual(r.full.runs.length);
        }
      } finally {
        store.close();
      }
    });
  }

  it('reads a fraction of a long history, and the same number of runs at 5 and at 10 years', () => {
    const five = storeWith(range(2, 5 * 365, 2));
    const ten = storeWith(range(2, 10 * 365, 2));
    try {
      const need: HistoryNeed = { weeks: 8, advice: config };
      const at5 = loadHistory(five, NOW, need);
      const at10 = loadHistory(ten, NOW, need);
      expect(at5.runs.length).toBe(at10.runs.length);
      expect(at5.runs.length).toBeLessThan(loadHistory(five, NOW).runs.length / 5);
      // Form summaries (the biggest rows) only for the weeks shown and their look-back: not for
      // the older runs read for their start and length (the run before each knee check).
      const since = NOW.getTime() - (9 * 7 + LOOKBACK_DAYS) * 86_400_000;
      const inSpan = at5.runs.filter((r) => Date.parse(r.startTime) >= since);
      expect(inSpan.length).toBeLessThan(at5.runs.length);
      expect([...at5.forms.keys()].sort()).toEqual(inSpan.map((r) => r.id).sort());
      expect(at10.forms.size).toBe(at5.forms.size);
    } finally {
      five.close();
      ten.close();
    }
  });

  it('judges year-old "worse at rest" checks by the runs before them, read as marks', () => {
    // Runs every other day, none from 416 to 380 days ago; two checks after the run of 420 days
    // ago, the second at rest. With the run of 418 days ago between them, they are about
    // different runs: no red flag. Without it: pain rose at rest, a standing red flag.
    for (const [runBetween, level] of [
      [false, 'see-doctor'],
      [true, 'caution'],
    ] as const) {
      const days = [...range(2, 380, 2), ...range(420, 3 * 365, 2), ...(runBetween ? [418] : [])];
      const store = storeWith(days);
      try {
        for (const [daysAgo, pain] of [
          [419.5, 2],
          [415, 5],
        ] as const) {
          store.checks.add({
            runId: null,
            checkedAt: new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString(),
            pain,
            where: ['front'],
            ...NO_KNEE_FLAGS,
            knee: null,
            via: 'cli',
            note: null,
          });
        }
        for (const weeks of [8, 26]) {
          const r = both(store, weeks);
          expect(r.advice[1]).toEqual(r.advice[0]);
          expect(r.advice[1]?.level, `run between: ${runBetween}`).toBe(level);
          expect(r.narrow.runs.length).toBeLessThan(r.full.runs.length / 2);
          expect(r.narrow.runMarks?.length).toBeGreaterThan(0);
        }
      } finally {
        store.close();
      }
    }
  });

  it('reads the same runs at 5 and at 10 years with a knee check every week all along', () => {
    const weekly = (years: number) => {
      const store = storeWith(range(1, years * 365, 1));
      for (let d = 370; d < years * 365; d += 7) {
        store.checks.add({
          runId: null,
          checkedAt: new Date(NOW.getTime() - d * DAY_MS + 5 * 3_600_000).toISOString(),
          pain: d % 3,
          where: d % 3 > 0 ? ['front'] : [],
          ...NO_KNEE_FLAGS,
          knee: null,
          via: 'cli',
          note: null,
        });
      }
      return store;
    };
    const [five, ten] = [weekly(5), weekly(10)];
    try {
      const need: HistoryNeed = { weeks: 8, advice: config };
      expect(loadHistory(ten, NOW, need).runs.length).toBe(
        loadHistory(five, NOW, need).runs.length,
      );
      for (const store of [five, ten]) {
        const r = both(store, 8);
        expect(r.advice[1]).toEqual(r.advice[0]);
      }
    } finally {
      five.close();
      ten.close();
    }
  });

  for (const [name, first] of [
    ['up to today', 0],
    ['up to yesterday', 1],
  ] as const) {
    it(`counts a running streak in full: three years without a rest day, ${name}`, () => {
      const store = storeWith(range(first, 3 * 365));
      try {
        const r = both(store, 8);
        expect(r.advice[1]).toEqual(r.advice[0]);
        const messages = r.advice[1]?.suggestions.map((x) => x.message).join('\n');
        if (first === 0) {
          // Counted only with a run today: on each of the last 7 days, today included.
          expect(messages).toMatch(/\(109\d days in a row\)/);
        } else {
          expect(messages).not.toMatch(/days in a row/);
          expect(r.narrow.runs.length).toBeLessThan(r.full.runs.length / 2);
        }
      } finally {
        store.close();
      }
    });
  }
});
