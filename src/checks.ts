import type { Config } from './config/index.ts';
import { KneecheckError } from './errors.ts';
import { currentAdvice } from './history.ts';
import type { Advice, Clearance, KneeCheck, Run, RunId } from './model.ts';
import type { Store } from './store/index.ts';

/**
 * A knee check as the CLI, the web form and a notification's one-tap answer submit it; `knee`
 * defaults to not said, `via` to the command line.
 */
export type CheckInput = Omit<KneeCheck, 'id' | 'checkedAt' | 'runId' | 'knee' | 'via'> &
  Partial<Pick<KneeCheck, 'knee' | 'via'>>;

/** The answers of a check: what an edit can change (its id, run, time and `via` stay). */
export type CheckAnswers = Omit<KneeCheck, 'id' | 'checkedAt' | 'runId' | 'via'>;

/** A form sent twice within this long, with the same run and answers, is one check, s. */
export const DOUBLE_SUBMIT_S = 60;

export interface RecordedCheck {
  check: KneeCheck;
  /** True when the same check had just been stored (a double submit): nothing new was stored. */
  duplicate?: boolean;
  /** The run it is about (null: a check about the knee now, not tied to a run). */
  run: Run | null;
  /** The advice just before and just after the check (to tell when it got worse). */
  before: Advice;
  advice: Advice;
}

/** A check is about the latest run when it started at most this long ago (DESIGN §4). */
export const CHECK_RUN_WINDOW_H = 48;

/**
 * The run a check is about: the one named; with `noRun`, none; else the latest run that started
 * within 48 h of `now` (none when there is no such run: a check about the knee now, e.g. on a
 * rest day or before any run is imported — science.md, "A knee check needs no run").
 */
export function chooseRun(
  store: Store,
  runId: string | undefined | null,
  now: Date,
  noRun = false,
): Run | null {
  if (noRun) {
    if (runId) {
      throw new KneecheckError(
        `give either a run id (${JSON.stringify(runId)}) or --no-run, not both`,
      );
    }
    return null;
  }
  if (runId === undefined || runId === null || runId === '') {
    const nowUnix = Math.floor(now.getTime() / 1000);
    const [latest] = store.runs.list({ untilUnix: nowUnix, limit: 1 });
    if (!latest) return null;
    const ageH = (now.getTime() - Date.parse(latest.startTime)) / 3_600_000;
    return ageH <= CHECK_RUN_WINDOW_H ? latest : null;
  }
  const run = store.runs.get(runId as RunId);
  if (!run) {
    throw new KneecheckError(
      `run id ${JSON.stringify(runId)}: no such run; \`kneecheck runs\` lists the ids ` +
        '(or leave it out to use the latest run)',
    );
  }
  if (Date.parse(run.startTime) > now.getTime()) {
    throw new KneecheckError(
      `run id ${JSON.stringify(runId)}: that run starts after the current time ` +
        `(${now.toISOString()}, KNEECHECK_NOW); a check can only be about a run already done`,
    );
  }
  return run;
}

/**
 * Stores a knee check about a run (default: the latest within 48 h; none with `noRun` or when
 * there is no recent run) and returns the advice around it.
 */
export function recordCheck(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  runId: string | undefined | null,
  input: CheckInput,
  noRun = false,
): RecordedCheck {
  const run = chooseRun(store, runId, now, noRun);
  const before = currentAdvice(store, config, now);
  const answers = {
    ...input,
    knee: input.knee ?? null,
    via: input.via ?? 'cli',
    runId: run?.id ?? null,
  };
  const nowUnix = Math.floor(now.getTime() / 1000);
  const same = store.checks.findSame(answers, nowUnix - DOUBLE_SUBMIT_S);
  if (same) return { check: same, duplicate: true, run, before, advice: before };
  const check = store.checks.add({ ...answers, checkedAt: now.toISOString() });
  return { check, run, before, advice: currentAdvice(store, config, now) };
}

/** What changing the record did: the advice before and after. */
export interface Changed<T> {
  value: T;
  before: Advice;
  advice: Advice;
}

/** The check with this id, or an error that says how to find the ids. */
function existing(store: Store, id: number): KneeCheck {
  const check = store.checks.get(id);
  if (!check) {
    throw new KneecheckError(`check ${id}: no such check; \`kneecheck checks\` lists the ids`);
  }
  return check;
}

/** A correction: the check after it, the run it is about, and the advice around it. */
export interface EditedCheck extends Changed<KneeCheck> {
  run: Run | null;
}

/** Corrects the answers of a check (its run, time and `via` stay); the advice follows at once. */
export function editCheck(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  id: number,
  answers: CheckAnswers,
): EditedCheck {
  const check = existing(store, id);
  const before = currentAdvice(store, config, now);
  store.checks.update(id, answers);
  const value = store.checks.get(id) ?? { ...check, ...answers };
  const run = check.runId ? store.runs.get(check.runId) : null;
  return { value, run, before, advice: currentAdvice(store, config, now) };
}

/**
 * Keeps a run out of every metric (`reason` in the runner's words) or, with `reason` undefined,
 * counts it again; it stays listed either way (DESIGN §3).
 */
export function setRunExcluded(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  id: string,
  exclude: { reason: string } | null,
): Changed<Run> {
  const run = store.runs.get(id as RunId);
  if (!run) {
    throw new KneecheckError(
      `run id ${JSON.stringify(id)}: no such run; \`kneecheck runs\` lists the ids`,
    );
  }
  const before = currentAdvice(store, config, now);
  store.runs.setExcluded(
    run.id,
    exclude ? { reason: exclude.reason, by: 'user' } : null,
    now.toISOString(),
  );
  const value = store.runs.get(run.id) ?? run;
  return { value, before, advice: currentAdvice(store, config, now) };
}

/** Deletes a check as a mistake (undo within 30 days); its red flags stop standing at once. */
export function deleteCheck(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  id: number,
): Changed<KneeCheck> {
  const check = store.checks.get(id);
  if (!check) {
    throw new KneecheckError(`check ${id}: no such check; \`kneecheck checks\` lists the ids`);
  }
  const before = currentAdvice(store, config, now);
  store.checks.delete(id, now.toISOString());
  return { value: check, before, advice: currentAdvice(store, config, now) };
}

/** Brings back the last deleted check. */
export function undoDelete(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
): Changed<KneeCheck> {
  const before = currentAdvice(store, config, now);
  const check = store.checks.undoDelete(now.toISOString());
  if (!check) throw new KneecheckError('nothing to undo: no check was deleted in the last 30 days');
  return { value: check, before, advice: currentAdvice(store, config, now) };
}

/** Records that a clinician has seen the knee: red flags raised before now stop standing. */
export function recordClearance(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  note: string | null,
): Changed<Clearance> {
  const before = currentAdvice(store, config, now);
  const clearance = store.checks.addClearance(now.toISOString(), note);
  return { value: clearance, before, advice: currentAdvice(store, config, now) };
}
