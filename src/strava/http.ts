import { stravaFaultSchema } from '../../importers/strava-api.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { RateBudget } from './budget.ts';

/**
 * The one HTTP seam of the Strava integration: every request, whether strava-v3 makes it through
 * its injected request function or kneecheck's own OAuth and push-subscription calls make it,
 * goes through {@link Transport.send}, which keeps the rate-limit budget, retries 5xx and network
 * errors with backoff, waits out (or stops at) a 429, and counts the calls.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A non-2xx answer. The message names the method, path and Strava's error, never query or headers. */
export class StravaHttpError extends KneecheckError {
  readonly status: number;
  readonly body: unknown;
  constructor(req: HttpRequest, status: number, body: unknown) {
    super(`Strava ${req.method} ${req.url.pathname} failed: HTTP ${status}${faultText(body)}`, {
      exitCode: EXIT.someFailed,
    });
    this.name = 'StravaHttpError';
    this.status = status;
    this.body = body;
  }

  /** A 401 because the access token was refused (expired or revoked). */
  get isTokenRefused(): boolean {
    return this.status === 401;
  }
}

/**
 * What kneecheck says when Strava answers 403 `Application Status Inactive`: since 30 June 2026 a
 * Standard Tier API application works only while its owner holds a Strava subscription
 * (stravalib/stravalib#730); every call is refused until then, and nothing stored changes.
 */
export const INACTIVE_MESSAGE =
  'the Strava API application kneecheck uses is inactive because its owner has no active ' +
  'Strava subscription (Strava requires one since 30 June 2026); renew it, or get your runs in ' +
  'through intervals.icu (`kneecheck intervals connect`) or file exports; your local data is ' +
  'untouched.';

/** True for Strava's Fault body `{errors: [{resource: "Application", field: "Status", code: "Inactive"}]}`. */
export function isInactiveFault(body: unknown): boolean {
  const fault = stravaFaultSchema.safeParse(body);
  if (!fault.success) return false;
  return (fault.data.errors ?? []).some(
    (e) =>
      e.resource?.toLowerCase() === 'application' &&
      e.field?.toLowerCase() === 'status' &&
      e.code?.toLowerCase() === 'inactive',
  );
}

/**
 * Strava's 403 for an inactive API application ({@link INACTIVE_MESSAGE}). Not a
 * {@link StravaHttpError}: no caller may take it for a refused token (401) or a missing
 * activity (404), so nothing is deleted on its account. Exit code 2: the setup must change.
 */
export class StravaInactiveError extends KneecheckError {
  readonly status = 403;
  constructor() {
    super(INACTIVE_MESSAGE, { exitCode: EXIT.usage });
    this.name = 'StravaInactiveError';
  }
}

/** Strava is unreachable (network error or repeated 5xx) after the retries. */
export class StravaUnavailableError extends KneecheckError {
  constructor(message: string, cause?: unknown) {
    super(message, { exitCode: EXIT.someFailed, cause });
    this.name = 'StravaUnavailableError';
  }
}

/**
 * Strava answered 2xx with a body that is not what its API documents (parsed with the schemas in
 * `importers/strava-api.ts`); the message names the payload and the keys that did not fit.
 */
export class StravaPayloadError extends KneecheckError {
  constructor(message: string) {
    super(message, { exitCode: EXIT.someFailed });
    this.name = 'StravaPayloadError';
  }
}

/** The rate limit does not allow another request before `resumeAt`, later than we wait. */
export class RateLimitStop extends KneecheckError {
  readonly resumeAt: Date;
  readonly scope: '15min' | 'daily';
  constructor(resumeAt: Date, scope: '15min' | 'daily', limit: string) {
    super(
      `Strava's ${scope === 'daily' ? 'daily' : '15-minute'} ${limit} rate limit is reached; ` +
        `it allows more requests after ${resumeAt.toISOString()}`,
      { exitCode: EXIT.someFailed },
    );
    this.name = 'RateLimitStop';
    this.resumeAt = resumeAt;
    this.scope = scope;
  }
}

/** `: Authorization Error (Athlete access_token invalid)` from Strava's Fault body. */
function faultText(body: unknown): string {
  const fault = stravaFaultSchema.safeParse(body);
  if (!fault.success) return '';
  const errors = (fault.data.errors ?? [])
    .map((e) => [e.resource, e.field, e.code].filter((x) => typeof x === 'string').join(' '))
    .filter(Boolean);
  return `: ${fault.data.message}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}`;
}

