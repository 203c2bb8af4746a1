import { describe, expect, it } from 'vitest';
import { spikeOf, spikesOf } from '../../src/load/spike.ts';
import type { LoadRun } from '../../src/load/types.ts';

/** A small seeded generator (mulberry32): the same histories on every run of the test. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/** Runs over `days` days in random order: same-instant pairs, exactly-30-days gaps, no distance, 0 m. */
function history(seed: number, count: number, days: number): LoadRun[] {
  const rnd = random(seed);
  const base = Date.parse('2024-01-01T07:00:00Z');
  const runs: LoadRun[] = [];
  for (let i = 0; i < count; i++) {
    const prev = runs[Math.floor(rnd() * runs.length)];
    const pick = rnd();
    const t =
      prev && pick < 0.05
        ? Date.parse(prev.startTime) // the same instant as another run
        : prev && pick < 0.1
          ? Date.parse(prev.startTime) + 30 * DAY // exactly at the window's edge
          : base + Math.floor(rnd() * days * DAY);
    const d = rnd();
    runs.push({
      id: `fit:${i}` as LoadRun['id'],
      // Some runs carry an offset, as stored runs do: the instant decides, not the text.
      startTime: new Date(t).toISOString().replace('Z', i % 3 === 0 ? 'Z' : '+00:00'),
      distanceM: d < 0.05 ? null : d < 0.08 ? 0 : Math.round(2000 + rnd() * 20000),
      movingTimeS: 1800,
      elapsedTimeS: 1900,
      avgSpeedMps: 3,
      avgCadenceSpm: 170,
      avgStepLengthM: 1,
    });
  }
  return runs;
}

describe('spikesOf, the one-pass spike of every run', () => {
  it('gives exactly what spikeOf gives for each run, on generated histories', () => {
    for (const [seed, count, days] of [
      [1, 50, 60],
      [2, 400, 365],
      [3, 1500, 5 * 365],
      [4, 300, 20],
    ] as const) {
      const runs = history(seed, count, days);
      const one = spikesOf(runs);
      expect(one).toHaveLength(runs.length);
      runs.forEach((r, i) => expect(one[i], `seed ${seed}, run ${i}`).toEqual(spikeOf(r, runs)));
    }
  });

  it('finds a real spike: a 12 km run after weeks of 5 km is 2.4x, and a run with no earlier run has none', () => {
    const runs: LoadRun[] = [];
    const [template] = history(6, 1, 1);
    if (!template) throw new Error('one generated run');
    const at = (day: number, km: number): LoadRun => ({
      ...template,
      id: `fit:d${day}` as LoadRun['id'],
      startTime: new Date(Date.parse('2025-03-01T07:00:00Z') + day * DAY).toISOString(),
      distanceM: km * 1000,
    });
    runs.push(at(0, 5), at(3, 5), at(7, 5), at(10, 12), at(45, 6));
    const s = spikesOf(runs);
    expect(s[0]?.ratio).toBeNull();
    expect(s[3]?.ratio).toBeCloseTo(2.4, 5);
    // 35 days after the 12 km run: only the runs of the 30 days before count, none here.
    expect(s[4]?.longestPrevious30DaysM).toBeNull();
  });
});
