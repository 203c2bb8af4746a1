import type { RecordedCheck } from '../checks.ts';
import { currentAdvice } from '../history.ts';
import { ADVICE_LEVELS, type Advice, type AdviceLevel, type Run } from '../model.ts';
import { deliverDue, enqueue } from './deliver.ts';
import { dueFollowUps } from './followups.ts';
import { withReplyButtons } from './replies.ts';
import {
  adviceChangedMessage,
  followUpMessage,
  kneeCheckMessage,
  redFlagReminderMessage,
  reminderMessage,
  type MessageContext,
} from './templates.ts';
import type { DeliveryReport, NotifyDeps } from './deps.ts';

/** Runs that ended longer ago than this are history (a backfill) and never prompt. */
export const PROMPT_WINDOW_S = 48 * 3600;
const LEVEL_KEY = 'notify.adviceLevel';
/** Since when the advice has been "see a clinician" (for the weekly reminder). */
const SEE_DOCTOR_SINCE_KEY = 'notify.seeDoctorSince';
const WEEK_MS = 7 * 86_400_000;

/**
 * While the advice stays at see-doctor (a standing red flag), one reminder a week: the outbox
 * subject names the week, so each is sent once.
 */
async function remindRedFlag(deps: NotifyDeps, advice: Advice): Promise<void> {
  const now = deps.now();
  if (advice.level !== 'see-doctor') {
    deps.store.settings.delete(SEE_DOCTOR_SINCE_KEY);
    return;
  }
  let since = deps.store.settings.text(SEE_DOCTOR_SINCE_KEY);
  if (since === null) {
    since = now.toISOString();
    deps.store.settings.set(SEE_DOCTOR_SINCE_KEY, since, since);
  }
  const weeks = Math.floor((now.getTime() - Date.parse(since)) / WEEK_MS);
  if (weeks < 1) return;
  const ctx = messageContext(deps, advice);
  await enqueue(deps, `red-flag:${since}:${weeks}`, redFlagReminderMessage(weeks, ctx), null);
}

const worse = (a: AdviceLevel, b: AdviceLevel): boolean =>
  ADVICE_LEVELS.indexOf(a) < ADVICE_LEVELS.indexOf(b);

function messageContext(deps: NotifyDeps, advice: Advice): MessageContext {
  const now = deps.now();
  const nowUnix = Math.floor(now.getTime() / 1000);
  return {
    config: deps.config,
    advice,
    recentRuns: deps.store.runs.list({ sinceUnix: nowUnix - 15 * 86400, untilUnix: nowUnix }),
    now,
  };
}

/** Remembers the advice level; true when it is worse than the one remembered. */
function levelGotWorse(deps: NotifyDeps, advice: Advice): boolean {
  const stored = deps.store.settings.text(LEVEL_KEY);
  const before = ADVICE_LEVELS.find((l) => l === stored) ?? null;
  deps.store.settings.set(LEVEL_KEY, advice.level, deps.now().toISOString());
  return before !== null && worse(advice.level, before);
}

/** Runs a notifier step so that nothing it does can fail the caller (DESIGN §9.6). */
async function safely(
  deps: NotifyDeps,
  what: string,
  fn: () => Promise<DeliveryReport>,
): Promise<DeliveryReport> {
  try {
    return await fn();
  } catch (e) {
    deps.log.error(`notify: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    return { sent: 0, retrying: 0, failed: 0 };
  }
}

/** True when a run ended within the prompt window and has not been prompted yet. */
export function wantsPrompt(deps: NotifyDeps, run: Run): boolean {
  const nowMs = deps.now().getTime();
  const endMs = Date.parse(run.startTime) + (run.elapsedTimeS ?? run.movingTimeS ?? 0) * 1000;
  return (
    Date.parse(run.startTime) <= nowMs &&
    nowMs - endMs <= PROMPT_WINDOW_S * 1000 &&
    !deps.store.outbox.hasForRun(run.id, 'knee-check')
  );
}

/**
 * After an import: enqueues a knee-check prompt for each new run (never for history older than
 * 48 h, never twice for one run) and delivers what is due. Never throws: a channel that is down
 * leaves the message in the outbox (DESIGN §9.6, side effects never fail an import).
 */
export function notifyNewRuns(deps: NotifyDeps, runs: readonly Run[]): Promise<DeliveryReport> {
  return safely(deps, 'prompting for new runs', async () => {
    const fresh = runs.filter((r) => wantsPrompt(deps, r));
    const advice = currentAdvice(deps.store, deps.config, deps.now());
    const worse = levelGotWorse(deps, advice);
    if (fresh.length === 0 && !worse) return deliverDue(deps);
    const ctx = messageContext(deps, advice);
    // The newest run gets the prompt (a watch syncing three runs at once asks once).
    const latest = [...fresh].sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))[0];
    if (latest) {
      const prompt = withReplyButtons(deps, kneeCheckMessage(latest, ctx));
      await enqueue(deps, `run:${latest.id}`, prompt, latest.id);
    }
    // The prompt carries the advice already; without one, a worse level gets its own message.
    else await enqueueAdviceChanged(deps, ctx, advice, null);
    return deliverDue(deps);
  });
}

async function enqueueAdviceChanged(
  deps: NotifyDeps,
  ctx: MessageContext,
  before: Advice | null,
  run: Run | null,
): Promise<void> {
  const { advice } = ctx;
  const day = deps.now().toISOString().slice(0, 10);
  const was = before ?? { ...advice, level: 'ok', headline: '', suggestions: [] };
  await enqueue(
    deps,
    `advice:${advice.level}:${day}`,
    adviceChangedMessage(was, run, ctx),
    run?.id ?? null,
  );
}

/** After a knee check: enqueues "advice changed" when the level got worse, and delivers. */
export function notifyCheck(deps: NotifyDeps, recorded: RecordedCheck): Promise<DeliveryReport> {
  return safely(deps, 'notifying about a check', async () => {
    levelGotWorse(deps, recorded.advice);
    if (worse(recorded.advice.level, recorded.before.level)) {
      const ctx = messageContext(deps, recorded.advice);
      await enqueueAdviceChanged(deps, ctx, recorded.before, recorded.run);
    }
    return deliverDue(deps);
  });
}

/** Enqueues the follow-ups and reminders now due, then delivers everything due (retries too). */
export function runDue(deps: NotifyDeps): Promise<DeliveryReport> {
  return safely(deps, 'the follow-up pass', async () => {
    const due = dueFollowUps(deps);
    const advice = currentAdvice(deps.store, deps.config, deps.now());
    await remindRedFlag(deps, advice);
    if (due.length > 0) {
      const ctx = messageContext(deps, advice);
      for (const d of due) {
        const message =
          d.kind === 'follow-up'
            ? followUpMessage(d.run, d.check, ctx)
            : reminderMessage(d.run, ctx);
        await enqueue(deps, `run:${d.run.id}`, withReplyButtons(deps, message), d.run.id);
      }
    }
    return deliverDue(deps);
  });
}
