import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config/index.ts';
import { DeliveryError, webhookPayload, type Channel, type ChannelSetting } from '../types.ts';
import { post, splitCredentials } from './http.ts';

/** Header with the signature: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'X-Kneecheck-Signature';
/** Header with the signing time in Unix seconds. */
export const TIMESTAMP_HEADER = 'X-Kneecheck-Timestamp';
/** The same on every attempt of one message: a receiver can drop repeats. */
export const DELIVERY_HEADER = 'X-Kneecheck-Delivery';
/** How far a signature's timestamp may be from the receiver's clock by default, in seconds. */
export const DEFAULT_TOLERANCE_S = 300;

/**
 * The webhook signature scheme, when `NOTIFY_WEBHOOK_SECRET` is set:
 *
 * - `X-Kneecheck-Timestamp: <t>` — Unix seconds (wall clock) when the request was signed;
 * - `X-Kneecheck-Signature: sha256=<hex>` — lower-case hex HMAC-SHA256, keyed with the secret's
 *   UTF-8 bytes, of the UTF-8 bytes of `<t>` + `.` + the exact request body.
 *
 * Signing the timestamp with the body lets a receiver refuse replays of an old request: check the
 * signature over the raw body (before any JSON parsing), then that `<t>` is recent.
 * {@link verifyWebhookSignature} does both.
 *
 * @param timestampS Unix seconds.
 * @returns The header value, `sha256=<hex>`.
 */
export function signWebhook(body: string | Uint8Array, secret: string, timestampS: number): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestampS}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

/** Request headers as Node's `IncomingMessage.headers` or a fetch `Headers`. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  }
  return null;
}

/**
 * Checks a kneecheck webhook request (the scheme of {@link signWebhook}): true when the signature
 * matches the raw body and the timestamp is within `toleranceS` of `now`.
 *
 * @param body The raw request body, exactly as received.
 * @param opts.toleranceS Allowed clock difference in seconds (default 300).
 * @param opts.now The receiver's clock (default: the real time).
 */
export function verifyWebhookSignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  secret: string,
  opts: { toleranceS?: number; now?: Date } = {},
): boolean {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (signature === null || timestamp === null || !/^\d{1,15}$/.test(timestamp)) return false;
  const nowS = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowS - Number(timestamp)) > (opts.toleranceS ?? DEFAULT_TOLERANCE_S)) return false;
  const expected = Buffer.from(signWebhook(body, secret, Number(timestamp)));
  const got = Buffer.from(signature.trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * A JSON webhook: POSTs the DESIGN §6 payload to `NOTIFY_WEBHOOK_URL`, signed when
 * `NOTIFY_WEBHOOK_SECRET` is set (scheme: {@link signWebhook}); `user:pass@` in the URL is sent as
 * Basic auth.
 */
export default {
  name: 'webhook',
  settings: (config: Config): ChannelSetting[] => {
    const url = config.notify.webhookUrl;
    const hasPassword = url !== null && URL.canParse(url) && new URL(url).password !== '';
    return [
      { env: 'NOTIFY_WEBHOOK_URL', value: url, secret: hasPassword },
      { env: 'NOTIFY_WEBHOOK_SECRET', value: config.notify.webhookSecret, secret: true },
    ];
  },
  enabled: (config: Config) => config.notify.webhookUrl !== null,
  async send(message, ctx) {
    const raw = ctx.config.notify.webhookUrl;
    if (raw === null) {
      throw new DeliveryError('webhook: NOTIFY_WEBHOOK_URL is not set', { retryable: false });
    }
    const { url, basicAuth, password } = splitCredentials(raw);
    const secret = ctx.config.notify.webhookSecret;
    const body = JSON.stringify(webhookPayload(message));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'kneecheck',
    };
    if (basicAuth !== null) headers.Authorization = basicAuth;
    if (ctx.deliveryId !== undefined) headers[DELIVERY_HEADER] = ctx.deliveryId;
    if (secret !== null) {
      // The wall clock, not KNEECHECK_NOW: the receiver compares it with its own clock.
      const t = Math.floor(Date.now() / 1000);
      headers[TIMESTAMP_HEADER] = String(t);
      headers[SIGNATURE_HEADER] = signWebhook(body, secret, t);
    }
    await post({
      channel: 'webhook',
      url,
      body,
      headers,
      signal: ctx.signal,
      secrets: [secret, password],
    });
  },
} satisfies Channel;
