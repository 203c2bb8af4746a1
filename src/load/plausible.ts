import type {
  FormSummary,
  ImportedRun,
  Run,
  RunExclusion,
  RunWarning,
  SpeedBin,
} from '../model.ts';

/*
 * science.md, "Standing rules" → "Impossible numbers are not evidence": a step rate outside
 * 100–250 steps/min while running, a step length over 2.5 m, an average speed over 7 m/s, a run
 * over 48 h or 250 km, or a start before 2000 or in the future is a recording fault: it is kept
 * out of every metric and rule, with a warning on the run. A step rate recorded doubled (about
 * 280–420 "steps/min" at jogging speed) is halved, with a warning. Issue 21 added lower bounds
 * and consistency (a step under 0.3 m; moving time ≤ elapsed; speed = distance / moving time;
 * at least 1.0 m/s; distance and time > 0): the lead forwards them to science.md.
 */

/** Lowest plausible running step rate, steps/min (science.md "Impossible numbers are not evidence"). */
export const MIN_STEP_RATE_SPM = 100;
/** Highest plausible running step rate, steps/min (science.md, same rule). */
export const MAX_STEP_RATE_SPM = 250;
/** A step rate in this range (steps/min) is read as doubled (science.md: "about 280–420"). */
export const DOUBLED_STEP_RATE_SPM = { min: 280, max: 420 } as const;
/** Longest plausible step, m (science.md, same rule). */
export const MAX_STEP_LENGTH_M = 2.5;
/** Shortest plausible running step, m: below it the step rate or the distance is wrong (issue 21). */
export const MIN_STEP_LENGTH_M = 0.3;
/**
 * Slowest plausible average running speed over the moving time, m/s (16:40 min/km, slower than a
 * brisk walk): 5 km in 47 h is not a run but a recording fault (issue 21).
 */
export const MIN_SPEED_MPS = 1.0;
/**
 * How far a recorded average speed may differ from distance / moving time, as a fraction of the
 * larger: devices round and some average over a slightly different time, but 6.9 m/s for 1 km in
 * 2 h means one of the three numbers is wrong (kneecheck's choice).
 */
export const SPEED_AGREEMENT_FRACTION = 0.25;
/**
 * How much longer than the elapsed time the moving time may be, s and fraction of the elapsed
 * time (whichever is more): the two are rounded and written at slightly different instants.
 */
export const MOVING_OVER_ELAPSED_TOLERANCE = { s: 60, fraction: 0.02 } as const;
/** Fastest plausible average running speed, m/s (science.md, same rule). */
export const MAX_SPEED_MPS = 7;
/** Longest plausible run, m (science.md: "a run over … 250 km"). */
export const MAX_DISTANCE_M = 250_000;
/** Longest plausible run, s (science.md: "a run over 48 h"). */
export const MAX_DURATION_S = 48 * 3600;
/**
 * Plausible average heart rate while running, beats/min. science.md names no bound; kneecheck's
 * own choice: below 30 no one is running, above 250 no adult heart beats (the strap is wrong).
 */
export const HEART_RATE_BPM = { min: 30, max: 250 } as const;
/** Runs starting before this instant are recording faults (science.md: "a start before 2000"). */
export const EARLIEST_START = Date.UTC(2000, 0, 1);
/**
 * How far past `now` a start may be before it counts as "in the future" (science.md), ms: a watch
 * clock a few minutes fast is not a fault (kneecheck's choice).
 */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;
/**
 * A record without a local offset may carry local time written as UTC (merge.ts): its start can
 * be up to 14 h ahead of the true instant, so such a record gets that much more leeway, ms.
 */
export const NO_LOCAL_TIME_TOLERANCE_MS = 14 * 3600 * 1000;

const inRange = (v: number, min: number, max: number): boolean => v >= min && v <= max;

const plausibleRate = (spm: number): boolean => inRange(spm, MIN_STEP_RATE_SPM, MAX_STEP_RATE_SPM);

