/**
 * The canonical records every source is turned into (DESIGN §3). Units are in the names:
 * `M` metres, `S` seconds, `Mps` metres per second, `Spm` steps per minute (both feet), `Bpm` beats
 * per minute. Unknown values are `null`, never 0.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Stable id of a stored run, e.g. `fit:1a2b3c4d5e6f` or `strava:123456`. */
export type RunId = Brand<string, 'RunId'>;
/** Hex sha256 of a file's (decompressed) bytes. */
export type Sha256 = Brand<string, 'Sha256'>;

export type SourceKind = 'fit' | 'gpx' | 'tcx' | 'apple-health' | 'strava' | 'intervals';

/**
 * One origin of a run: a FIT, GPX or TCX file (by content hash), an Apple Health workout, a
 * Strava or an intervals.icu activity.
 */
export interface RunSource {
  source: SourceKind;
  /** sha256 of the file's bytes (`<sha>-2`, `-3`, … for later running legs of one file), or the Strava activity id. */
  sourceId: string;
}

/** Warning codes a run can carry. */
export type RunWarning =
  | 'clock-not-set'
  | 'crc-mismatch'
  | 'truncated'
  | 'no-cadence'
  | 'no-distance'
  | 'no-local-time'
  | 'rebuilt-from-records'
  | 'decoded-by-fallback'
  // A FIT file's sessions starting outside its records' time span, or more legs than it can hold,
  // were dropped (issue 21).
  | 'sessions-dropped'
  // science.md "Impossible numbers are not evidence": a value outside the plausible range is
  // nulled (or, for a doubled step rate, halved) and the run says so.
  | 'cadence-halved'
  | 'implausible-step-rate'
  | 'implausible-step-length'
  | 'implausible-speed'
  | 'implausible-distance'
  | 'implausible-duration'
  | 'implausible-heart-rate'
  | 'start-in-future'
  | 'start-before-2000';

/** Why a run counts in no metric (DESIGN §3): the runner said so, or kneecheck found it unusable. */
export interface RunExclusion {
  reason: string;
  by: 'user' | 'kneecheck';
}

/**
 * A run as far as when it happened: what the advice needs of the run before an old knee check
 * (its end, for "worse at rest"), read without the rest of the record.
 */
export type RunMark = Pick<Run, 'id' | 'startTime' | 'elapsedTimeS' | 'movingTimeS'>;

export interface Run {
  id: RunId;
  source: SourceKind;
  sourceId: string;
  sources: RunSource[];
  /** ISO 8601 with the local UTC offset the run was recorded in. */
  startTime: string;
  /** IANA zone name, or a fixed offset zone such as `UTC+2` when only the offset is known. */
  timezone: string;
  sport: string;
  subSport: string | null;
  distanceM: number | null;
  movingTimeS: number | null;
  elapsedTimeS: number | null;
  avgSpeedMps: number | null;
  avgCadenceSpm: number | null;
  avgStepLengthM: number | null;
  avgHeartRateBpm: number | null;
  device: string | null;
  gearId: string | null;
  partial: boolean;
  warnings: RunWarning[];
  /** Set when the run is kept out of every metric (listed, marked); null when it counts. */
  excluded: RunExclusion | null;
}

/** Step rate and speed aggregated in one speed bin of a run. */
export interface SpeedBin {
  /** Lower bound of the bin, m/s (bins are {@link SPEED_BIN_WIDTH_MPS} wide). */
  fromMps: number;
  /** Seconds of running spent in the bin (samples with a step rate only). */
  seconds: number;
  avgSpeedMps: number;
  avgCadenceSpm: number;
}

/** Width of the speed bins of a {@link FormSummary}, m/s. */
export const SPEED_BIN_WIDTH_MPS = 0.25;

/**
 * What later form analysis needs from a run's samples without re-reading its file: step rate by
 * speed (to compare at matched speed), the first and last fifth of the run (late-run drop) and
 * the device's own step length when it records one.
 */
export interface FormSummary {
  speedBins: SpeedBin[];
  /** Mean step rate over the first fifth of the moving time, steps/min. */
  firstFifthCadenceSpm: number | null;
  /** Mean step rate over the last fifth of the moving time, steps/min. */
  lastFifthCadenceSpm: number | null;
  /** Mean speed over the first fifth, m/s (the late-run drop compares like with like). */
  firstFifthSpeedMps: number | null;
  /** Mean speed over the last fifth, m/s. */
  lastFifthSpeedMps: number | null;
  /** Mean of the device-recorded step length, m (null when the device records none). */
  deviceStepLengthM: number | null;
  /** Number of samples the summary was built from. */
  sampleCount: number;
}

