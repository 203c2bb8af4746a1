import { randomBytes, timingSafeEqual } from 'node:crypto';
import { recordCheck } from '../checks.ts';
import { KneecheckError } from '../errors.ts';
import { currentAdvice } from '../history.ts';
import type { Run } from '../model.ts';
import type { Store } from '../store/index.ts';
import type { ReplyPrompt, ReplySeries } from '../store/replies.ts';
import { deliverDue, enqueue } from './deliver.ts';
import { replyTopic } from './reply-topic.ts';
import type { NotifyDeps } from './deps.ts';
import { isTestReply } from './reply-check.ts';
import { notedMessage, stepMessage } from './reply-messages.ts';
import {
  choicesOf,
  isChoice,
  isStep,
  nextStep,
  seriesCheck,
  type StepName,
} from './reply-steps.ts';
import type { Message } from './types.ts';

/** A run's first prompt may be answered for this long, in seconds (the prompt window). */
export const PROMPT_TTL_S = 48 * 3600;
/** A series left halfway is recorded this long after its last answer, in seconds. */
export const SERIES_IDLE_S = 30 * 60;

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** Answers come back through ntfy when the ntfy channel is configured. */
export const repliesEnabled = (deps: Pick<NotifyDeps, 'config'>): boolean =>
  deps.config.notify.ntfyUrl !== null;

const ANSWERABLE: readonly Message['type'][] = ['knee-check', 'follow-up', 'reminder'];

function newPrompt(store: Store, seriesId: string, step: StepName, atUnix: number, ttlS: number) {
  const prompt = { id: token(12), seriesId, step, nonce: token(16), createdUnix: atUnix };
  store.replies.addPrompt({ ...prompt, expiresUnix: atUnix + ttlS });
  return prompt;
}

/**
 * Gives a run's prompt its answer buttons ("No pain", "Some pain", "Hurts") when answers come
 * back through ntfy: stores a new series and its first prompt (with a random nonce). Other
 * messages are returned as they are.
 */
export function withReplyButtons(deps: NotifyDeps, message: Message): Message {
  if (!repliesEnabled(deps) || message.runId === null || !ANSWERABLE.includes(message.type)) {
    return message;
  }
  const nowUnix = Math.floor(deps.now().getTime() / 1000);
  replyTopic(deps.store, deps.now());
  const seriesId = token(12);
  const runId = message.runId;
  const prompt = deps.store.batch(() => {
    deps.store.replies.addSeries(seriesId, runId, nowUnix);
    return newPrompt(deps.store, seriesId, 'start', nowUnix, PROMPT_TTL_S);
  });
  return {
    ...message,
    reply: { promptId: prompt.id, nonce: prompt.nonce, runId, choices: choicesOf('start') },
    sequenceKey: `series:${seriesId}`,
  };
}

/** One message from the reply topic's JSON stream (https://docs.ntfy.sh/subscribe/api/). */
export interface ReplyMessage {
  id: string;
  /** When ntfy received it (the tap), unix seconds. */
  time: number;
  message: string;
}

/** What became of one reply: applied, or ignored with the reason (logged). */
export type ReplyOutcome =
  | { status: 'applied'; step: StepName; answer: string; recorded: boolean }
  | { status: 'ignored'; reason: string };

interface Answer {
  promptId: string;
  answer: string;
  nonce: string;
}

function parseAnswer(text: string): Answer | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (o.v !== 1) return null;
  const { promptId, answer, nonce } = o;
  if (typeof promptId !== 'string' || typeof answer !== 'string' || typeof nonce !== 'string') {
    return null;
  }
  return { promptId, answer, nonce };
}

const sameNonce = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Checks one answer against the prompt it names and stores it once; the reason when not. */
function accept(store: Store, a: Answer, atUnix: number): { prompt: ReplyPrompt } | string {
  const prompt = store.replies.prompt(a.promptId);
  if (!prompt) return 'no prompt with this id was sent by this kneecheck';
  if (!sameNonce(prompt.nonce, a.nonce)) return 'the nonce does not match the prompt (forged)';
  if (prompt.answer !== null) return 'the prompt was answered already (a repeat)';
  if (atUnix > prompt.expiresUnix) return 'the prompt had expired when it was answered';
  if (!isStep(prompt.step) || !isChoice(prompt.step, a.answer)) {
    return `"${a.answer.slice(0, 40)}" is not one of the prompt's answers`;
  }
  if (store.replies.series(prompt.seriesId)?.status !== 'open') {
    return 'its check was recorded already';
  }
  return store.replies.answer(prompt, a.answer, atUnix) ? { prompt } : 'answered already';
}

