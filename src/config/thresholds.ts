import { DEFAULT_THRESHOLDS, type Thresholds } from '../model.ts';

/**
 * The values each threshold may take (issue 21 item 14: `__proto__=1`, 0 and 1e308 were taken):
 * wide enough for any runner's or clinician's choice, narrow enough that no rule is switched off
 * or made to fire always by a typo. `int`: a whole number (pain points, days, runs).
 */
export const THRESHOLD_RANGES: Readonly<
  Record<keyof Thresholds, { min: number; max: number; int?: boolean }>
> = {
  spikeCaution: { min: 1, max: 3 },
  spikeEaseOff: { min: 1, max: 3 },
  weeklyRamp: { min: 1, max: 3 },
  mildPainMax: { min: 0, max: 10, int: true },
  stopPainAbove: { min: 0, max: 10, int: true },
  painDays: { min: 1, max: 60, int: true },
  settleHours: { min: 1, max: 168 },
  comebackGapDays: { min: 7, max: 365, int: true },
  comebackShare: { min: 0.1, max: 1 },
  newRunnerRuns: { min: 0, max: 50, int: true },
  cadenceDropPct: { min: 0.5, max: 20 },
  stepLengthRisePct: { min: 0.5, max: 20 },
  lateDropPct: { min: 0.5, max: 20 },
  acwrHigh: { min: 1, max: 3 },
  stepRateIncreasePct: { min: 1, max: 10 },
  stepRateIncreaseMaxPct: { min: 1, max: 15 },
};

/** Pairs that must keep their order: the first at most the second. */
const ORDERED: readonly [keyof Thresholds, keyof Thresholds][] = [
  ['spikeCaution', 'spikeEaseOff'],
  ['mildPainMax', 'stopPainAbove'],
  ['stepRateIncreasePct', 'stepRateIncreaseMaxPct'],
];

const isName = (name: string): name is keyof Thresholds =>
  Object.hasOwn(DEFAULT_THRESHOLDS, name) && Object.hasOwn(THRESHOLD_RANGES, name);

/**
 * Parses `name=value,name=value` (KNEECHECK_THRESHOLDS) over the defaults; null on a bad entry:
 * an unknown name (only the threshold names, never an inherited one such as `__proto__`), a
 * value outside {@link THRESHOLD_RANGES}, a name given twice, or a pair out of order (caution
 * above ease-off, mild pain above the stop line, the step-rate increase above its cap).
 */
export function parseThresholds(text: string): Thresholds | null {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  const seen = new Set<string>();
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || rest.length > 0 || !isName(name) || seen.has(name)) {
      return null;
    }
    seen.add(name);
    const range = THRESHOLD_RANGES[name];
    const n = /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < range.min || n > range.max) return null;
    if (range.int && !Number.isInteger(n)) return null;
    out[name] = n;
  }
  return ORDERED.every(([a, b]) => out[a] <= out[b]) ? out : null;
}