/**
 * A run's samples over time, compact: one value per {@link RunSeries.stepS}-second slot from the
 * start (the mean of the samples in it), NaN where the device recorded nothing (a pause, no sensor).
 */
export interface RunSeries {
  /** Width of a slot, seconds (10, or more for runs longer than the slots allow). */
  stepS: number;
  speedMps: Float32Array;
  /** Steps/min, both feet. */
  stepRateSpm: Float32Array;
  heartRateBpm: Float32Array;
}

/** A run as produced by an importer, before it is stored. */
export interface ImportedRun {
  run: Run;
  form: FormSummary | null;
  /** Pace, step rate and heart rate over the run; absent or null when the source has no samples. */
  series?: RunSeries | null;
}

/** A pair of running shoes and the distance run in it (issue 11: shoes matter, mileage per pair). */
export interface Shoe {
  id: number;
  name: string;
  /** `yyyy-MM-dd`: the first day the pair was run in (the default pair is given to runs from then). */
  startedOn: string;
  /** `yyyy-MM-dd` when the pair was put aside; null while in use. */
  retiredOn: string | null;
  /** Strava's gear id (`g123`) when the pair came from the athlete's Strava shoes. */
  stravaGearId: string | null;
  /** New runs get this pair unless their source names another. */
  isDefault: boolean;
  /** Distance of the counted (not excluded) runs in this pair, m. */
  distanceM: number;
  runs: number;
}

/** Where the knee hurts (DESIGN §1). */
export const KNEE_LOCATIONS = ['front', 'inside', 'outside', 'back'] as const;
export type KneeLocation = (typeof KNEE_LOCATIONS)[number];

/** Which knee a check is about (DESIGN §4); null when the runner did not say. */
export const KNEE_SIDES = ['left', 'right', 'both'] as const;
export type KneeSide = (typeof KNEE_SIDES)[number];

/** Where a check was entered (DESIGN §4). */
export const CHECK_VIAS = ['cli', 'web', 'api', 'notification'] as const;
export type CheckVia = (typeof CHECK_VIAS)[number];

/** A knee check: how the knees felt after a run or the next morning. */
export interface KneeCheck {
  id: number;
  /** The run it is about (null: a check not tied to a run). */
  runId: RunId | null;
  /** ISO 8601 instant the check was made. */
  checkedAt: string;
  /** Which knee (null: not said, e.g. checks stored before the question was asked). */
  knee: KneeSide | null;
  /** Where the check was entered. */
  via: CheckVia;
  /** 0 (none) to 10 (worst imaginable); a range's upper bound when answered as one. */
  pain: number;
  /**
   * The answer as given when it was a range (the phone's "6 or more" is `{from: 6, to: 10}`);
   * null or absent: an exact answer. Shown as said, never as an exact number (DESIGN §4).
   */
  painRange?: PainRange | null;
  where: KneeLocation[];
  swelling: boolean;
  locking: boolean;
  givingWay: boolean;
  /** Sharp or constant pain. */
  sharp: boolean;
  /** The pain changed how the runner ran (limp). */
  changedGait: boolean;
  /** Cannot bear weight on the leg (urgent red flag). */
  cannotBearWeight: boolean;
  /** Hot, red knee with fever or feeling unwell (urgent red flag). */
  hotRedFever: boolean;
  note: string | null;
  /**
   * The guide's return test after a stop (GUIDE-2026): walking, squatting, stairs pain-free;
   * null or absent: not asked.
   */
  walkOk?: boolean | null;
  squatOk?: boolean | null;
  stairsOk?: boolean | null;
}

/** A pain answer given as a range, 0–10 both ends, `from` ≤ `to`. */
export interface PainRange {
  from: number;
  to: number;
}

/** "A clinician has seen my knee" (`kneecheck cleared`): red flags raised before it stop standing. */
export interface Clearance {
  id: number;
  /** ISO 8601 instant it was recorded. */
  clearedAt: string;
  note: string | null;
}

