import type { AdviceInput } from '../advice/advise.ts';
import type { FormSummary, KneeCheck, Run, RunId } from '../model.ts';
import type { Store } from '../store/index.ts';
import type { CommandContext } from './context.ts';

/** What the advice and the report are computed from: everything up to "now". */
export interface History {
  /** Runs that started at or before now, newest first. */
  runs: Run[];
  forms: Map<RunId, FormSummary>;
  /** Checks made at or before now, oldest first. */
  checks: KneeCheck[];
}

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
  };
}

/** The input of `advise()` for this history, with the runner's settings from the config. */
export function adviceInput(history: History, ctx: CommandContext, now: Date): AdviceInput {
  return {
    runs: history.runs,
    forms: history.forms,
    checks: history.checks,
    now,
    zone: ctx.config.timezone,
    units: ctx.config.units,
    thresholds: ctx.config.thresholds,
  };
}
