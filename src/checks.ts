import type { Config } from './config/index.ts';
import { KneecheckError } from './errors.ts';
import { currentAdvice } from './history.ts';
import type { Advice, KneeCheck, Run, RunId } from './model.ts';
import type { Store } from './store/index.ts';

/** A knee check as the CLI, the web form and a notification's one-tap answer submit it. */
export type CheckInput = Omit<KneeCheck, 'id' | 'checkedAt' | 'runId'>;

export interface RecordedCheck {
  check: KneeCheck;
  run: Run;
  /** The advice just before and just after the check (to tell when it got worse). */
  before: Advice;
  advice: Advice;
}

/** The run a check is about: the one named, else the latest that started by `now`. */
export function chooseRun(store: Store, runId: string | undefined | null, now: Date): Run {
  if (runId === undefined || runId === null || runId === '') {
    const [latest] = store.runs.list({ untilUnix: Math.floor(now.getTime() / 1000), limit: 1 });
    if (!latest) {
      throw new KneecheckError(
        'no runs yet: import a run first (kneecheck import <file-or-folder>), or pass a run id',
      );
    }
    return latest;
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

/** Stores a knee check about a run (default: the latest) and returns the advice around it. */
export function recordCheck(
  store: Store,
  config: Pick<Config, 'timezone' | 'units' | 'thresholds'>,
  now: Date,
  runId: string | undefined | null,
  input: CheckInput,
): RecordedCheck {
  const run = chooseRun(store, runId, now);
  const before = currentAdvice(store, config, now);
  const check = store.checks.add({ ...input, runId: run.id, checkedAt: now.toISOString() });
  return { check, run, before, advice: currentAdvice(store, config, now) };
}
