import type { Facts } from '../types.ts';
import { slowerPace } from '../words.ts';

/** Median average speed of the last five counted runs with a speed, m/s (null: none). */
export function usualSpeedMps(f: Facts): number | null {
  const speeds = f.runs
    .slice(-5)
    .map((r) => r.avgSpeedMps)
    .filter((v): v is number => v !== null && v > 0)
    .sort((a, b) => a - b);
  if (speeds.length === 0) return null;
  const mid = Math.floor(speeds.length / 2);
  return speeds.length % 2 === 1
    ? (speeds[mid] ?? null)
    : ((speeds[mid - 1] ?? 0) + (speeds[mid] ?? 0)) / 2;
}

/** "shorter and slower (about 7:00 /km or slower, your usual is 6:30 /km)": slower, with a number. */
export function shorterSlower(f: Facts): string {
  const pace = slowerPace(usualSpeedMps(f), f.input.units);
  return pace
    ? `shorter and slower (${pace})`
    : 'shorter and slower (easy enough to talk in full sentences)';
}
