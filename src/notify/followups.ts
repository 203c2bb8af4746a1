import { DateTime } from 'luxon';
import { parse } from 'node-cron';
import type { KneeCheck, Run, RunId } from '../model.ts';
import type { NotifyDeps } from './deps.ts';

/** A follow-up or reminder that is due now. */
export type DueFollowUp =
  { kind: 'follow-up'; run: Run; check: KneeCheck } | { kind: 'reminder'; run: Run };

/** A morning slot this soon after the check is too soon to ask again: the next one is used. */
const MIN_GAP_H = 6;
/** A slot missed by more than this (kneecheck was not running) is not caught up any more. */
const STALE_AFTER_H = 36;
const LOOKBACK_S = 4 * 86400;

/** Hour and minute of the follow-up schedule (KNEECHECK_FOLLOWUP_CRON), default 08:00. */
export function slotTime(cron: string): { hour: number; minute: number } {
  try {
    const f = parse(cron);
    return { hour: f.hour[0] ?? 8, minute: f.minute[0] ?? 0 };
  } catch {
    return { hour: 8, minute: 0 };
  }
}

/**
 * The morning a follow-up is due: the first follow-up slot, in the runner's zone, at least 6 h
 * after `iso` (a check at 22:00 is asked about at 08:00 the next day; one at 07:00 too).
 */
export function nextMorning(iso: string, zone: string, cron: string): DateTime {
  const at = DateTime.fromISO(iso).setZone(zone);
  const { hour, minute } = slotTime(cron);
  let slot = at.set({ hour, minute, second: 0, millisecond: 0 });
  while (slot.diff(at, 'hours').hours < MIN_GAP_H) slot = slot.plus({ days: 1 });
  return slot;
}

/**
 * What is due now: a follow-up for each run whose latest check reported pain (once per run), and
 * a reminder for each prompted run nobody answered (once per run), both at the next morning slot.
 */
export function dueFollowUps(deps: NotifyDeps): DueFollowUp[] {
  const { store, config } = deps;
  const now = DateTime.fromJSDate(deps.now());
  const nowUnix = Math.floor(now.toSeconds());
  const isDue = (iso: string): boolean => {
    const slot = nextMorning(iso, config.timezone, config.followupCron);
    return now >= slot && now.diff(slot, 'hours').hours < STALE_AFTER_H;
  };
  const out: DueFollowUp[] = [];

  const latest = new Map<RunId, KneeCheck>();
  for (const c of store.checks.list(nowUnix)) {
    if (c.runId && Date.parse(c.checkedAt) / 1000 >= nowUnix - LOOKBACK_S) latest.set(c.runId, c);
  }
  for (const [runId, check] of latest) {
    if (check.pain === 0 || !isDue(check.checkedAt)) continue;
    if (store.outbox.hasForRun(runId, 'follow-up')) continue;
    const run = store.runs.get(runId);
    if (run) out.push({ kind: 'follow-up', run, check });
  }

  for (const run of store.runs.list({ sinceUnix: nowUnix - LOOKBACK_S, untilUnix: nowUnix })) {
    if (latest.has(run.id) || store.checks.forRun(run.id).length > 0) continue;
    if (!store.outbox.hasForRun(run.id, 'knee-check')) continue;
    if (store.outbox.hasForRun(run.id, 'reminder')) continue;
    const end = DateTime.fromISO(run.startTime).plus({ seconds: run.elapsedTimeS ?? 0 });
    if (isDue(end.toISO() ?? run.startTime)) out.push({ kind: 'reminder', run });
  }
  return out;
}
