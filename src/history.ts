import { advise, type AdviceInput } from './advice/advise.ts';
import type { Config } from './config/index.ts';
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
}

/** Runs that count in metrics: an excluded run stays listed but counts in none (DESIGN §4). */
export const counted = (runs: readonly Run[]): Run[] => runs.filter((r) => r.excluded === null);

/**
 * Loads the history as of `now` in three queries. Runs and checks after `now` are left out, so
 * that `KNEECHECK_NOW` replays the state of any past moment.
 */
export function loadHistory(store: Store, now: Date): History {
  const untilUnix = Math.floor(now.getTime() / 1000);
  const runs = store.runs.list({ untilUnix });
  return {
    runs,
    forms: store.runs.forms(runs.map((r) => r.id)),
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
  return advise(adviceInput(loadHistory(store, now), config, now));
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
