import type { FormSummary } from '../model.ts';
import { MAX_STEP_RATE_SPM } from './plausible.ts';
import type { LoadRun } from './types.ts';

/** One observation of step rate at a speed, weighted by the seconds it lasted. */
export interface CadencePoint {
  speedMps: number;
  cadenceSpm: number;
  weightS: number;
}

/** Step rate as a linear function of speed: spm = interceptSpm + slopeSpmPerMps × speed. */
export interface CadenceLine {
  interceptSpm: number;
  slopeSpmPerMps: number;
  /** `runner`: fitted to the runner's own runs; `population`: CADENCE-SPEED's line. */
  basis: 'runner' | 'population';
  /** Runs the line was fitted to (0 for the population line). */
  runs: number;
}

/**
 * Across runners, step rate ≈ 150 + 6 × speed (m/s) steps/min (CADENCE-SPEED: 256 Garmin users,
 * VU Amsterdam). Used until a runner has enough runs of their own.
 */
export const POPULATION_LINE: CadenceLine = {
  interceptSpm: 150,
  slopeSpmPerMps: 6,
  basis: 'population',
  runs: 0,
};
/** Runs needed (in the window) before the runner's own line replaces the population's. */
export const MIN_RUNS_FOR_OWN_LINE = 5;
/** Below this spread (standard deviation) of speeds, m/s, a slope cannot be fitted. */
const MIN_SPEED_SD_MPS = 0.15;

export const expectedCadence = (line: CadenceLine, speedMps: number): number =>
  line.interceptSpm + line.slopeSpmPerMps * speedMps;

/**
 * Below this speed, m/s, a sample is walking, not running (science.md: stride rules compare
 * running samples only). Brisk walking reaches about 1.7 m/s, but at a walking step rate.
 */
export const RUNNING_MIN_SPEED_MPS = 1.5;
/**
 * Below this step rate a sample is a walking step: walking runs at about 100–130 steps/min,
 * running (with its flight phase) rarely below 150, even for slow beginners.
 */
export const RUNNING_MIN_STEP_RATE_SPM = 140;

/** True when a speed and step rate describe running (not a walk break, not a fault). */
export const isRunningStep = (speedMps: number, spm: number): boolean =>
  speedMps >= RUNNING_MIN_SPEED_MPS && spm >= RUNNING_MIN_STEP_RATE_SPM && spm <= MAX_STEP_RATE_SPM;

/**
 * A run's running step-rate observations: its speed bins when summarised, else its averages.
 * Walk breaks and impossible step rates are left out, so a walk/run session is compared by its
 * running only; without a summary the averages count only when they describe running.
 */
export function cadencePoints(run: LoadRun, form: FormSummary | null): CadencePoint[] {
  if (form && form.speedBins.length > 0) {
    return form.speedBins
      .filter((b) => isRunningStep(b.avgSpeedMps, b.avgCadenceSpm))
      .map((b) => ({
        speedMps: b.avgSpeedMps,
        cadenceSpm: b.avgCadenceSpm,
        weightS: b.seconds,
      }));
  }
  if (run.avgSpeedMps && run.avgCadenceSpm && isRunningStep(run.avgSpeedMps, run.avgCadenceSpm)) {
    return [
      { speedMps: run.avgSpeedMps, cadenceSpm: run.avgCadenceSpm, weightS: run.movingTimeS ?? 1 },
    ];
  }
  return [];
}

/**
 * The runner's own step-rate-vs-speed line (weighted least squares over their runs' points),
 * so a run is compared at matched speed (DESIGN §7, CADENCE-SPEED). With fewer than
 * {@link MIN_RUNS_FOR_OWN_LINE} runs, the population line; with too narrow a spread of speeds,
 * the runner's mean step rate with the population slope.
 */
export function fitCadenceLine(runs: readonly CadencePoint[][]): CadenceLine {
  const withData = runs.filter((p) => p.length > 0);
  if (withData.length < MIN_RUNS_FOR_OWN_LINE) return POPULATION_LINE;
  const points = withData.flat();
  const w = points.reduce((a, p) => a + p.weightS, 0);
  if (w <= 0) return POPULATION_LINE;
  const mx = points.reduce((a, p) => a + p.weightS * p.speedMps, 0) / w;
  const my = points.reduce((a, p) => a + p.weightS * p.cadenceSpm, 0) / w;
  const sxx = points.reduce((a, p) => a + p.weightS * (p.speedMps - mx) ** 2, 0) / w;
  const sxy =
    points.reduce((a, p) => a + p.weightS * (p.speedMps - mx) * (p.cadenceSpm - my), 0) / w;
  const slope = Math.sqrt(sxx) >= MIN_SPEED_SD_MPS ? sxy / sxx : POPULATION_LINE.slopeSpmPerMps;
  return {
    interceptSpm: my - slope * mx,
    slopeSpmPerMps: slope,
    basis: 'runner',
    runs: withData.length,
  };
}

