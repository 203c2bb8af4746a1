import { ntfyTopicSecrets, type Config } from '../../config/index.ts';
import { phoneFit } from '../templates.ts';
import {
  DeliveryError,
  type Channel,
  type ChannelSetting,
  type Message,
  type ReplyButtons,
} from '../types.ts';
import { ntfySequenceId } from './delivery-id.ts';
import { post, splitCredentials } from './http.ts';

/** ntfy shows at most three buttons per notification and rejects a message with more. */
export const NTFY_MAX_ACTIONS = 3;

/** ntfy's priorities: 1 min … 3 default … 5 max. */
const PRIORITY: Record<Message['priority'], number> = { low: 2, default: 3, high: 4 };

/** One ntfy action button (https://docs.ntfy.sh/publish/#action-buttons). */
export type NtfyAction =
  | { action: 'view'; label: string; url: string; clear?: boolean }
  | {
      action: 'http';
      label: string;
      url: string;
      method: 'POST';
      headers: Record<string, string>;
      body: string;
      clear: boolean;
    };

/** The JSON ntfy accepts on its root URL (https://docs.ntfy.sh/publish/#publish-as-json). */
export interface NtfyPublish {
  topic: string;
  title: string;
  message: string;
  priority: number;
  tags: string[];
  click?: string;
  actions?: NtfyAction[];
  /** The same on every retry of one message: ntfy replaces instead of repeating (2.16+). */
  sequence_id?: string;
}

/**
 * Where to publish: ntfy's JSON API lives on the server root, so a topic URL such as
 * `https://ntfy.example.com/base/my-knees` splits into root `https://ntfy.example.com/base/` and
 * topic `my-knees` (a server behind a path prefix keeps the prefix).
 */
