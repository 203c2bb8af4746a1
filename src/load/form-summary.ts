import { SPEED_BIN_WIDTH_MPS, type FormSummary, type SpeedBin } from '../model.ts';
import { RUNNING_MIN_SPEED_MPS, RUNNING_MIN_STEP_RATE_SPM } from './stride.ts';

/** One sample of a run: seconds since the run's start, and what the device measured then. */
export interface FormSample {
  tS: number;
  speedMps: number | null;
  /** Steps/min, both feet. */
  cadenceSpm: number | null;
  stepLengthM: number | null;
}

/** A gap longer than this between samples is a pause, not running (smart recording stays below). */
export const MAX_SAMPLE_GAP_S = 30;
/**
 * Below these a sample is standing or walking, not a running stride: walk breaks stay out of the
 * bins and the fifths (science.md: stride rules compare running samples only).
 */
const MIN_RUNNING_SPEED_MPS = RUNNING_MIN_SPEED_MPS;
const MIN_STEP_RATE_SPM = RUNNING_MIN_STEP_RATE_SPM;

/**
 * Summarises a run's samples for form analysis (DESIGN §7): time-weighted step rate and speed per
 * {@link SPEED_BIN_WIDTH_MPS} speed bin, mean step rate over the first and last fifth of the
 * running time (late-run drop), and the device's mean step length. Each sample counts for the
 * time since the previous one; gaps over {@link MAX_SAMPLE_GAP_S} (pauses) count for nothing.
 * Returns null when no sample has both a speed and a step rate.
 */
export function summarizeForm(samples: readonly FormSample[]): FormSummary | null {
  const sorted = [...samples].sort((a, b) => a.tS - b.tS);
  const weighted: { dt: number; speed: number; spm: number }[] = [];
  let stepLengthSum = 0;
  let stepLengthTime = 0;
  for (let i = 1; i < sorted.length; i++) {
    const s = sorted[i];
    const prev = sorted[i - 1];
    if (!s || !prev) continue;
    const dt = s.tS - prev.tS;
    if (dt <= 0 || dt > MAX_SAMPLE_GAP_S) continue;
    if (s.speedMps === null || s.cadenceSpm === null) continue;
    if (s.speedMps < MIN_RUNNING_SPEED_MPS || s.cadenceSpm < MIN_STEP_RATE_SPM) continue;
    weighted.push({ dt, speed: s.speedMps, spm: s.cadenceSpm });
    // Step length of running samples only: walking breaks would shorten it.
    if (s.stepLengthM !== null && s.stepLengthM > 0) {
      stepLengthSum += s.stepLengthM * dt;
      stepLengthTime += dt;
    }
  }
  if (weighted.length === 0) return null;

  const bins = new Map<number, { seconds: number; speed: number; spm: number }>();
  let total = 0;
  for (const w of weighted) {
    const key = Math.floor(w.speed / SPEED_BIN_WIDTH_MPS);
    const bin = bins.get(key) ?? { seconds: 0, speed: 0, spm: 0 };
    bin.seconds += w.dt;
    bin.speed += w.speed * w.dt;
    bin.spm += w.spm * w.dt;
    bins.set(key, bin);
    total += w.dt;
  }
  const speedBins: SpeedBin[] = [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, b]) => ({
      fromMps: round(key * SPEED_BIN_WIDTH_MPS, 2),
      seconds: round(b.seconds, 1),
      avgSpeedMps: round(b.speed / b.seconds, 3),
      avgCadenceSpm: round(b.spm / b.seconds, 2),
    }));

  const fifth = total / 5;
  let elapsed = 0;
  const first = { t: 0, spm: 0, speed: 0 };
  const last = { t: 0, spm: 0, speed: 0 };
  for (const w of weighted) {
    if (elapsed < fifth) {
      first.t += w.dt;
      first.spm += w.spm * w.dt;
      first.speed += w.speed * w.dt;
    }
    elapsed += w.dt;
    if (elapsed > total - fifth) {
      last.t += w.dt;
      last.spm += w.spm * w.dt;
      last.speed += w.speed * w.dt;
    }
  }
  return {
    speedBins,
    firstFifthCadenceSpm: first.t > 0 ? round(first.spm / first.t, 2) : null,
    lastFifthCadenceSpm: last.t > 0 ? round(last.spm / last.t, 2) : null,
    firstFifthSpeedMps: first.t > 0 ? round(first.speed / first.t, 3) : null,
    lastFifthSpeedMps: last.t > 0 ? round(last.speed / last.t, 3) : null,
    deviceStepLengthM: stepLengthTime > 0 ? round(stepLengthSum / stepLengthTime, 3) : null,
    sampleCount: sorted.length,
  };
}

/** Rounds to `digits` decimals (values are stored and printed, not used for further maths). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
