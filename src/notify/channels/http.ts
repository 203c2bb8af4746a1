import { maskSecrets } from '../../log.ts';
import { DeliveryError } from '../types.ts';

/** How long one HTTP delivery may take even when the caller's signal never fires, in ms. */
export const HTTP_TIMEOUT_MS = 15_000;

/** A URL split into what `fetch` may be given and the credentials it carried. */
export interface SplitUrl {
  /** The URL without `user:pass@` (fetch refuses URLs with credentials). */
  url: URL;
  /** `Basic …` for the `user:pass@` part, or null. */
  basicAuth: string | null;
  /** The decoded password, for masking, or null. */
  password: string | null;
}

/** Moves `user:pass@` out of a URL into a Basic authorization value. */
export function splitCredentials(raw: string): SplitUrl {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url, basicAuth: null, password: null };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const basicAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url, basicAuth, password: password === '' ? null : password };
}

/**
 * A URL as it may appear in an error or a log line: no credentials and no query string
 * (ntfy, for one, accepts `?auth=<token>`).
 */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** True for answers worth retrying: 408, 425, 429 and every 5xx. */
export const retryableStatus = (status: number): boolean =>
  status >= 500 || status === 408 || status === 425 || status === 429;

export interface PostOptions {
  /** The channel's name, first in every error message. */
  channel: string;
  url: URL;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Values that must never appear in an error message. */
  secrets: readonly (string | null)[];
}

/**
 * POSTs `body` and resolves on a 2xx answer. Anything else throws a {@link DeliveryError}:
 * retryable for network failures, timeouts, 408/425/429 and 5xx; not retryable for other 4xx
 * (the request itself is wrong, so sending it again cannot help).
 */
export async function post(opts: PostOptions): Promise<void> {
  const where = displayUrl(opts.url);
  const fail = (message: string, retryable: boolean, cause?: unknown): DeliveryError =>
    new DeliveryError(maskSecrets(`${opts.channel}: ${message}`, opts.secrets), {
      retryable,
      cause,
    });
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      headers: opts.headers,
      body: opts.body,
      // A redirect is answered as an error (not retryable) rather than followed with our headers.
      redirect: 'manual',
      signal: AbortSignal.any([opts.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
    });
  } catch (e) {
    if (opts.signal.aborted || isAbort(e)) {
      throw fail(`no answer from ${where} in time`, true, e);
    }
    throw fail(`cannot reach ${where} (${networkCode(e)})`, true, e);
  }
  if (res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return;
  }
  const text = await res.text().catch(() => '');
  const detail = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  throw fail(
    `HTTP ${res.status} from ${where}${detail ? `: ${detail}` : ''}`,
    retryableStatus(res.status),
  );
}

const isAbort = (e: unknown): boolean =>
  e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');

/** The errno-style code of a failed fetch (undici puts it on `cause`), e.g. ECONNREFUSED. */
function networkCode(e: unknown): string {
  const cause = e instanceof Error ? e.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return e instanceof Error ? e.message : String(e);
}
