import type { Config, EnvName } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Advice, Run, RunId } from '../model.ts';

/**
 * What a message is about. DESIGN §6 names `knee-check`, `follow-up` and `advice-changed`;
 * `reminder` (a prompt never answered) and `test` (`kneecheck notify test`) are added.
 */
export const MESSAGE_KINDS = [
  'knee-check',
  'follow-up',
  'reminder',
  'advice-changed',
  'test',
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