/** Advice levels, worst first (DESIGN §4). */
export const ADVICE_LEVELS = ['see-doctor', 'stop', 'ease-off', 'caution', 'ok'] as const;
export type AdviceLevel = (typeof ADVICE_LEVELS)[number];

export const SUGGESTION_CODES = [
  'see-doctor',
  'rest-until-pain-free',
  'ease-off',
  'add-rest-day',
  'shorten-stride',
  'strengthen',
  'stretch',
  'avoid-movements',
  'replace-shoes',
  'return-gradually',
  'keep-going',
] as const;
export type SuggestionCode = (typeof SUGGESTION_CODES)[number];

/** One reason behind a suggestion: the signal, its value, the threshold used and its source. */
export interface Because {
  /** Stable id of the signal, e.g. `run-vs-longest-30-days`. */
  signal: string;
  /** The signal in plain words, for people ("this run vs your longest of the 30 days before"). */
  label: string;
  value: number | string | boolean | null;
  threshold: number | string | null;
  /**
   * A key of the shipped source list (`kneecheck sources`, e.g. `RUNSAFE-2025`), or `kneecheck`
   * for a cut-off that is the product's own choice.
   */
  source: string;
}

export interface Suggestion {
  code: SuggestionCode;
  message: string;
  because: Because[];
}

/** The `advice --json` document (DESIGN §4). */
export interface Advice {
  level: AdviceLevel;
  headline: string;
  suggestions: Suggestion[];
  generatedAt: string;
  /** The return ladder after a stop, when a knee is on it (absent otherwise; red flags suspend it). */
  plan?: ReturnPlan;
}

/** The return ladder as a plan (science.md "The return ladder"; the steps are kneecheck's own). */
export interface ReturnPlan {
  /** The knee it is about (null: the checks did not say). */
  knee: 'left' | 'right' | null;
  /** Today's step, 1-based. */
  step: number;
  /** Each step's session, in order. */
  steps: string[];
  /** What to do today, in words ("Today: step 2 …", "Rest today; step 2 tomorrow"). */
  today: string;
}

/** One calendar week of the `report --json` document (DESIGN §4). */
export interface WeekReport {
  /** Monday, `yyyy-MM-dd`, in the runner's zone. */
  weekStart: string;
  runs: number;
  distanceM: number;
  durationS: number;
  longestRunM: number | null;
  /** (this week − last week) / last week × 100; null when last week had no distance. */
  rampPct: number | null;
  /** EWMA acute:chronic load at the end of the week (context only). */
  acwr: number | null;
  /** Days of the week without a run (up to today for the current week). */
  restDays: number;
  avgCadenceSpm: number | null;
  avgStepLengthM: number | null;
  /** Highest pain reported in a check made during the week; null without checks. */
  maxPain: number | null;
  /**
   * When that highest pain was answered as a range (and no exact answer reached it): the range,
   * shown as said ("6 or more"), never as its top.
   */
  maxPainRange?: PainRange | null;
}

export interface Report {
  timezone: string;
  weeks: WeekReport[];
}

/** The yes/no answers of a knee check, in the order forms ask them. */
export const KNEE_FLAGS = [
  'swelling',
  'locking',
  'givingWay',
  'sharp',
  'changedGait',
  'cannotBearWeight',
  'hotRedFever',
] as const satisfies readonly (keyof KneeCheck)[];
export type KneeFlag = (typeof KNEE_FLAGS)[number];

/** The yes/no answers of a knee check, all "no": a check reporting only pain and where. */
export const NO_KNEE_FLAGS = {
  swelling: false,
  locking: false,
  givingWay: false,
  sharp: false,
  changedGait: false,
  cannotBearWeight: false,
  hotRedFever: false,
} as const satisfies Record<KneeFlag, false>;

/** Units a person reads distances and paces in (KNEECHECK_UNITS). */
export type Units = 'metric' | 'imperial';

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

/**
 * What an import made of the files it was given (`kneecheck import --json`, `POST /api/import`,
 * DESIGN §4): `file` as given, a zip member as `archive.zip!inner/path`; `of` is the id of the run
 * already stored.
 */
export interface ImportReport {
  imported: { file: string; run: Run }[];
  duplicates: { file: string; of: RunId }[];
  skipped: { file: string; reason: string }[];
  failed: { file: string; error: string }[];
}
