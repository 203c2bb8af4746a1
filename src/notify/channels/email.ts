import type { NodemailerError } from 'nodemailer';
import type { Config } from '../../config/index.ts';
import { maskSecrets } from '../../log.ts';
import { DeliveryError, type Channel, type ChannelSetting } from '../types.ts';
import { emailMessageId } from './delivery-id.ts';
import { DELIVERY_HEADER } from './webhook.ts';

/** Connection, greeting, socket and DNS timeouts, in ms. */
export const SMTP_TIMEOUT_MS = 10_000;

const DEFAULT_FROM = 'kneecheck <kneecheck@localhost>';
const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** The recipients of `NOTIFY_EMAIL_TO` (comma-separated). */
export const recipients = (to: string): string[] =>
  to
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The SMTP login when it is an address (most providers only accept that sender), else ours. */
export function sender(smtpUrl: string): string {
  const user = URL.canParse(smtpUrl) ? decodeURIComponent(new URL(smtpUrl).username) : '';
  return ADDRESS.test(user) ? `kneecheck <${user}>` : DEFAULT_FROM;
}

/** `host:port` of the SMTP URL, for error messages (never the credentials). */
function server(smtpUrl: string): string {
  const u = new URL(smtpUrl);
  return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
}

/** The URL's password, raw (as written in the URL) and decoded, for masking. */
function passwords(smtpUrl: string): string[] {
  if (!URL.canParse(smtpUrl)) return [smtpUrl];
  const raw = new URL(smtpUrl).password;
  return raw === '' ? [smtpUrl] : [smtpUrl, raw, decodeURIComponent(raw)];
}

/** Why a half-configured channel cannot send, or null. */
function missingHalf(config: Config): string | null {
  const { smtpUrl, emailTo } = config.notify;
  const noTo = emailTo === null || recipients(emailTo).length === 0;
  if (smtpUrl === null && noTo) return 'NOTIFY_SMTP_URL and NOTIFY_EMAIL_TO are not set';
  if (smtpUrl === null) return 'NOTIFY_EMAIL_TO is set but NOTIFY_SMTP_URL is not';
  if (noTo) return 'NOTIFY_SMTP_URL is set but NOTIFY_EMAIL_TO is not';
  return null;
}

/** Codes that say the configuration is wrong: sending again cannot help. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ECONFIG', 'EENVELOPE', 'EOAUTH2']);

/**
 * Turns a nodemailer error into a {@link DeliveryError}. A 5xx reply is permanent (RFC 5321) except
 * 503 "bad sequence", which says the session was in the wrong state, not that the message was
 * refused; 4xx replies, timeouts and connection failures are transient.
 */
export function classifySmtpError(e: unknown, smtpUrl: string): DeliveryError {
  const err = (e instanceof Error ? e : new Error(String(e))) as NodemailerError;
  const where = URL.canParse(smtpUrl) ? server(smtpUrl) : 'the SMTP server';
  let message: string;
  let retryable: boolean;
  if (typeof err.responseCode === 'number') {
    const reply = (err.response ?? err.message).trim().replace(/\s+/g, ' ').slice(0, 200);
    message = `SMTP server ${where} answered${err.command ? ` ${err.command}` : ''} with ${reply}`;
    retryable = err.responseCode < 500 || err.responseCode === 503;
  } else if (err.code === 'EABORT' || err.name === 'AbortError') {
    message = `no answer from ${where} in time`;
    retryable = true;
  } else if (err.code !== undefined && PERMANENT_CODES.has(err.code)) {
    message = `${err.code} ${err.message}`;
    retryable = false;
  } else {
    message = `cannot reach ${where} (${err.originalCode ?? err.code ?? err.message})`;
    retryable = true;
  }
  return new DeliveryError(maskSecrets(`email: ${message}`, passwords(smtpUrl)), {
    retryable,
    cause: e,
  });
}

/**
 * Email through an SMTP server (`NOTIFY_SMTP_URL`, `smtp://` or `smtps://`, credentials in the
 * URL) to `NOTIFY_EMAIL_TO`, as plain text with an HTML alternative. One connection per message:
 * messages are rare, and a closed connection cannot go stale between them.
 */
export default {
  name: 'email',
  settings: (config: Config): ChannelSetting[] => [
    { env: 'NOTIFY_SMTP_URL', value: config.notify.smtpUrl, secret: true },
    { env: 'NOTIFY_EMAIL_TO', value: config.notify.emailTo, secret: false },
  ],
  // Either setting turns the channel on, so that a missing other half is reported, not ignored.
  enabled: (config: Config) => config.notify.smtpUrl !== null || config.notify.emailTo !== null,
  unavailable: (config: Config) => Promise.resolve(missingHalf(config)),
  async send(message, ctx) {
    const { smtpUrl, emailTo } = ctx.config.notify;
    const to = emailTo === null ? [] : recipients(emailTo);
    if (smtpUrl === null || to.length === 0) {
      throw new DeliveryError('email: NOTIFY_SMTP_URL and NOTIFY_EMAIL_TO must both be set', {
        retryable: false,
      });
    }
    // Loaded on first use: nodemailer adds ~20 MB to a daemon that may never send an email.
    const { default: nodemailer } = await import('nodemailer');
    const transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
      dnsTimeout: SMTP_TIMEOUT_MS,
      // The HTML comes from our templates; it must never make nodemailer read files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const from = sender(smtpUrl);
      await transport.sendMail({
        from,
        // One delivery, one Message-ID, the same on every retry: a repeat is a duplicate to drop.
        ...(ctx.deliveryId === undefined
          ? {}
          : { messageId: emailMessageId(ctx.config.dataDir, ctx.deliveryId, from) }),
        to,
        subject: message.title,
        text: message.message,
        html: message.html,
        // RFC 3834: tells auto-responders (vacation replies) not to answer.
        headers: {
          'Auto-Submitted': 'auto-generated',
          ...(ctx.deliveryId === undefined ? {} : { [DELIVERY_HEADER]: ctx.deliveryId }),
        },
        signal: ctx.signal,
      });
    } catch (e) {
      throw classifySmtpError(e, smtpUrl);
    } finally {
      transport.close();
    }
  },
} satisfies Channel;