export interface MatchedCadence {
  /** Time-weighted speed of the compared points, m/s. */
  speedMps: number;
  /** Time-weighted step rate run, steps/min. */
  actualSpm: number;
  /** What the line expects at the same speeds, steps/min. */
  expectedSpm: number;
  /** (actual − expected) / expected × 100: negative = fewer, longer steps than usual. */
  deltaPct: number;
}

/** A run's step rate compared with the line at the same speeds (like with like). */
export function cadenceVsLine(
  points: readonly CadencePoint[],
  line: CadenceLine,
): MatchedCadence | null {
  const w = points.reduce((a, p) => a + p.weightS, 0);
  if (w <= 0) return null;
  const speed = points.reduce((a, p) => a + p.weightS * p.speedMps, 0) / w;
  const actual = points.reduce((a, p) => a + p.weightS * p.cadenceSpm, 0) / w;
  const expected =
    points.reduce((a, p) => a + p.weightS * expectedCadence(line, p.speedMps), 0) / w;
  return {
    speedMps: speed,
    actualSpm: actual,
    expectedSpm: expected,
    deltaPct: ((actual - expected) / expected) * 100,
  };
}

/**
 * Step length in metres: the device's value when it records one, else speed / step rate
 * (m/s ÷ steps/s). Null without both speed and step rate.
 */
export function stepLengthM(run: LoadRun, form: FormSummary | null): number | null {
  if (form?.deviceStepLengthM) return form.deviceStepLengthM;
  if (run.avgStepLengthM) return run.avgStepLengthM;
  if (run.avgSpeedMps && run.avgCadenceSpm) return run.avgSpeedMps / (run.avgCadenceSpm / 60);
  return null;
}

export interface StepLengthVsLine {
  actualM: number;
  /** Step length the line implies at the run's speed: speed / (expected step rate / 60). */
  expectedM: number;
  /** (actual − expected) / expected × 100: positive = longer strides than usual at that speed. */
  deltaPct: number;
}

/** A run's step length against what the runner's line implies at the same speed. */
export function stepLengthVsLine(
  run: LoadRun,
  form: FormSummary | null,
  line: CadenceLine,
  matched: MatchedCadence,
): StepLengthVsLine | null {
  // Without the device's own step length, a summary's running samples give it (speed / step
  // rate at the matched speeds); a whole-run average would count the walk breaks.
  const actual =
    form?.deviceStepLengthM ??
    (form && form.speedBins.length > 0
      ? matched.speedMps / (matched.actualSpm / 60)
      : stepLengthM(run, form));
  if (actual === null) return null;
  const expected = matched.speedMps / (expectedCadence(line, matched.speedMps) / 60);
  return { actualM: actual, expectedM: expected, deltaPct: ((actual - expected) / expected) * 100 };
}

export interface LateDrop {
  firstFifthSpm: number;
  lastFifthSpm: number;
  /** (last − first) / first × 100: negative = step rate fell late in the run. */
  changePct: number;
  /** Speed change between the fifths in percent; the comparison holds only at similar speed. */
  speedChangePct: number;
}

/** Late-run step-rate change, last fifth vs first fifth of the running time (DESIGN §7). */
export function lateDrop(form: FormSummary | null): LateDrop | null {
  if (!form) return null;
  const {
    firstFifthCadenceSpm: a,
    lastFifthCadenceSpm: b,
    firstFifthSpeedMps: va,
    lastFifthSpeedMps: vb,
  } = form;
  if (!a || !b || !va || !vb) return null;
  if (!isRunningStep(va, a) || !isRunningStep(vb, b)) return null;
  return {
    firstFifthSpm: a,
    lastFifthSpm: b,
    changePct: ((b - a) / a) * 100,
    speedChangePct: ((vb - va) / va) * 100,
  };
}
