import type { DateTime } from 'luxon';
import type { Units } from '../format.ts';
import type { Spike } from '../load/spike.ts';
import type { RollingRamp } from '../load/weeks.ts';
import type {
  AdviceLevel,
  Because,
  Clearance,
  FormSummary,
  KneeCheck,
  Run,
  RunId,
  RunMark,
  SuggestionCode,
} from '../model.ts';
import type { Thresholds } from './thresholds.ts';

/** The weekly ramp against a baseline that fits the runner (facts.ts `weeklyRampOf`). */
export interface WeeklyRamp extends RollingRamp {
  /** Average 7 days of the 28 days before the last 7, m. */
  average7DaysM: number;
  /** max(previous 7 days, that average), m. */
  baselineM: number;
  /** last 7 days / baseline (null: no baseline). */
  ratio: number | null;
}

/** One knee, as the per-knee rules see it. */
export type KneeSideAbout = 'left' | 'right';

/** What `advise()` reads: everything stored up to `now`, and the runner's settings. */
export interface AdviceInput {
  /** All stored runs (any order); runs after `now` and excluded runs are ignored. */
  runs: readonly Run[];
  forms: ReadonlyMap<RunId, FormSummary>;
  /** All knee checks (any order, deleted ones left out); checks after `now` are ignored. */
  checks: readonly KneeCheck[];
  /** "A clinician has seen my knee" records; red flags raised before the latest stop standing. */
  clearances?: readonly Clearance[];
  now: Date;
  /** The runner's IANA zone. */
  zone: string;
  units: Units;
  thresholds?: Thresholds;
  /**
   * Running shoes in use and the distance on each, with the distance at which kneecheck suggests
   * a new pair (its own cut-off, km); absent when the runner keeps no shoes.
   */
  shoes?: { pairs: readonly ShoeMileage[]; replaceAtKm: number };
  /**
   * Days in a row with a run, today included, when `runs` may not hold the whole streak (the
   * store counts it from run starts alone); counted from `runs` when absent.
   */
  runStreakDays?: number;
  /**
   * When `runs` hold only recent runs: for each older knee check, the counted run before it
   * (and any started in its second), as marks; a mark of a run also in `runs` is ignored.
   */
  runMarks?: readonly RunMark[];
}

/** A pair of shoes as the replace-shoes rule sees it. */
export interface ShoeMileage {
  name: string;
  /** Distance of the counted runs in the pair, m. */
  distanceM: number;
  /** Put aside: no longer a reason for a tip. */
  retired: boolean;
}

/** One suggestion a rule makes: a code, its words and the reasons behind it. */
export interface Part {
  code: SuggestionCode;
  message: string;
  because: Because[];
  /**
   * A distance target for the next run, m, and its sentence: advise() keeps the most restrictive
   * one of all findings and says it once (science.md "One answer per history").
   */
  target?: { m: number; sentence: string };
}

/** A rule that fired: the level it calls for (`tip`: adds advice, leaves the level), its headline, its suggestions. */
export interface Finding {
  level: AdviceLevel | 'tip';
  headline: string;
  parts: Part[];
}

/**
 * One row of the rule table (`../shared/science.md`, "Rule table") with its evaluation, in one
 * file per rule under `rules/`, listed in `rules/index.ts`.
 */
export interface AdviceRule {
  id: string;
  /** What it looks at, in words. */
  signal: string;
  /** The levels of the table row a finding may have (`tip`: adds advice, leaves the level). */
  levels: readonly (AdviceLevel | 'tip')[];
  codes: readonly SuggestionCode[];
  /** Keys of the source list; `kneecheck` marks a cut-off that is the product's own choice. */
  sources: readonly string[];
  /**
   * `knee`: reads the knee checks and runs once per knee (science.md "Each knee has its own
   * state"), on facts whose checks are about that knee; `load`: reads runs only, runs once.
   */
  scope: 'knee' | 'load';
  evaluate(f: Facts, t: Thresholds): Finding | null;
}

/** What the rules look at, derived once from the input. */
export interface Facts {
  input: AdviceInput;
  now: DateTime;
  nowMs: number;
  /** Runs that count (not excluded) started up to `now`, oldest first, impossible values nulled. */
  runs: Run[];
  /** Their form summaries, a doubled step rate halved (science.md "Impossible numbers"). */
  forms: ReadonlyMap<RunId, FormSummary>;
  /** The latest run when it started within `RECENT_RUN_DAYS` days (facts.ts). */
  recentRun: Run | null;
  /** The knee these facts are about (null: no check names a side, so one knee as said). */
  knee: KneeSideAbout | null;
  /** Every check made up to `now`, oldest first (about `knee`, when set). */
  checks: KneeCheck[];
  /** Checks made after the latest clearance: the ones whose red flags still stand. */
  standing: KneeCheck[];
  /** When the latest clearance was recorded (null: never). */
  clearedAt: string | null;
  /** Checks pain rules may use: about the latest run, or from the last 14 days, oldest first. */
  relevant: KneeCheck[];
  /** The latest relevant check: the knee as last reported. */
  painCheck: KneeCheck | null;
  /** The latest counted run that started at or before `atMs` (a knee check's time). */
  runBefore(atMs: number): RunMark | null;
  /** The run a check is about: the one it names, else the latest before it. */
  aboutRun(c: KneeCheck): RunMark | null;
  /** Hours from the end of the latest run before the check to the check (null: no run before). */
  hoursAfterRun(c: KneeCheck): number | null;
  /** The largest single-run spike among the recent run and the runs of the 24 h before it. */
  spike: (Spike & { run: Run }) | null;
  /**
   * Last 7 days against the baseline (science.md `weekly-ramp`): the larger of the 7 days before
   * and the average 7 days of the 28 days before the last 7, so a light week does not lower the bar.
   */
  ramp: WeeklyRamp;
  /** EWMA acute:chronic ratio at `now`, computed on first use (it is only context). */
  acwr(): number | null;
}
