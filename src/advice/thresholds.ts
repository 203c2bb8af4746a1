/**
 * Every threshold the advice rules use, in one place (science.md's rule table gives the defaults
 * and their sources). Overridable with KNEECHECK_THRESHOLDS; the advice names the value used.
 */
export interface Thresholds {
  /** Run distance / longest run of the previous 30 days above which: caution (RUNSAFE-2025). */
  spikeCaution: number;
  /** ... above which: ease-off (RUNSAFE-2025). */
  spikeEaseOff: number;
  /** Last 7 days / previous 7 days distance above which: ease-off (NIELSEN-2014). */
  weeklyRamp: number;
  /** Highest pain (0–10) that counts as mild (GUIDE-2026). */
  mildPainMax: number;
  /** Pain above this is "too much": stop (PAIN-MONITORING). */
  stopPainAbove: number;
  /** Days of pain in consecutive checks after which: see a clinician (GUIDE-2026). */
  painDays: number;
  /** Hours after a run by which pain should have settled (GUIDE-2026: 24–48 h; the edge is kneecheck's). */
  settleHours: number;
  /** Days without a run before a run counts as a comeback (kneecheck, after GUIDE-2026). */
  comebackGapDays: number;
  /** Comeback limit: this share of the longest run of the 30 days before the break (kneecheck). */
  comebackShare: number;
  /** A runner with fewer runs than this is new: first-runs tip (kneecheck). */
  newRunnerRuns: number;
  /** Step rate at matched speed this many percent below the runner's line: long strides. */
  cadenceDropPct: number;
  /** Step length this many percent above what the line implies at that speed: long strides. */
  stepLengthRisePct: number;
  /** Last-fifth step rate this many percent below the first fifth: late-run drop (kneecheck). */
  lateDropPct: number;
  /** EWMA acute:chronic above which it is shown as context (GABBETT-2016). */
  acwrHigh: number;
  /** Step-rate increase to suggest, percent (HEIDERSCHEIT-2011: +5 %). */
  stepRateIncreasePct: number;
  /** ... and never more than this (HEIDERSCHEIT-2011, LENHART-2014: +10 %). */
  stepRateIncreaseMaxPct: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  spikeCaution: 1.1,
  spikeEaseOff: 1.3,
  weeklyRamp: 1.3,
  mildPainMax: 3,
  stopPainAbove: 5,
  painDays: 7,
  settleHours: 48,
  comebackGapDays: 30,
  comebackShare: 0.5,
  newRunnerRuns: 4,
  cadenceDropPct: 3,
  stepLengthRisePct: 3,
  lateDropPct: 4,
  acwrHigh: 1.5,
  stepRateIncreasePct: 5,
  stepRateIncreaseMaxPct: 10,
};

/** Parses `name=value,name=value` (KNEECHECK_THRESHOLDS) over the defaults; null on a bad entry. */
export function parseThresholds(text: string): Thresholds | null {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || !(name in DEFAULT_THRESHOLDS)) return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) return null;
    out[name as keyof Thresholds] = n;
  }
  return out;
}
