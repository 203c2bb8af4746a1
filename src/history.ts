import { advise, type AdviceInput } from './advice/advise.ts';
import { CHECK_RELEVANCE_DAYS } from './advice/facts.ts';
import type { Config } from './config/index.ts';
import { dayNumberOf, localDayNumber } from './load/days.ts';
import { plausibleRun } from './load/plausible.ts';
import { buildReport } from './load/report.ts';
import type {
  Advice,
  Clearance,
  FormSummary,
  KneeCheck,
  Report,
  Run,
  RunId,
  RunMark,
  Shoe,
} from './model.ts';
import type { Store } from './store/index.ts';

/** What the advice and the report are computed from: everything up to "now". */
export interface History {
  /** Runs that started at or before now, newest first. */
  runs: Run[];
  forms: Map<RunId, FormSummary>;
  /** Checks made at or before now, oldest first (deleted ones left out). */
  checks: KneeCheck[];
  /** "A clinician has seen my knee" records up to now, oldest first. */
  clearances: Clearance[];
  /** Running shoes with their distance, and where kneecheck suggests a new pair (km). */
  shoes?: { pairs: Shoe[]; replaceAtKm: number };
  /**
   * Days in a row with a counted run up to today, counted over every stored run: read when only
   * some runs are (a {@link HistoryNeed} with advice), where `runs` may not hold the whole streak.
   */
  runStreakDays?: number;
  /** With advice from only some runs: the run before each older knee check, as a mark. */
  runMarks?: RunMark[];
}

/** Runs that count in metrics: an excluded run stays listed but counts in none (DESIGN §4). */
export const counted = (runs: readonly Run[]): Run[] => runs.filter((r) => r.excluded === null);

/** Days without a counted run after which kneecheck says there are no recent runs. */
export const RECENT_RUN_DAYS = 28;

/**
 * The latest run that counts, and whether it started within {@link RECENT_RUN_DAYS} of `now`:
 * without recent runs there is no load to judge, so no page shows a green "OK" (issue 11).
 */
export function recency(history: History, now: Date): { latest: Run | null; recent: boolean } {
  const latest = counted(history.runs)[0] ?? null;
  const recent =
    latest !== null && now.getTime() - Date.parse(latest.startTime) <= RECENT_RUN_DAYS * 86_400_000;
  return { latest, recent };
}

/**
 * Days of runs an answer reads before the first day it shows: the 28-day EWMA of the ACWR keeps
 * under a millionth of what lies further back (0.931^180), so older runs cannot move a figure
 * shown to two decimals; the advice's own look-backs (60 days of strides, 120 days of re-checked
 * runs, the 28-day "recent run") fit inside.
 */
export const LOOKBACK_DAYS = 180;
/** A comeback rule reads the 30 days before the break (see {@link loadHistory}). */
export const BEFORE_BREAK_DAYS = 30;

/**
 * What an answer shows: `weeks` calendar weeks up to now (0: none), and whether the advice is
 * computed from it (with the threshold that decides who is a new runner). With it,
 * {@link loadHistory} reads only the runs that answer needs.
 */
export interface HistoryNeed {
  weeks: number;
  advice: Pick<Config, 'timezone' | 'thresholds'> | null;
}

/**
 * Days in a row with a counted run, today included (days in `zone`), or 0 without a run today:
 * only a streak that includes today is counted by the advice (the "no rest day" rule needs a run
 * on each of the last 7 days, today included). Reads run starts newest first and stops at the
 * first day without a run, so a streak of years is counted without reading its runs.
 */
function streakDays(store: Store, untilUnix: number, now: Date, zone: string): number {
  let day = dayNumberOf(now, zone) + 1;
  let days = 0;
  for (const r of store.runs.countedStarts(untilUnix)) {
    const d = localDayNumber(r.startTime, zone);
    if (d === day) continue;
    if (day - d > 1) break;
    day = d;
    days++;
  }
  return days;
}

/**
 * Unix seconds from which {@link loadHistory} with a need of `weeks` reads every run: the weeks
 * shown (and the current one) plus {@link LOOKBACK_DAYS}. Older runs in such a history are only
 * the few its rules name (see there).
 */
export function windowSinceUnix(now: Date, weeks: number): number {
  return Math.floor(now.getTime() / 1000) - ((weeks + 1) * 7 + LOOKBACK_DAYS) * 86_400;
}