export interface TransportOptions {
  budget: RateBudget;
  log: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Real time in ms (rate windows); injectable for tests. */
  nowMs?: () => number;
  /** Longest wait for a rate-limit window; beyond it the request stops with {@link RateLimitStop}. */
  maxWaitMs?: number;
  /** Attempts after a 5xx or network error (default 3). */
  retries?: number;
  /** First backoff, doubled each retry (default 500 ms). */
  backoffMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends requests to Strava within the budget; see the module comment. */
export class Transport {
  /** API requests sent (each HTTP request counts, retries too: Strava counts them). */
  apiCalls = 0;
  /** OAuth requests sent (token exchange, refresh, deauthorize: not rate-limited). */
  oauthCalls = 0;
  readonly budget: RateBudget;
  readonly #o: Required<Omit<TransportOptions, 'budget'>>;

  constructor(opts: TransportOptions) {
    this.budget = opts.budget;
    this.#o = {
      log: opts.log,
      fetch: opts.fetch ?? globalThis.fetch,
      sleep: opts.sleep ?? sleepReal,
      nowMs: opts.nowMs ?? Date.now,
      maxWaitMs: opts.maxWaitMs ?? 0,
      retries: opts.retries ?? 3,
      backoffMs: opts.backoffMs ?? 500,
      timeoutMs: opts.timeoutMs ?? 30_000,
    };
  }

  /** Waits for `untilMs` when that is soon enough, else throws {@link RateLimitStop}. */
  async #waitFor(untilMs: number, scope: '15min' | 'daily', limit: string): Promise<void> {
    const waitMs = untilMs - this.#o.nowMs();
    if (waitMs > this.#o.maxWaitMs) throw new RateLimitStop(new Date(untilMs), scope, limit);
    this.#o.log.info('waiting for the Strava rate-limit window', {
      until: new Date(untilMs).toISOString(),
      limit,
    });
    await this.#o.sleep(Math.max(0, waitMs));
  }

  /** Sends one request: `api` requests keep the budget, `oauth` ones only retry. */
  async send(req: HttpRequest, kind: 'api' | 'oauth'): Promise<HttpResponse> {
    const isRead = req.method === 'GET';
    let failures = 0;
    let waits = 0;
    for (;;) {
      if (kind === 'api') {
        const d = this.budget.check(isRead);
        if (d.kind === 'wait') await this.#waitFor(d.untilMs, d.scope, d.limit);
      }
      let res: Response;
      try {
        if (kind === 'api') this.apiCalls++;
        else this.oauthCalls++;
        res = await this.#o.fetch(req.url, {
          method: req.method,
          headers: {
            Accept: 'application/json',
            ...(req.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
            ...req.headers,
          },
          body: req.form ? new URLSearchParams(req.form).toString() : null,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
      } catch (e) {
        if (++failures > this.#o.retries) {
          throw new StravaUnavailableError(
            `Strava is unreachable (${req.method} ${req.url.host}${req.url.pathname}): ${networkText(e)}`,
            e,
          );
        }
        await this.#backoff(failures, req, networkText(e));
        continue;
      }
      if (kind === 'api') this.budget.update(res.headers);
      const body = await readBody(res);
      if (res.status >= 200 && res.status < 300)
        return { status: res.status, headers: res.headers, body };
      if (res.status === 429 && kind === 'api' && waits < 2) {
        waits++;
        const d = this.budget.after429(res.headers);
        await this.#waitFor(d.untilMs, d.scope, d.limit);
        continue;
      }
      if (res.status === 429) {
        const d = this.budget.after429(res.headers);
        throw new RateLimitStop(new Date(d.untilMs), d.scope, d.limit);
      }
      if (res.status >= 500 && ++failures <= this.#o.retries) {
        await this.#backoff(failures, req, `HTTP ${res.status}`);
        continue;
      }
      if (res.status >= 500) {
        throw new StravaUnavailableError(
          `Strava answered HTTP ${res.status} to ${req.method} ${req.url.pathname} ` +
            `${this.#o.retries + 1} times; try again later`,
        );
      }
      if (res.status === 403 && isInactiveFault(body)) throw new StravaInactiveError();
      throw new StravaHttpError(req, res.status, body);
    }
  }

  async #backoff(failures: number, req: HttpRequest, why: string): Promise<void> {
    const ms = this.#o.backoffMs * 2 ** (failures - 1) * (0.75 + Math.random() * 0.5);
    this.#o.log.warn('Strava request failed, retrying', {
      path: req.url.pathname,
      why,
      retryInMs: Math.round(ms),
    });
    await this.#o.sleep(ms);
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const networkText = (e: unknown): string => {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
};
