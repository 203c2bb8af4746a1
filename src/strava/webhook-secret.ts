import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.ts';
import { safeEqualText } from './safe-equal.ts';

/**
 * Strava's push events are unsigned (DESIGN §6), so the callback URL carries a secret path
 * segment: `/webhooks/strava/<secret>`. It is made once per data folder (256 random bits, kept in
 * the settings table) and registered with Strava by `kneecheck strava webhook subscribe`; any
 * other path under `/webhooks/strava` answers 404.
 */

/** Where the webhook routes live; the secret segment follows. */
export const WEBHOOK_BASE_PATH = '/webhooks/strava';
/** Settings key of the secret path segment. */
export const WEBHOOK_SECRET_KEY = 'strava.webhookSecret';
/** A usable secret: base64url, at least 128 bits (22 characters). */
const SECRET_FORM = /^[A-Za-z0-9_-]{22,}$/;

/** The secret path segment of this data folder, made on first use. */
export function webhookSecret(store: Store, now: () => Date): string {
  const kept = store.settings.get<unknown>(WEBHOOK_SECRET_KEY);
  if (typeof kept === 'string' && SECRET_FORM.test(kept)) return kept;
  const secret = randomBytes(32).toString('base64url');
  store.settings.set(WEBHOOK_SECRET_KEY, secret, now().toISOString());
  return secret;
}

/** True when `segment` is the secret (compared in constant time). */
export function isWebhookSecret(segment: string, secret: string): boolean {
  return safeEqualText(segment, secret);
}

/** `<base>/webhooks/strava/<secret>`; `base` may already end in `/webhooks/strava`. */
export function webhookCallbackUrl(base: string, secret: string): string {
  const root = base.replace(/\/+$/, '').replace(/\/webhooks\/strava$/, '');
  return `${root}${WEBHOOK_BASE_PATH}/${secret}`;
}

/** A callback URL safe to print: its secret segment as `****`. */
export function maskWebhookUrl(url: string): string {
  return url.replace(/(\/webhooks\/strava\/)[^/?#]+/, '$1****');
}
