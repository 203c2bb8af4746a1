import {
  intervalsActivitySchema,
  intervalsAthleteSchema,
  LIST_FIELDS,
  parseIntervals,
  type IntervalsActivity,
  type IntervalsAthlete,
} from '../../importers/intervals-api.ts';
import { MAX_FIT_BYTES, tooLargeText } from '../import/bounded.ts';
import { EXIT, KneecheckError } from '../errors.ts';
import type { Logger } from '../log.ts';

/**
 * The one HTTP seam of the intervals.icu integration: plain `fetch` with HTTP Basic auth (user
 * `API_KEY`, the athlete's key as password), one request at a time, 429 and 5xx retried with
 * backoff (Retry-After honoured), every request counted. intervals.icu publishes no rate-limit
 * numbers, so the pace adapts: the caller's (none for a command the runner waits on, a steady
 * one for the daemon), and after a 429 at least the time it asked for between requests, for the
 * rest of the session.
 */

/** A non-2xx answer; the message names the method and path, never the key or headers. */
export class IntervalsHttpError extends KneecheckError {
  readonly status: number;
  constructor(path: string, status: number, detail: string) {
    const why =
      status === 401 || status === 403
        ? ': intervals.icu refused the API key (check it at intervals.icu → Settings → Developer settings, then run `kneecheck intervals connect` again)'
        : detail
          ? `: ${detail}`
          : '';
    super(`intervals.icu GET ${path} failed: HTTP ${status}${why}`, {
      exitCode: status === 401 || status === 403 ? EXIT.usage : EXIT.someFailed,
    });
    this.name = 'IntervalsHttpError';
    this.status = status;
  }

  get isKeyRefused(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** intervals.icu is unreachable, keeps failing, or asks for a longer wait than we take. */
export class IntervalsUnavailableError extends KneecheckError {
  /** When intervals.icu said to come back (a 429's Retry-After), if it said. */
  readonly resumeAt: Date | null;
  constructor(message: string, opts: { cause?: unknown; resumeAt?: Date | null } = {}) {
    super(message, { exitCode: EXIT.someFailed, cause: opts.cause });
    this.name = 'IntervalsUnavailableError';
    this.resumeAt = opts.resumeAt ?? null;
  }
}

/** A 2xx answer whose body is not what the published API documents. */
export class IntervalsPayloadError extends KneecheckError {
  constructor(message: string) {
    super(message, { exitCode: EXIT.someFailed });
    this.name = 'IntervalsPayloadError';
  }
}

/** The sync was asked to stop (the daemon is shutting down); progress is saved. */
export class IntervalsAborted extends KneecheckError {
  constructor() {
    super('stopped: kneecheck is shutting down', { exitCode: EXIT.someFailed });
    this.name = 'IntervalsAborted';
  }
}

export interface ClientOptions {
  /** `https://intervals.icu` (INTERVALS_API_URL). */
  baseUrl: string;
  apiKey: string;
  log: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a 429, a 5xx or a network error (default 4). */
  retries?: number;
  /** First backoff, doubled each retry (default 500 ms). */
  backoffMs?: number;
  /** Longest Retry-After waited for; beyond it the request stops (default 120 s). */
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Aborts between requests and waits (daemon shutdown). */
  signal?: AbortSignal;
  /** Pause before each request from the start, ms (the daemon's steady pace; default 0). */
  paceMs?: number;
}

/** Most activities one list request asks for (one request per this many, roughly). */
export const LIST_LIMIT = 200;
/** The longest pace the client slows to after 429s, ms. */
const MAX_PACE_MS = 10_000;

const sleepReal = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | null, nowMs = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

const networkText = (e: unknown): string => {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
};

/** A list page: the activities read, and the items that did not fit the schema. */
export interface ListPage {
  activities: IntervalsActivity[];
  malformed: { id: string | null; error: string }[];
  /** Items in the answer (read or not). */
  size: number;
}

/** The intervals.icu API calls kneecheck makes. */
export class IntervalsClient {
  /** Requests sent (retries included). */
  apiCalls = 0;
  /** Pause before each request, ms (raised by 429s). */
  paceMs = 0;
  readonly #o: Required<Omit<ClientOptions, 'signal' | 'paceMs'>> & { signal: AbortSignal | null };
  readonly #auth: string;

  constructor(opts: ClientOptions) {
    this.#o = {
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      apiKey: opts.apiKey,
      log: opts.log,
      fetch: opts.fetch ?? globalThis.fetch,
      sleep: opts.sleep ?? ((ms) => sleepReal(ms, opts.signal)),
      retries: opts.retries ?? 4,
      backoffMs: opts.backoffMs ?? 500,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 120_000,
      timeoutMs: opts.timeoutMs ?? 60_000,
      signal: opts.signal ?? null,
    };
    this.paceMs = opts.paceMs ?? 0;
    this.#auth = `Basic ${Buffer.from(`API_KEY:${opts.apiKey}`).toString('base64')}`;
  }

  #checkAbort(): void {
    if (this.#o.signal?.aborted) throw new IntervalsAborted();
  }

  /** One GET with retries; the response of a 2xx or 404, else a typed error. */
  async #get(path: string, query: Record<string, string> = {}): Promise<Response> {
    const url = new URL(`${this.#o.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let failures = 0;
    for (;;) {
      this.#checkAbort();
      if (this.paceMs > 0) await this.#o.sleep(this.paceMs);
      this.#checkAbort();
      let res: Response;
      try {
        this.apiCalls++;
        res = await this.#o.fetch(url, {
          headers: { Authorization: this.#auth, Accept: '*/*' },
          redirect: 'follow',
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
      } catch (e) {
        if (++failures > this.#o.retries) {
          throw new IntervalsUnavailableError(
            `intervals.icu is unreachable (GET ${url.host}${path}): ${networkText(e)}`,
            { cause: e },
          );
        }
        await this.#backoff(failures, path, networkText(e));
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || res.status === 404) return res;
      const text = await res.text().catch(() => '');
      if (res.status === 429) {
        const asked = retryAfterMs(res.headers.get('retry-after'));
        if (asked !== null && asked > this.#o.maxRetryAfterMs) {
          throw new IntervalsUnavailableError(
            `intervals.icu asks to wait ${Math.round(asked / 1000)} s before more requests`,
            { resumeAt: new Date(Date.now() + asked) },
          );
        }
        this.paceMs = Math.min(MAX_PACE_MS, Math.max(this.paceMs * 2, asked ?? 0, 250));
        if (++failures > this.#o.retries) {
          throw new IntervalsUnavailableError(
            `intervals.icu answered HTTP 429 (too many requests) ${failures} times; try again later`,
          );
        }
        const waitMs = asked ?? this.#o.backoffMs * 2 ** (failures - 1);
        this.#o.log.info('intervals.icu asks to slow down; waiting', { path, waitMs });
        await this.#o.sleep(waitMs);
        continue;
      }
      if (res.status >= 500) {
        if (++failures > this.#o.retries) {
          throw new IntervalsUnavailableError(
            `intervals.icu answered HTTP ${res.status} to GET ${path} ${failures} times; try again later`,
          );
        }
        await this.#backoff(failures, path, `HTTP ${res.status}`);
        continue;
      }
      throw new IntervalsHttpError(path, res.status, text.slice(0, 200).replace(/\s+/g, ' '));
    }
  }

  async #backoff(failures: number, path: string, why: string): Promise<void> {
    const ms = this.#o.backoffMs * 2 ** (failures - 1) * (0.75 + Math.random() * 0.5);
    this.#o.log.warn('intervals.icu request failed, retrying', {
      path,
      why,
      retryInMs: Math.round(ms),
    });
    await this.#o.sleep(ms);
  }

  async #json(path: string, query?: Record<string, string>): Promise<unknown> {
    const res = await this.#get(path, query);
    const text = await res.text();
    if (res.status === 404) throw new IntervalsHttpError(path, 404, 'not found');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new IntervalsPayloadError(`intervals.icu's answer to GET ${path} is not JSON`);
    }
  }