export function ntfyTarget(topicUrl: string): { root: URL; topic: string } {
  const { url } = splitCredentials(topicUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const topic = segments.pop();
  if (topic === undefined) {
    throw new DeliveryError('ntfy: NOTIFY_NTFY_URL names no topic (expected …/<topic>)', {
      retryable: false,
    });
  }
  const root = new URL(url);
  root.pathname = `/${segments.map((s) => `${s}/`).join('')}`;
  root.search = '';
  root.hash = '';
  return { root, topic: decodeURIComponent(topic) };
}

/**
 * The buttons: one `http` action per one-tap answer, each POSTing
 * `{"runId", "pain", "where": []}` to `<apiUrl>/api/checks`, then "Open check form" when there is
 * room. Answers need a run and a reachable daemon (`apiUrl`); without them only the form link is
 * offered.
 */
export function ntfyActions(
  message: Message,
  config: Pick<Config, 'token'>,
  replyTo: URL | null = null,
): NtfyAction[] {
  const out: NtfyAction[] = [];
  if (message.reply && replyTo !== null) {
    out.push(...replyActions(message.reply, replyTo));
  } else if (message.apiUrl !== null && message.runId !== null) {
    const url = `${message.apiUrl.replace(/\/+$/, '')}/api/checks`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    // This stores KNEECHECK_TOKEN on the ntfy server and on every device subscribed to the topic:
    // anyone who can read the topic can answer checks. The daemon needs the token beyond loopback,
    // and a phone tapping the button is beyond loopback, so there is no way around it here.
    if (config.token !== null) headers.Authorization = `Bearer ${config.token}`;
    for (const a of message.actions.slice(0, NTFY_MAX_ACTIONS)) {
      out.push({
        action: 'http',
        label: a.label,
        url,
        method: 'POST',
        headers,
        body: JSON.stringify({ runId: message.runId, pain: a.pain, where: [] }),
        clear: true,
      });
    }
  }
  // The click URL already opens the form, so the button is the one dropped when space runs out.
  if (message.link && out.length < NTFY_MAX_ACTIONS) {
    out.push({ action: 'view', label: message.link.label, url: message.link.url });
  } else if (message.checkUrl !== null && !message.linkIsLocal && out.length < NTFY_MAX_ACTIONS) {
    out.push({ action: 'view', label: 'Open check form', url: message.checkUrl });
  }
  return out;
}

/**
 * Answer buttons that publish to the reply topic on the same ntfy server (DESIGN §6): the body
 * is `{v: 1, promptId, runId, answer, nonce}` and the topic's name is the only secret they
 * carry — no KNEECHECK_TOKEN, no daemon address, no ntfy credentials (the reply topic must be
 * writable without them: `ntfy access everyone <topic> write-only` on a server that denies by
 * default).
 */
export function replyActions(reply: ReplyButtons, replyTo: URL): NtfyAction[] {
  return reply.choices.slice(0, NTFY_MAX_ACTIONS).map((c) => ({
    action: 'http',
    label: c.label,
    url: replyTo.href,
    method: 'POST',
    headers: {},
    body: JSON.stringify({
      v: 1,
      promptId: reply.promptId,
      runId: reply.runId,
      answer: c.answer,
      nonce: reply.nonce,
    }),
    clear: true,
  }));
}

/** `<server root>/<reply topic>`: where the buttons publish and the daemon subscribes. */
export function replyTopicUrl(ntfyUrl: string, replyTopic: string): URL {
  const { root } = ntfyTarget(ntfyUrl);
  return new URL(encodeURIComponent(replyTopic), root);
}

/** The publish request for one message. */
export function ntfyPayload(
  message: Message,
  topic: string,
  config: Pick<Config, 'token'>,
  replyTo: URL | null = null,
): NtfyPublish {
  const actions = ntfyActions(message, config, replyTo);
  // The daemon's own address means nothing on a phone and is never published (DESIGN §6).
  const local = message.linkIsLocal === true;
  const click = local ? (message.link?.url ?? null) : (message.link?.url ?? message.checkUrl);
  return {
    topic,
    title: message.title,
    // At most 400 characters on the phone; the whole advice is a tap away (issue 23).
    message: phoneFit(local ? (message.phoneText ?? message.message) : message.message),
    priority: PRIORITY[message.priority],
    tags: message.tags,
    ...(click === null ? {} : { click }),
    ...(actions.length === 0 ? {} : { actions }),
  };
}

/**
 * ntfy (https://ntfy.sh or self-hosted): `NOTIFY_NTFY_URL` is the topic URL, `NOTIFY_NTFY_TOKEN`
 * an optional access token (sent as `Authorization: Bearer`); `user:pass@` in the URL is sent as
 * Basic auth instead. Each outbox delivery carries a sequence id derived from its delivery id, so
 * a retry of a message that did arrive replaces the notification rather than adding another. Publishes JSON rather than headers because titles carry non-ASCII text that
 * HTTP headers cannot.
 */
export default {
  name: 'ntfy',
  settings: (config: Config): ChannelSetting[] => [
    {
      env: 'NOTIFY_NTFY_URL',
      value: config.notify.ntfyUrl,
      // The topic is a password (ntfy's docs): whoever knows it reads the prompts.
      secret: true,
      secretPath: true,
    },
    { env: 'NOTIFY_NTFY_TOKEN', value: config.notify.ntfyToken, secret: true },
    // Read for the answer buttons' Authorization header.
    { env: 'KNEECHECK_TOKEN', value: config.token, secret: true },
  ],
  enabled: (config: Config) => config.notify.ntfyUrl !== null,
  async send(message, ctx) {
    const raw = ctx.config.notify.ntfyUrl;
    if (raw === null) {
      throw new DeliveryError('ntfy: NOTIFY_NTFY_URL is not set', { retryable: false });
    }
    const { basicAuth, password } = splitCredentials(raw);
    const { root, topic } = ntfyTarget(raw);
    const token = ctx.config.notify.ntfyToken;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const auth = token === null ? basicAuth : `Bearer ${token}`;
    if (auth !== null) headers.Authorization = auth;
    const replyTopic = ctx.replyTopic ?? null;
    const replyTo = replyTopic === null ? null : replyTopicUrl(raw, replyTopic);
    const payload = ntfyPayload(message, topic, ctx.config, replyTo);
    const sequenceKey = message.sequenceKey ?? ctx.deliveryId;
    if (sequenceKey !== undefined) {
      const sequenceId = ntfySequenceId(ctx.config.dataDir, sequenceKey);
      payload.sequence_id = sequenceId;
      headers['X-Sequence-ID'] = sequenceId;
    }
    await post({
      channel: 'ntfy',
      url: root,
      body: JSON.stringify(payload),
      headers,
      signal: ctx.signal,
      secrets: [token, password, ctx.config.token, replyTopic, ...ntfyTopicSecrets(raw)],
    });
  },
} satisfies Channel;
