import { DateTime } from 'luxon';
import type { KneeSide, Run, Units } from './model.ts';
import { terminalText } from './present/terminal.ts';

export type { Units } from './model.ts';

const M_PER_MILE = 1609.344;

/** "5.03 km" / "3.13 mi" (`decimals` 2; the dashboard uses 1: "5.0 km"); "–" when unknown. */
export function formatDistance(m: number | null, units: Units, decimals = 2): string {
  if (m === null) return '–';
  return units === 'imperial'
    ? `${(m / M_PER_MILE).toFixed(decimals)} mi`
    : `${(m / 1000).toFixed(decimals)} km`;
}

/** "1:02:03" or "24:05". */
export function formatDuration(s: number | null): string {
  if (s === null) return '–';
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Pace: "5:32 /km" or "8:54 /mi". */
export function formatPace(mps: number | null, units: Units): string {
  if (mps === null || mps <= 0) return '–';
  const perUnit = (units === 'imperial' ? M_PER_MILE : 1000) / mps;
  return `${formatDuration(perUnit)} /${units === 'imperial' ? 'mi' : 'km'}`;
}

/** The run's start in its own local time: "2019-02-16 07:05". */
export function formatStart(run: Run): string {
  return DateTime.fromISO(run.startTime, { setZone: true }).toFormat('yyyy-MM-dd HH:mm');
}

/** Which knee a check is about, for people: "left knee", "both knees", "knee not said". */
export function kneeWords(knee: KneeSide | null): string {
  if (knee === null) return 'knee not said';
  return knee === 'both' ? 'both knees' : `${knee} knee`;
}

/**
 * Pads cells into aligned columns. Each cell is made safe for a terminal first (one line, no
 * escape sequence or control character: a device or shoe name comes from outside).
 */
export function table(given: string[][]): string {
  const rows = given.map((r) => r.map((c) => terminalText(c, { oneLine: true })));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One line describing a run for humans. */
export function runLine(run: Run, units: Units): string[] {
  const flags = [run.partial ? 'partial' : '', ...run.warnings.filter((w) => w !== 'no-local-time')]
    .filter(Boolean)
    .join(',');
  return [
    formatStart(run),
    formatDistance(run.distanceM, units),
    formatDuration(run.movingTimeS ?? run.elapsedTimeS),
    formatPace(run.avgSpeedMps, units),
    run.avgCadenceSpm === null ? '–' : `${Math.round(run.avgCadenceSpm)} spm`,
    run.avgStepLengthM === null ? '–' : `${run.avgStepLengthM.toFixed(2)} m`,
    run.device ?? '–',
    run.id,
    flags,
  ];
}

export const RUN_HEADER = [
  'start',
  'distance',
  'time',
  'pace',
  'steps',
  'step',
  'device',
  'id',
  'notes',
];