  /** `GET /api/v1/athlete/{id}`: the athlete the key belongs to (`0`: the key's owner). */
  async athlete(id: string): Promise<IntervalsAthlete> {
    const path = `/api/v1/athlete/${encodeURIComponent(id)}`;
    const parsed = parseIntervals(intervalsAthleteSchema, await this.#json(path), 'athlete');
    if (!parsed.ok) throw new IntervalsPayloadError(parsed.error);
    return parsed.value;
  }

  /**
   * One page of `GET /api/v1/athlete/{id}/activities`: activities with a local start in
   * [`oldest`, `newest`] (local ISO date-times), newest first, at most `limit`, only the keys
   * kneecheck reads (`fields=`).
   */
  async listActivities(
    athleteId: string,
    q: { oldest: string; newest: string; limit?: number },
  ): Promise<ListPage> {
    const path = `/api/v1/athlete/${encodeURIComponent(athleteId)}/activities`;
    const body = await this.#json(path, {
      oldest: q.oldest,
      newest: q.newest,
      limit: String(q.limit ?? LIST_LIMIT),
      fields: LIST_FIELDS.join(','),
    });
    if (!Array.isArray(body)) {
      throw new IntervalsPayloadError(`intervals.icu's activity list is not a JSON array`);
    }
    const page: ListPage = { activities: [], malformed: [], size: body.length };
    for (const item of body as unknown[]) {
      const rawId = (item as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
      const parsed = parseIntervals(intervalsActivitySchema, item, `activity ${id ?? '?'}`);
      if (parsed.ok) page.activities.push(parsed.value);
      else page.malformed.push({ id, error: parsed.error });
    }
    return page;
  }

  /**
   * `GET /api/v1/activity/{id}/file`: the original file as uploaded (gzipped or not, as sent),
   * at most 64 MB; null when the activity has none (404).
   */
  async file(activityId: string): Promise<Uint8Array | null> {
    const path = `/api/v1/activity/${encodeURIComponent(activityId)}/file`;
    const res = await this.#get(path);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    return readBounded(res, MAX_FIT_BYTES);
  }
}

/** The body's bytes, refused beyond `limit` without holding more than that. */
async function readBounded(res: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel();
    throw new IntervalsPayloadError(tooLargeText('the activity file is'));
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new IntervalsPayloadError(tooLargeText('the activity file is'));
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
