import type { Config, EnvName } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Advice, Run, RunId } from '../model.ts';

/**
 * What a message is about. DESIGN §6 names `knee-check`, `follow-up` and `advice-changed`;
 * `reminder` (a prompt never answered) and `test` (`kneecheck notify test`) are added, and for
 * answers on the phone through ntfy (ntfy only): `check-step` (the next question of a series) and
 * `check-noted` (the check as recorded, with the advice that follows).
 */
export const MESSAGE_KINDS = [
  'knee-check',
  'follow-up',
  'reminder',
  'advice-changed',
  'test',
  'check-step',
  'check-noted',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A one-tap answer: the channel posts `{ runId, pain, where: [] }` to `<apiUrl>/api/checks`. */
export interface MessageAction {
  label: string;
  pain: number;
}

/** One rendered notification, the same for every channel (each picks what it can show). */
export interface Message {
  type: MessageKind;
  runId: RunId | null;
  title: string;
  /** Plain-text body. */
  message: string;
  /** HTML body (email). */
  html: string;
  /** The run page with the knee-check form, when the daemon's URL is known. */
  checkUrl: string | null;
  run: Run | null;
  advice: Advice | null;
  priority: 'low' | 'default' | 'high';
  /** Short tags (ntfy shows them as emoji or labels). */
  tags: string[];
  /** One-tap answers; empty when there is nothing to answer or no daemon to answer to. */
  actions: MessageAction[];
  /** The daemon's base URL for actions (`POST <apiUrl>/api/checks`), or null. */
  apiUrl: string | null;
  /**
   * True when `checkUrl` is the daemon's own address (no `KNEECHECK_PUBLIC_URL`): a phone cannot
   * open it, so ntfy leaves it out and publishes {@link Message.phoneText} instead (DESIGN §6).
   */
  linkIsLocal?: boolean;
  /** `message` without the link to the daemon. */
  phoneText?: string;
  /** Buttons answered through the ntfy reply topic (ntfy only; other channels keep their links). */
  reply?: ReplyButtons;
  /**
   * The key of the ntfy sequence id: every message of one series has the same one, so each
   * replaces the last on the phone. Absent: the outbox's delivery id.
   */
  sequenceKey?: string;
  /** Extra view button (e.g. "Open in kneecheck"), only ever a public URL. */
  link?: { label: string; url: string };
}

/** One prompt's answer buttons: each POSTs `{v, promptId, runId, answer, nonce}` to the reply topic. */
export interface ReplyButtons {
  promptId: string;
  nonce: string;
  runId: RunId | null;
  choices: { answer: string; label: string }[];
}

/** The webhook payload (DESIGN §6). */
export const webhookPayload = (m: Message) => ({
  type: m.type,
  runId: m.runId,
  title: m.title,
  message: m.message,
  checkUrl: m.checkUrl,
  run: m.run,
  advice: m.advice,
});

/** A setting a channel reads; secrets are shown as `****` by `notify status` and in logs. */
export interface ChannelSetting {
  env: EnvName;
  value: string | null;
  secret: boolean;
  /**
   * The URL's last path segment is a password too: an ntfy topic, which anyone who knows it can
   * read and publish to (https://docs.ntfy.sh/publish/). Shown as `****`.
   */
  secretPath?: boolean;
}

export interface SendContext {
  config: Config;
  log: Logger;
  /** Aborted when the send takes too long; channels pass it to their I/O. */
  signal: AbortSignal;
  /**
   * The outbox's key of this message for this channel, the same on every retry: receivers can
   * drop a repeat (a send cut off after it arrived is sent again). Absent for `notify test`.
   */
  deliveryId?: string;
  /** The reply topic's name (a secret, never logged), when answers come back through ntfy. */
  replyTopic?: string | null;
}

/** A failed delivery; `retryable` false means retrying cannot help (e.g. a 400 or bad address). */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeliveryError';
    this.retryable = opts.retryable;
  }
}

export const CHANNEL_NAMES = ['console', 'ntfy', 'webhook', 'email', 'desktop'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** One notification channel (DESIGN §9.2): one file per channel, listed in `registry.ts`. */
export interface Channel {
  readonly name: ChannelName;
  /** The settings this channel reads, with secrets marked. */
  settings(config: Config): ChannelSetting[];
  /** True when the config turns this channel on. */
  enabled(config: Config): boolean;
  /**
   * Why the channel cannot deliver on this machine (e.g. no display for desktop notifications),
   * or null when it can. Checked once per process; an unavailable channel is skipped with one warning.
   */
  unavailable?(config: Config): Promise<string | null>;
  /** Delivers one message, or throws (a DeliveryError when the cause is known). */
  send(message: Message, ctx: SendContext): Promise<void>;
}
