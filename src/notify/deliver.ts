import { secretValues } from '../config/index.ts';
import { maskSecrets } from '../log.ts';
import type { RunId } from '../model.ts';
import type { OutboxItem } from '../store/outbox.ts';
import type { DeliveryReport, NotifyDeps } from './deps.ts';
import { enabledChannels } from './registry.ts';
import { peekReplyTopic } from './reply-topic.ts';
import { DeliveryError, type Channel, type ChannelName, type Message } from './types.ts';

/** A failing message is retried for this long after it was stored, then given up. */
export const GIVE_UP_AFTER_S = 24 * 3600;
/** One send may take this long before it counts as failed (and is retried). */
export const SEND_TIMEOUT_MS = 10_000;
/** Waits between attempts: 30 s, 1, 2, 5, 10, 30 min, then hourly (until 24 h). */
const BACKOFF_S = [30, 60, 120, 300, 600, 1800, 3600];

export const backoffS = (attempts: number): number =>
  BACKOFF_S[Math.min(attempts, BACKOFF_S.length) - 1] ?? 30;

const unavailable = new Map<string, Promise<string | null>>();

function probe(
  ch: Channel,
  check: NonNullable<Channel['unavailable']>,
  deps: NotifyDeps,
): Promise<string | null> {
  let reason = unavailable.get(ch.name);
  if (!reason) {
    reason = check(deps.config).catch((e: unknown) => String(e));
    unavailable.set(ch.name, reason);
    void reason.then((r) => {
      if (r) deps.log.warn(`notify: ${ch.name} notifications are unavailable: ${r}`);
    });
  }
  return reason;
}

/**
 * The enabled channels that can deliver on this machine. An unavailable channel (desktop
 * notifications without a display) is left out with one warning per process.
 */
export async function activeChannels(deps: NotifyDeps): Promise<Channel[]> {
  const all = deps.channels ?? enabledChannels(deps.config);
  const out: Channel[] = [];
  for (const ch of all) {
    if (ch.unavailable && (await probe(ch, ch.unavailable.bind(ch), deps))) continue;
    out.push(ch);
  }
  return out;
}

/**
 * Stores `message` for every active channel (or only `only`), once per subject × kind × channel.
 */
export async function enqueue(
  deps: NotifyDeps,
  subject: string,
  message: Message,
  runId: RunId | null,
  only?: ChannelName,
): Promise<number> {
  const now = deps.now();
  const nowUnix = Math.floor(now.getTime() / 1000);
  let stored = 0;
  const channels = (await activeChannels(deps)).filter(
    (c) => only === undefined || c.name === only,
  );
  deps.store.batch(() => {
    for (const ch of channels) {
      const added = deps.store.outbox.enqueue(
        {
          subject,
          kind: message.type,
          channel: ch.name,
          runId,
          message: JSON.stringify(message),
          dueUnix: nowUnix,
          giveUpUnix: nowUnix + GIVE_UP_AFTER_S,
        },
        now.toISOString(),
      );
      if (added) stored++;
    }
  });
  return stored;
}

/**
 * Sends every message due now, each channel's in order and the channels side by side. A send that
 * fails is retried later with backoff, unless retrying cannot help or 24 h have passed.
 */
export async function deliverDue(deps: NotifyDeps): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  const replyTopic = peekReplyTopic(deps.store);
  const secrets = [...secretValues(deps.config), ...(replyTopic === null ? [] : [replyTopic])];
  const byName = new Map<string, Channel>(
    (deps.channels ?? enabledChannels(deps.config)).map((c) => [c.name, c]),
  );
  for (;;) {
    const nowUnix = Math.floor(deps.now().getTime() / 1000);
    const items = deps.store.outbox.claimDue(nowUnix, 50);
    if (items.length === 0) return report;
    const groups = new Map<string, OutboxItem[]>();
    for (const item of items) groups.set(item.channel, [...(groups.get(item.channel) ?? []), item]);
    await Promise.all(
      [...groups].map(async ([name, list]) => {
        for (const item of list) {
          const ch = byName.get(name);
          const outcome = await sendOne(deps, ch, item, secrets, nowUnix, replyTopic);
          report[outcome]++;
        }
      }),
    );
  }
}

async function sendOne(
  deps: NotifyDeps,
  channel: Channel | undefined,
  item: OutboxItem,
  secrets: string[],
  nowUnix: number,
  replyTopic: string | null,
): Promise<'sent' | 'retrying' | 'failed'> {
  const log = deps.log.child({ channel: item.channel, kind: item.kind, subject: item.subject });
  const { outbox } = deps.store;
  if (!channel) {
    outbox.markFailed(item.id, 'the channel is no longer configured');
    log.warn('notify: dropped a message for a channel that is no longer configured');
    return 'failed';
  }
  try {
    const message = JSON.parse(item.message) as Message;
    await channel.send(message, {
      config: deps.config,
      log,
      signal: AbortSignal.timeout(deps.sendTimeoutMs ?? SEND_TIMEOUT_MS),
      deliveryId: `${item.kind}:${item.subject}:${item.channel}:${item.id}`,
      replyTopic,
    });
    outbox.markSent(item.id, deps.now().toISOString());
    log.info('notify: sent', { attempts: item.attempts });
    return 'sent';
  } catch (e) {
    const error = maskSecrets(e instanceof Error ? e.message : String(e), secrets);
    const retryable = !(e instanceof DeliveryError) || e.retryable;
    const due = nowUnix + backoffS(item.attempts);
    if (!retryable || due > item.giveUpUnix) {
      outbox.markFailed(item.id, error);
      log.error(`notify: gave up: ${error}`, { attempts: item.attempts });
      return 'failed';
    }
    outbox.markRetry(item.id, error, due);
    log.warn(`notify: will retry in ${due - nowUnix} s: ${error}`, { attempts: item.attempts });
    return 'retrying';
  }
}