/**
 * Loads the history as of `now` in a few queries. Runs and checks after `now` are left out, so
 * that `KNEECHECK_NOW` replays the state of any past moment.
 *
 * Without `need`, every run is read (pages that list them all). With it, only the runs the
 * answer reads, and form summaries only for those: the runs of the weeks shown (and the current
 * one) plus {@link LOOKBACK_DAYS} before them; the latest counted run before that with the
 * {@link BEFORE_BREAK_DAYS} up to it (the run before a long break for the comeback rule and the
 * last run for "no recent runs"; a history as long, for the ACWR's "28 days of history"); and,
 * for the advice, at least a few more runs than make a new runner and, for each knee check of the
 * last {@link CHECK_RELEVANCE_DAYS} days, the run it is about; for older checks (red flags stand
 * until cleared, however old) only the run before each as a mark ({@link History.runMarks}); a
 * running streak that is still going is counted from the run starts alone
 * ({@link History.runStreakDays}). Beyond that, the time taken no longer
 * grows with the years of runs stored. `advise()` and `reportOf()` give the same answer as from
 * the whole history (test/history-window.test.ts).
 */
export function loadHistory(store: Store, now: Date, need?: HistoryNeed): History {
  const untilUnix = Math.floor(now.getTime() / 1000);
  const sinceUnix = need ? windowSinceUnix(now, need.weeks) : null;
  // Knee checks the pain rules read bring their runs whole; older ones only the run before them,
  // as a mark (red flags stand until cleared: "worse at rest" compares checks of any age).
  const checksSince = untilUnix - CHECK_RELEVANCE_DAYS * 86_400;
  const runs = need
    ? store.runs.listWindow({
        sinceUnix: sinceUnix ?? 0,
        untilUnix,
        beforeS: BEFORE_BREAK_DAYS * 86_400,
        atLeast: need.advice ? need.advice.thresholds.newRunnerRuns + 5 : 1,
        advice: need.advice !== null,
        checksSinceUnix: checksSince,
      })
    : store.runs.list({ untilUnix });
  return {
    runs,
    ...(need?.advice
      ? {
          runStreakDays: streakDays(store, untilUnix, now, need.advice.timezone),
          runMarks: store.runs.marksBeforeChecks(checksSince),
        }
      : {}),
    // Form summaries only for the span shown and its look-back: the older runs of a window (the
    // run before each knee check, before a break) are read for their start, length and time.
    forms: store.runs.forms(
      (sinceUnix === null
        ? runs
        : runs.filter((r) => Date.parse(r.startTime) >= sinceUnix * 1000)
      ).map((r) => r.id),
    ),
    checks: store.checks.list(untilUnix),
    clearances: store.checks.clearances(untilUnix),
    shoes: { pairs: store.shoes.list(), replaceAtKm: store.shoes.replaceAtKm() },
  };
}

/** The input of `advise()` for this history, with the runner's settings from the config. */
export function adviceInput(
  history: History,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
): AdviceInput {
  return {
    runs: counted(history.runs),
    forms: history.forms,
    checks: history.checks,
    clearances: history.clearances,
    now,
    zone: config.timezone,
    units: config.units,
    thresholds: config.thresholds,
    ...(history.runStreakDays === undefined ? {} : { runStreakDays: history.runStreakDays }),
    ...(history.runMarks === undefined ? {} : { runMarks: history.runMarks }),
    ...(history.shoes
      ? {
          shoes: {
            pairs: history.shoes.pairs.map((p) => ({
              name: p.name,
              distanceM: p.distanceM,
              retired: p.retiredOn !== null,
            })),
            replaceAtKm: history.shoes.replaceAtKm,
          },
        }
      : {}),
  };
}

/** The advice as of `now`, from everything stored (CLI `advice`, `/api/advice`, notifications). */
export function currentAdvice(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
): Advice {
  const need = { weeks: 0, advice: config };
  return advise(adviceInput(loadHistory(store, now, need), config, now));
}

/** The weekly report (`report --json`, `/api/report`, the dashboard) of this history. */
export function reportOf(
  history: History,
  config: Pick<Config, 'timezone'>,
  now: Date,
  weeks: number,
): Report {
  // Records stored before imports were checked for impossible values are checked here too, for
  // the weeks shown (and the month before them, which their ramp and ACWR read).
  const from = now.getTime() - (weeks + 5) * 7 * 86_400_000;
  const runs = counted(history.runs)
    .map((r) =>
      Date.parse(r.startTime) < from ? r : plausibleRun({ run: r, form: null }, now).run,
    )
    .filter((r) => r.excluded === null);
  return buildReport({
    runs,
    forms: history.forms,
    checks: history.checks,
    zone: config.timezone,
    now,
    weeks,
  });
}