/**
 * Is `spm` a step rate recorded doubled? It lies in the doubled range, its half is a plausible
 * running step rate, and — when the speed is known — the halved rate gives a plausible step
 * (speed / half the rate ≤ 2.5 m) at a plausible speed.
 */
export function isDoubledStepRate(spm: number, speedMps: number | null): boolean {
  if (!inRange(spm, DOUBLED_STEP_RATE_SPM.min, DOUBLED_STEP_RATE_SPM.max)) return false;
  const half = spm / 2;
  if (!plausibleRate(half)) return false;
  if (speedMps === null) return true;
  return speedMps > 0 && speedMps <= MAX_SPEED_MPS && speedMps / (half / 60) <= MAX_STEP_LENGTH_M;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

const nonNegativeAtMost = (v: number | null, max: number): boolean =>
  v === null || (Number.isFinite(v) && v >= 0 && v <= max);

/** A step rate (steps/min) of the form summary, halved when the run's was, else checked alone. */
function formRate(
  spm: number | null,
  speedMps: number | null,
  halved: boolean,
  warn: (w: RunWarning) => void,
): number | null {
  if (spm === null) return null;
  let v = halved ? spm / 2 : spm;
  if (!halved && isDoubledStepRate(v, speedMps)) {
    v /= 2;
    warn('cadence-halved');
  }
  if (!Number.isFinite(v) || !plausibleRate(v)) return null;
  return round(v, 2);
}

function plausibleForm(
  form: FormSummary,
  halved: boolean,
  warn: (w: RunWarning) => void,
): FormSummary {
  const speedBins: SpeedBin[] = [];
  for (const bin of form.speedBins) {
    if (!nonNegativeAtMost(bin.avgSpeedMps, MAX_SPEED_MPS)) continue;
    const spm = formRate(bin.avgCadenceSpm, bin.avgSpeedMps, halved, warn);
    if (spm === null) continue;
    speedBins.push({ ...bin, avgCadenceSpm: spm });
  }
  const speed = (v: number | null) => (nonNegativeAtMost(v, MAX_SPEED_MPS) ? v : null);
  const firstSpeed = speed(form.firstFifthSpeedMps);
  const lastSpeed = speed(form.lastFifthSpeedMps);
  const step = form.deviceStepLengthM;
  return {
    ...form,
    speedBins,
    firstFifthCadenceSpm: formRate(form.firstFifthCadenceSpm, firstSpeed, halved, warn),
    lastFifthCadenceSpm: formRate(form.lastFifthCadenceSpm, lastSpeed, halved, warn),
    firstFifthSpeedMps: firstSpeed,
    lastFifthSpeedMps: lastSpeed,
    deviceStepLengthM:
      step !== null && step >= MIN_STEP_LENGTH_M && step <= MAX_STEP_LENGTH_M ? step : null,
  };
}

/** Why a run's start keeps it out of every metric, or null when the start is usable. */
function startProblem(
  run: Run,
  now: Date,
  warn: (w: RunWarning) => void,
): RunExclusion['reason'] | null {
  const start = Date.parse(run.startTime);
  if (Number.isNaN(start) || start < EARLIEST_START || run.warnings.includes('clock-not-set')) {
    warn('start-before-2000');
    return run.warnings.includes('clock-not-set')
      ? "the watch's clock was not set when it recorded this run (start before 2000)"
      : 'the run starts before 2000: a recording fault';
  }
  const tolerance =
    FUTURE_TOLERANCE_MS + (run.warnings.includes('no-local-time') ? NO_LOCAL_TIME_TOLERANCE_MS : 0);
  if (start > now.getTime() + tolerance) {
    warn('start-in-future');
    return `the run starts in the future (${run.startTime}): the watch's clock is wrong`;
  }
  return null;
}

/**
 * Why the run's distance, times and speed cannot belong to one run (issue 21: moving time
 * longer than elapsed, 0 m in 0 s, 5 km in 47 h, 6.9 m/s for 1 km in 2 h), or null when they
 * agree. Reads the values left after the per-field checks; adds the matching warning.
 */
function consistencyProblem(run: Run, warn: (w: RunWarning) => void): string | null {
  const { distanceM: d, movingTimeS: moving, elapsedTimeS: elapsed, avgSpeedMps: v } = run;
  const tol = MOVING_OVER_ELAPSED_TOLERANCE;
  if (
    moving !== null &&
    elapsed !== null &&
    moving > elapsed + Math.max(tol.s, tol.fraction * elapsed)
  ) {
    warn('implausible-duration');
    return `its moving time (${Math.round(moving)} s) is longer than its elapsed time (${Math.round(elapsed)} s): a recording fault`;
  }
  const time = moving !== null && moving > 0 ? moving : elapsed;
  if ((d === null || d === 0) && (time === null || time === 0)) {
    warn('implausible-duration');
    return 'it holds no distance and no time (0 m in 0 s): nothing was recorded';
  }
  if (d !== null && d > 0 && time === 0) {
    warn('implausible-duration');
    return `it covers ${Math.round(d)} m in 0 s: a recording fault`;
  }
  const speed = d !== null && d > 0 && time !== null && time > 0 ? d / time : null;
  if (speed !== null && v !== null && v > 0 && !agree(speed, v, SPEED_AGREEMENT_FRACTION)) {
    warn('implausible-speed');
    return `its average speed (${v} m/s) does not match its distance over its moving time (${round(speed, 2)} m/s): a recording fault`;
  }
  const slowest = speed ?? (v !== null && v > 0 ? v : null);
  if (slowest !== null && slowest < MIN_SPEED_MPS) {
    warn('implausible-speed');
    return `its average speed (${round(slowest, 2)} m/s) is slower than a walk (under ${MIN_SPEED_MPS} m/s): not a run`;
  }
  return null;
}

const agree = (a: number, b: number, fraction: number): boolean =>
  Math.abs(a - b) <= fraction * Math.max(a, b);

/**
 * Applies science.md's "Impossible numbers are not evidence" to a run before it is stored:
 * impossible values become `null` with an `implausible-*` warning, a doubled step rate is halved
 * (`cadence-halved`) in the run and its form summary, and a start before 2000, from an unset
 * clock or in the future (beyond `now` + {@link FUTURE_TOLERANCE_MS}), or distance, times and
 * speed that cannot belong to one run (moving longer than elapsed, 0 m in 0 s, an average
 * speed that is not distance / moving time, slower than {@link MIN_SPEED_MPS}) exclude the run
 * (`excluded.by = "kneecheck"`). Pure: `now` is passed in; the input is not modified.
 */
export function plausibleRun(imported: ImportedRun, now: Date): ImportedRun {
  const run: Run = { ...imported.run, warnings: [...imported.run.warnings] };
  const warnings = new Set<RunWarning>(run.warnings);
  const warn = (w: RunWarning) => warnings.add(w);

  if (!nonNegativeAtMost(run.distanceM, MAX_DISTANCE_M)) {
    run.distanceM = null;
    warn('implausible-distance');
  }
  // 0 m with a time (a treadmill run without a foot pod) is a distance not known, not a 0 km run.
  if (run.distanceM === 0 && ((run.movingTimeS ?? 0) > 0 || (run.elapsedTimeS ?? 0) > 0)) {
    run.distanceM = null;
    warn('implausible-distance');
  }
  for (const key of ['movingTimeS', 'elapsedTimeS'] as const) {
    if (!nonNegativeAtMost(run[key], MAX_DURATION_S)) {
      run[key] = null;
      warn('implausible-duration');
    }
  }
  if (!nonNegativeAtMost(run.avgSpeedMps, MAX_SPEED_MPS)) {
    run.avgSpeedMps = null;
    warn('implausible-speed');
  }
  // Distance over moving time faster than anyone runs: one of the two is wrong. The distance is
  // dropped, because an inflated distance is what misleads the load rules (a week of 832 km).
  const time = run.movingTimeS ?? run.elapsedTimeS;
  if (run.distanceM !== null && time !== null && time > 0 && run.distanceM / time > MAX_SPEED_MPS) {
    run.distanceM = null;
    warn('implausible-distance');
  }

  let halved = false;
  if (run.avgCadenceSpm !== null) {
    const spm = run.avgCadenceSpm;
    // Importers derive the step length as speed / step rate when the device gives none: such a
    // step length shares the step rate's fault.
    const speed = run.avgSpeedMps;
    const derived =
      speed !== null &&
      run.avgStepLengthM !== null &&
      Math.abs(speed / (spm / 60) - run.avgStepLengthM) <= 0.01;
    if (isDoubledStepRate(spm, speed)) {
      halved = true;
      run.avgCadenceSpm = round(spm / 2, 2);
      warn('cadence-halved');
      if (derived && speed !== null) run.avgStepLengthM = round(speed / (spm / 2 / 60), 3);
    } else if (!Number.isFinite(spm) || !plausibleRate(spm)) {
      run.avgCadenceSpm = null;
      if (derived) run.avgStepLengthM = null;
      warn('implausible-step-rate');
    }
  }
  const step = run.avgStepLengthM;
  if (
    step !== null &&
    (!Number.isFinite(step) || step < MIN_STEP_LENGTH_M || step > MAX_STEP_LENGTH_M)
  ) {
    run.avgStepLengthM = null;
    warn('implausible-step-length');
  }
  const hr = run.avgHeartRateBpm;
  if (
    hr !== null &&
    (!Number.isFinite(hr) || !inRange(hr, HEART_RATE_BPM.min, HEART_RATE_BPM.max))
  ) {
    run.avgHeartRateBpm = null;
    warn('implausible-heart-rate');
  }

  const form = imported.form ? plausibleForm(imported.form, halved, warn) : null;
  const reason = startProblem(run, now, warn) ?? consistencyProblem(run, warn);
  if (reason !== null && run.excluded === null) run.excluded = { reason, by: 'kneecheck' };
  run.warnings = [...warnings];
  return { run, form };
}

/** Plausible range of each numeric field of a {@link Run}, in the field's unit (science.md). */
export const PLAUSIBLE_RANGES = {
  distanceM: [0, MAX_DISTANCE_M],
  movingTimeS: [0, MAX_DURATION_S],
  elapsedTimeS: [0, MAX_DURATION_S],
  avgSpeedMps: [0, MAX_SPEED_MPS],
  avgCadenceSpm: [MIN_STEP_RATE_SPM, MAX_STEP_RATE_SPM],
  avgStepLengthM: [MIN_STEP_LENGTH_M, MAX_STEP_LENGTH_M],
  avgHeartRateBpm: [HEART_RATE_BPM.min, HEART_RATE_BPM.max],
} as const satisfies Partial<Record<keyof Run, readonly [number, number]>>;

/** Is this field of the run known and within its {@link PLAUSIBLE_RANGES}? */
export function isPlausibleField(run: Run, key: keyof typeof PLAUSIBLE_RANGES): boolean {
  const v = run[key];
  const [min, max] = PLAUSIBLE_RANGES[key];
  return v !== null && Number.isFinite(v) && v >= min && v <= max;
}

/** Warnings that say a record is damaged: only a prefix of the file could be trusted. */
const DAMAGE: ReadonlySet<RunWarning> = new Set<RunWarning>(['crc-mismatch', 'truncated']);

/**
 * Is the record whole and free of impossible values (not partial, no CRC or truncation fault, no
 * `implausible-*` warning)? A record that is not may never replace one that is (merge.ts).
 */
export function isCleanRecord(run: Run): boolean {
  return !run.partial && !hasImplausibleValue(run) && !run.warnings.some((w) => DAMAGE.has(w));
}

/** Does the run carry a warning that one of its values was impossible (science.md)? */
export function hasImplausibleValue(run: Run): boolean {
  return run.warnings.some((w) => w.startsWith('implausible-'));
}
