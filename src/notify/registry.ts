import type { Config } from '../config/index.ts';
import consoleChannel from './channels/console.ts';
import desktop from './channels/desktop.ts';
import email from './channels/email.ts';
import ntfy from './channels/ntfy.ts';
import webhook from './channels/webhook.ts';
import type { Channel, ChannelName, ChannelSetting } from './types.ts';

/** Every notification channel, in the order `notify status` lists them (DESIGN §9.2). */
export const CHANNELS: readonly Channel[] = [consoleChannel, ntfy, webhook, email, desktop];

/** The channels the config turns on (console always). */
export function enabledChannels(config: Config): Channel[] {
  return CHANNELS.filter((c) => c.enabled(config));
}

/** One channel as `kneecheck notify status` shows it. */
export interface ChannelStatus {
  name: ChannelName;
  enabled: boolean;
  /** The channel's settings with every secret masked (see {@link maskSetting}). */
  settings: ChannelSetting[];
}

/** Every channel with its settings, secrets masked; safe to print and to log. */
export function channelSettings(config: Config): ChannelStatus[] {
  return CHANNELS.map((c) => ({
    name: c.name,
    enabled: c.enabled(config),
    settings: c.settings(config).map(maskSetting),
  }));
}

const MASK = '****';

/**
 * A setting as it may be shown. A URL keeps its scheme, host and path, with the password of a
 * `user:pass@` part, any query string, and a secret last path segment (an ntfy topic) replaced by
 * `****` (so `notify status` still tells which server is configured); any other secret value
 * becomes `****`.
 */
export function maskSetting(s: ChannelSetting): ChannelSetting {
  if (s.value === null) return s;
  const url = parseUrl(s.value);
  if (url === null) return s.secret ? { ...s, value: MASK } : s;
  if (url.password !== '') url.password = MASK;
  if (url.search !== '') url.search = MASK;
  if (s.secretPath === true) url.pathname = url.pathname.replace(/[^/]+(\/*)$/, `${MASK}$1`);
  // `URL` percent-encodes nothing in `****`, so the mask survives `toString()` as written.
  return { ...s, value: url.toString() };
}

/** A URL with an authority (`scheme://…`), or null for any other value. */
function parseUrl(value: string): URL | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) return null;
  return new URL(value);
}