/**
 * Applies one message from the reply topic: an answer to a prompt this kneecheck sent, with its
 * nonce, before it expired, once (a repeated delivery or a second tap is ignored). The next
 * question is sent, or, when the series is complete, the check is recorded (`via:
 * "notification"`) and the advice is sent. Anything else is ignored and logged.
 */
export async function handleReply(deps: NotifyDeps, m: ReplyMessage): Promise<ReplyOutcome> {
  const a = parseAnswer(m.message);
  if (a !== null && isTestReply(a.promptId, a.answer)) {
    deps.log.info('notify: a test reply came back through the ntfy server', { replyId: m.id });
    return { status: 'ignored', reason: 'a test reply (kneecheck notify test)' };
  }
  const result =
    a === null ? 'not a kneecheck answer' : deps.store.batch(() => accept(deps.store, a, m.time));
  if (typeof result === 'string' || a === null) {
    const reason = typeof result === 'string' ? result : 'not a kneecheck answer';
    deps.log.warn(`notify: ignored a reply: ${reason}`, { replyId: m.id });
    return { status: 'ignored', reason };
  }
  const { prompt } = result;
  const step = prompt.step as StepName;
  deps.log.info('notify: reply received', { step, answer: a.answer });
  const series = deps.store.replies.series(prompt.seriesId);
  if (!series) return { status: 'ignored', reason: 'the series is gone (its run was deleted)' };
  // While a knee is stopped, "No pain" goes on to the return test (science.md "The return ladder").
  const stopped =
    step === 'start' && currentAdvice(deps.store, deps.config, deps.now()).level === 'stop';
  const next = nextStep(step, a.answer, { returnTest: stopped });
  if (next === null) {
    await finishSeries(deps, series);
    return { status: 'applied', step, answer: a.answer, recorded: true };
  }
  const p = newPrompt(deps.store, series.id, next, m.time, SERIES_IDLE_S);
  const run = series.runId ? deps.store.runs.get(series.runId) : null;
  const reply = { promptId: p.id, nonce: p.nonce, runId: series.runId, choices: choicesOf(next) };
  const msg = stepMessage(run, next, reply, `series:${series.id}`, deps.config);
  await enqueue(deps, `step:${p.id}`, msg, series.runId, 'ntfy');
  await deliverDue(deps);
  return { status: 'applied', step, answer: a.answer, recorded: false };
}

/** Records the check of a series (once) and sends the advice that follows. */
async function finishSeries(deps: NotifyDeps, series: ReplySeries): Promise<void> {
  const fresh = deps.store.replies.series(series.id);
  if (!fresh || fresh.status !== 'open') return;
  const answered = seriesCheck(fresh.answers);
  const run: Run | null = fresh.runId ? deps.store.runs.get(fresh.runId) : null;
  const recorded = deps.store.batch(() => {
    const rec = recordCheck(
      deps.store,
      deps.config,
      deps.now(),
      run?.id ?? null,
      answered.input,
      run === null,
    );
    if (!deps.store.replies.markRecorded(fresh.id, rec.check.id)) {
      throw new KneecheckError('the series was recorded by another process meanwhile');
    }
    return rec;
  });
  deps.log.info('notify: knee check recorded from the phone', {
    checkId: recorded.check.id,
    pain: recorded.check.pain,
  });
  const msg = notedMessage(recorded, answered, `series:${fresh.id}`, deps.config);
  await enqueue(deps, `noted:${fresh.id}`, msg, run?.id ?? null, 'ntfy');
  await deliverDue(deps);
}

/**
 * Records the series a runner left halfway: those whose last answer is more than 30 min old.
 * Call it only while the reply stream is live (a backlog of answers comes first).
 */
export async function finishIdleSeries(deps: NotifyDeps): Promise<number> {
  const nowUnix = Math.floor(deps.now().getTime() / 1000);
  const idle = deps.store.replies.stale(nowUnix - SERIES_IDLE_S);
  for (const s of idle) {
    try {
      await finishSeries(deps, s);
    } catch (e) {
      deps.log.error(`notify: could not record a check left halfway: ${String(e)}`);
    }
  }
  return idle.length;
}
