import { dbProblemOf, dbProblemText, type DbProblem } from '../errors.ts';
import { maskSecrets, type LogFields, type Logger } from '../log.ts';
import type { NotifyDeps } from '../notify/deps.ts';
import { readReplyStream, replyStreamTarget } from '../notify/ntfy-stream.ts';
import { finishIdleSeries, handleReply } from '../notify/replies.ts';
import { replySince, replyTopic, setReplySince } from '../notify/reply-topic.ts';

/** Waits between reconnects, in ms: 1, 2, 5, 10, 30 s, then every minute. */
/** An answer the database could not take now: the reply stream is read again from before it. */
class HeldReply extends Error {
  override readonly name = 'HeldReply';
  readonly problem: DbProblem;
  constructor(problem: DbProblem) {
    super(`the database cannot store answers now (${problem}); they are read again later`);
    this.problem = problem;
  }
}

export const RECONNECT_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000] as const;
/** How often series left halfway are looked for, in ms. */
const SWEEP_EVERY_MS = 60_000;
/** A stream this young may still be replaying a backlog: series are not closed yet, in ms. */
const SETTLE_MS = 5_000;
/** A stream open this long counts as healthy: the next reconnect waits the shortest time, in ms. */
const STAYED_UP_MS = 60_000;

export interface ReplySubscriberDeps {
  notify: NotifyDeps;
  fetch?: typeof fetch;
  /** Waits `ms` or until `signal` aborts (tests pass one that does not wait). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  backoffMs?: readonly number[];
  /** No byte for this long is a dead connection, in ms (default 120 s; ntfy keepalive: 45 s). */
  idleTimeoutMs?: number;
}

export interface ReplySubscriberStatus {
  connected: boolean;
  /** Connections opened so far. */
  connections: number;
  /** Replies handled so far (applied or ignored). */
  replies: number;
  lastError: string | null;
}

export interface ReplySubscriber {
  status(): ReplySubscriberStatus;
  /** Records the series left halfway (normally every minute while connected). */
  sweep(): Promise<number>;
  /** Resolves once the stream has handled `n` replies in total (tests). */
  handled(n: number): Promise<void>;
  close(): Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** A logger that masks `secrets` in every message and string field. */
export function maskingLogger(log: Logger, secrets: readonly string[]): Logger {
  const fields = (f?: LogFields): LogFields | undefined =>
    f &&
    Object.fromEntries(
      Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? maskSecrets(v, secrets) : v]),
    );
  return {
    debug: (m, f) => log.debug(maskSecrets(m, secrets), fields(f)),
    info: (m, f) => log.info(maskSecrets(m, secrets), fields(f)),
    warn: (m, f) => log.warn(maskSecrets(m, secrets), fields(f)),
    error: (m, f) => log.error(maskSecrets(m, secrets), fields(f)),
    child: (f) => maskingLogger(log.child(f), secrets),
  };
}

/**
 * Listens for answers on the reply topic (DESIGN §6): a long-lived `GET <server>/<topic>/json`
 * stream opened outward, so the daemon can stay on loopback. It reconnects with backoff and
 * resumes with `since=<last id handled>` (kept in the store), so no answer is lost across
 * restarts or dropped connections; each answer is applied once (see `handleReply`). Null when
 * NOTIFY_NTFY_URL is not set.
 */
export function startReplySubscriber(deps: ReplySubscriberDeps): ReplySubscriber | null {
  const { store, config, now } = deps.notify;
  const ntfyUrl = config.notify.ntfyUrl;
  if (ntfyUrl === null) return null;
  const topic = replyTopic(store, now());
  const target = replyStreamTarget(ntfyUrl, config.notify.ntfyToken, topic);
  const log = maskingLogger(deps.notify.log, target.secrets);
  const notify: NotifyDeps = { ...deps.notify, log };
  const sleep = deps.sleep ?? defaultSleep;
  const backoff = deps.backoffMs ?? RECONNECT_BACKOFF_MS;
  const stop = new AbortController();
  const state: ReplySubscriberStatus = {
    connected: false,
    connections: 0,
    replies: 0,
    lastError: null,
  };
  let openedAt = 0;
  const waiters: { n: number; resolve: () => void }[] = [];

  let held: DbProblem | null = null;
  const onMessage = async (e: { id: string; time: number; message?: string }): Promise<void> => {
    try {
      await handleReply(notify, { id: e.id, time: e.time, message: e.message ?? '' });
      // Moved on even after an error: one bad message must not be replayed forever.
      setReplySince(store, e.id, now());
    } catch (err) {
      const problem = dbProblemOf(err);
      if (problem === null) {
        log.error(`notify: a reply could not be applied: ${String(err)}`, { replyId: e.id });
        try {
          setReplySince(store, e.id, now());
        } catch {
          // The answer is dropped (it was bad); a later one moves the place on.
        }
      } else {
        // The database cannot take it now (a full disk, a busy or read-only file): the answer is
        // not lost. The stream ends here and reconnects after the backoff from the last answer
        // stored; the ntfy server keeps messages for hours (issue 21 item 5).
        if (held !== problem) {
          log.warn(`notify: an answer from the phone waits: ${dbProblemText(problem)}`, {
            replyId: e.id,
          });
        }
        held = problem;
        throw new HeldReply(problem);
      }
    }
    if (held !== null) log.info('notify: answers from the phone are stored again');
    held = null;
    state.replies++;
    for (const w of waiters.filter((x) => state.replies >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  const loop = async (): Promise<void> => {
    let attempt = 0;
    while (!stop.signal.aborted) {
      try {
        await readReplyStream({
          target,
          since: replySince(store),
          signal: stop.signal,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(deps.idleTimeoutMs ? { idleTimeoutMs: deps.idleTimeoutMs } : {}),
          onOpen: () => {
            state.connected = true;
            state.connections++;
            openedAt = Date.now();
            log.info('notify: listening for answers on the ntfy reply topic');
          },
          onMessage,
        });
      } catch (e) {
        state.lastError = maskSecrets(e instanceof Error ? e.message : String(e), target.secrets);
        // A held answer was said once, when the database first refused it.
        if (!(e instanceof HeldReply)) log.warn(`notify: reply stream: ${state.lastError}`);
      }
      // A stream that stayed up a while starts the backoff over; one that closes at once does not.
      if (state.connected && Date.now() - openedAt > STAYED_UP_MS) attempt = 0;
      state.connected = false;
      if (stop.signal.aborted) break;
      await sleep(backoff[Math.min(attempt, backoff.length - 1)] ?? 60_000, stop.signal);
      attempt++;
    }
  };
  const running = loop();

  const sweep = (): Promise<number> => finishIdleSeries(notify);
  const timer = setInterval(() => {
    if (state.connected && Date.now() - openedAt > SETTLE_MS) void sweep();
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    status: () => ({ ...state }),
    sweep,
    handled: (n) =>
      state.replies >= n
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
    async close() {
      clearInterval(timer);
      stop.abort();
      await running;
    },
  };
}
