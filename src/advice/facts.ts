import { DateTime } from 'luxon';
import { ewmaAcwr } from '../load/acwr.ts';
import { spikeOf, type Spike } from '../load/spike.ts';
import { rollingRamp, type RollingRamp } from '../load/weeks.ts';
import type { KneeCheck, Run } from '../model.ts';
import type { AdviceInput } from './advise.ts';

/** Checks older than this no longer drive pain rules (a new check is asked for after each run). */
export const CHECK_RELEVANCE_DAYS = 14;
/** A run older than this no longer drives single-run rules (spike, strides). */
export const RECENT_RUN_DAYS = 7;

/** What the rules look at, derived once from the input. */
export interface Facts {
  input: AdviceInput;
  now: DateTime;
  /** Runs started up to `now`, oldest first. */
  runs: Run[];
  /** The latest run when it started within {@link RECENT_RUN_DAYS} days. */
  recentRun: Run | null;
  /** Checks made up to `now` within {@link CHECK_RELEVANCE_DAYS} days, oldest first. */
  checks: KneeCheck[];
  latestCheck: KneeCheck | null;
  /** The recent run against the longest of its previous 30 days (null without a recent run). */
  spike: Spike | null;
  /** Last 7 days against the 7 before. */
  ramp: RollingRamp;
  /** EWMA acute:chronic ratio at `now`, computed on first use (it is only context). */
  acwr(): number | null;
}

/** Epoch ms of an ISO 8601 instant (Date.parse: fast, and exact for the offsets stored). */
const ms = (iso: string) => Date.parse(iso);

export function factsOf(input: AdviceInput): Facts {
  const now = DateTime.fromJSDate(input.now).setZone(input.zone);
  const nowMs = now.toMillis();
  const runs = input.runs
    .filter((r) => ms(r.startTime) <= nowMs)
    .sort((a, b) => ms(a.startTime) - ms(b.startTime));
  const latest = runs.at(-1) ?? null;
  const recentRun =
    latest && nowMs - ms(latest.startTime) <= RECENT_RUN_DAYS * 86_400_000 ? latest : null;
  const checks = input.checks
    .filter(
      (c) =>
        ms(c.checkedAt) <= nowMs && nowMs - ms(c.checkedAt) <= CHECK_RELEVANCE_DAYS * 86_400_000,
    )
    .sort((a, b) => ms(a.checkedAt) - ms(b.checkedAt) || a.id - b.id);
  let acwr: number | null | undefined;
  return {
    input,
    now,
    runs,
    recentRun,
    checks,
    latestCheck: checks.at(-1) ?? null,
    spike: recentRun ? spikeOf(recentRun, runs) : null,
    ramp: rollingRamp(runs, input.zone, input.now),
    acwr: () => (acwr ??= ewmaAcwr(runs, input.zone, input.now).ratio),
  };
}

/** "Tue 24 Nov", in the runner's zone. */
export function day(iso: string, zone: string): string {
  return DateTime.fromISO(iso).setZone(zone).toFormat('ccc d LLL');
}

/** Run end instant, ms: start + elapsed (or moving) time. */
export function runEndMs(run: Run): number {
  return ms(run.startTime) + (run.elapsedTimeS ?? run.movingTimeS ?? 0) * 1000;
}

export { ms };
