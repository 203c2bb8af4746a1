import stravaModule from 'strava-v3';
import type { RequestHandler, Strava, StravaClientInstance } from 'strava-v3';
import type { z } from 'zod';
import { EXIT, KneecheckError } from '../errors.ts';
import {
  STREAM_KEYS,
  activityPageSchema,
  listedId,
  parseStrava,
  stravaActivitySchema,
  stravaAthleteSchema,
  stravaSubscriptionListSchema,
  stravaStreamsSchema,
  stravaSubscribedSchema,
  stravaTokenResponseSchema,
  type StravaActivity,
  type StravaAthlete,
  type StravaPushSubscription,
  type StravaStreams,
  type StravaTokenResponse,
} from '../../importers/strava-api.ts';
import { StravaHttpError, StravaPayloadError, type HttpRequest, type Transport } from './http.ts';
import type { TokenKeeper } from './tokens.ts';

/** One page of activities: those that parsed, and those that did not (by id, with why). */
export interface ActivityPage {
  activities: StravaActivity[];
  malformed: { id: string | null; error: string }[];
  /** Items on the page, parsed or not (a short page is the last one). */
  size: number;
}

/** The parsed value, or a {@link StravaPayloadError} naming what did not fit. */
function parsed<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = parseStrava(schema, body, what);
  if (!r.ok) throw new StravaPayloadError(r.error);
  return r.value;
}

/** Strava's OAuth and API base URLs and the app's credentials (STRAVA_* settings). */
export interface StravaEndpoints {
  apiUrl: string;
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
}

/** `base` with exactly one trailing slash, so relative paths resolve below it. */
// strava-v3's types declare an ES default export, but the package is CommonJS
// (`module.exports = strava`): under Node's ESM interop the default import is that object.
const strava = stravaModule as unknown as Strava;

export const withSlash = (base: string): string => `${base.replace(/\/+$/, '')}/`;

/**
 * strava-v3's request seam: the library has no base-URL setting, but `new strava.client(token,
 * request)` sends every call through `request` with a path relative to the API root
 * (`athlete/activities?per_page=200`). This resolves it against STRAVA_API_URL, puts the current
 * access token in (refreshing it on a 401, once) and sends it through the {@link Transport}.
 */
export function stravaRequest(
  apiUrl: string,
  transport: Transport,
  tokens: TokenKeeper,
): RequestHandler {
  const base = withSlash(apiUrl);
  return async (options) => {
    const url = new URL(options.url.replace(/^\/+/, ''), base);
    const method = (options.method ?? 'GET').toUpperCase() as HttpRequest['method'];
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.accessToken();
      try {
        const res = await transport.send(
          { method, url, headers: { Authorization: `Bearer ${token}` } },
          'api',
        );
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => (headers[k] = v));
        return { headers, body: res.body ?? {} };
      } catch (e) {
        if (e instanceof StravaHttpError && e.isTokenRefused && attempt === 0) {
          await tokens.refresh(token);
          continue;
        }
        throw e;
      }
    }
  };
}

/** The Strava calls kneecheck makes: API reads through strava-v3, OAuth and webhooks its own. */
export class StravaApi {
  readonly #client: StravaClientInstance;
  readonly #transport: Transport;
  readonly #e: StravaEndpoints;

  constructor(endpoints: StravaEndpoints, transport: Transport, tokens: TokenKeeper) {
    this.#e = endpoints;
    this.#transport = transport;
    // The token argument is unused: the request seam puts the current token in each request.
    this.#client = new strava.client('', stravaRequest(endpoints.apiUrl, transport, tokens));
  }

  /** API requests sent so far. */
  get apiCalls(): number {
    return this.#transport.apiCalls;
  }

  /** The athlete with their shoes (`GET /athlete`). */
  async athlete(): Promise<StravaAthlete> {
    return parsed(stravaAthleteSchema, await this.#client.athlete.get({}), 'athlete');
  }

  /** One page of the athlete's activities; with only `after`, Strava lists oldest first. */
  async listActivities(q: {
    after?: number;
    before?: number;
    page: number;
    perPage: number;
  }): Promise<ActivityPage> {
    const args: Record<string, number> = { page: q.page, per_page: q.perPage };
    if (q.after !== undefined) args.after = q.after;
    if (q.before !== undefined) args.before = q.before;
    const list = await this.#client.athlete.listActivities(args);
    const items = parsed(activityPageSchema, list, `activity list (page ${q.page})`);
    const page: ActivityPage = { activities: [], malformed: [], size: items.length };
    items.forEach((item, i) => {
      const id = listedId(item);
      const r = parseStrava(
        stravaActivitySchema,
        item,
        id === null ? `activity ${i + 1} of page ${q.page}` : `activity ${id}`,
      );
      if (r.ok) page.activities.push(r.value);
      else page.malformed.push({ id, error: r.error });
    });
    return page;
  }

  /** The activity detail (with `device_name`); null when Strava no longer has it (404). */
  async activity(id: string): Promise<StravaActivity | null> {
    try {
      const body: unknown = await this.#client.activities.get({ id });
      return parsed(stravaActivitySchema, body, `activity ${id}`);
    } catch (e) {
      if (e instanceof StravaHttpError && e.status === 404) return null;
      throw e;
    }
  }

  /**
   * The streams a form summary needs, keyed by type; null when there are none (404: manual).
   * A body that is not streams throws {@link StravaPayloadError}.
   */
  async streams(id: string): Promise<StravaStreams | null> {
    let body: unknown;
    try {
      body = await this.#client.streams.activity({
        id,
        keys: [...STREAM_KEYS],
        key_by_type: true,
      });
    } catch (e) {
      if (e instanceof StravaHttpError && e.status === 404) return null;
      throw e;
    }
    return parsed(stravaStreamsSchema, body, `streams of activity ${id}`);
  }

  // --- webhook subscriptions (app credentials, not the athlete's token; strava-v3's helper
  // only works with its global config and fixed URL, so they go through the transport directly)

  async listSubscriptions(): Promise<StravaPushSubscription[]> {
    const url = this.#url('push_subscriptions', {
      client_id: this.#e.clientId,
      client_secret: this.#e.clientSecret,
    });
    const res = await this.#transport.send({ method: 'GET', url }, 'api');
    return parsed(stravaSubscriptionListSchema, res.body ?? [], 'subscription list');
  }

  /** Creates the subscription; Strava first GETs `callbackUrl` with a challenge (2 s to answer). */
  async subscribe(callbackUrl: string, verifyToken: string): Promise<{ id: number }> {
    const res = await this.#transport.send(
      {
        method: 'POST',
        url: this.#url('push_subscriptions'),
        form: {
          client_id: this.#e.clientId,
          client_secret: this.#e.clientSecret,
          callback_url: callbackUrl,
          verify_token: verifyToken,
        },
      },
      'api',
    );
    return parsed(stravaSubscribedSchema, res.body, 'new subscription');
  }

  async unsubscribe(id: number): Promise<void> {
    const url = this.#url(`push_subscriptions/${id}`, {
      client_id: this.#e.clientId,
      client_secret: this.#e.clientSecret,
    });
    await this.#transport.send({ method: 'DELETE', url }, 'api');
  }

  #url(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(path, withSlash(this.#e.apiUrl));
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }
}

/**
 * OAuth against STRAVA_OAUTH_URL (strava-v3's `oauth` helpers have the www.strava.com URLs
 * built in, so this small client replaces them; it uses the same {@link Transport}).
 */
export class StravaOAuth {
  readonly #transport: Transport;
  readonly #e: StravaEndpoints;

  constructor(endpoints: StravaEndpoints, transport: Transport) {
    this.#e = endpoints;
    this.#transport = transport;
  }

  /** The page the runner opens to grant kneecheck read access to their activities. */
  authorizeUrl(redirectUri: string, state: string, scope = 'activity:read_all'): string {
    const url = new URL('authorize', withSlash(this.#e.oauthUrl));
    url.search = new URLSearchParams({
      client_id: this.#e.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      approval_prompt: 'auto',
      scope,
      state,
    }).toString();
    return url.toString();
  }

  exchangeCode(code: string): Promise<StravaTokenResponse> {
    return this.#token({ code, grant_type: 'authorization_code' });
  }

  refresh(refreshToken: string): Promise<StravaTokenResponse> {
    return this.#token({ refresh_token: refreshToken, grant_type: 'refresh_token' });
  }

  /**
   * Revokes the app's access for the athlete: `POST oauth/revoke` with the client credentials
   * (HTTP Basic) and `token` in the body; revoking either token revokes the other. Replaces
   * `oauth/deauthorize`, which Strava retires on 2027-06-01 (stravalib/stravalib#738).
   */
  async revoke(
    token: string,
    hint: 'refresh_token' | 'access_token' = 'refresh_token',
  ): Promise<void> {
    const basic = Buffer.from(`${this.#e.clientId}:${this.#e.clientSecret}`).toString('base64');
    await this.#transport.send(
      {
        method: 'POST',
        url: new URL('revoke', withSlash(this.#e.oauthUrl)),
        headers: { Authorization: `Basic ${basic}` },
        form: { token, token_type_hint: hint },
      },
      'oauth',
    );
  }

  async #token(params: Record<string, string>): Promise<StravaTokenResponse> {
    let res;
    try {
      res = await this.#transport.send(
        {
          method: 'POST',
          url: new URL('token', withSlash(this.#e.oauthUrl)),
          form: { client_id: this.#e.clientId, client_secret: this.#e.clientSecret, ...params },
        },
        'oauth',
      );
    } catch (e) {
      if (e instanceof StravaHttpError && (e.status === 400 || e.status === 401)) {
        const what =
          params.grant_type === 'refresh_token'
            ? 'the stored authorization (it was revoked or has expired); run `kneecheck strava connect` again'
            : 'the authorization code; check STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET, then connect again';
        throw new KneecheckError(`Strava refused ${what} (${e.message.replace(/^.*?: /, '')})`, {
          exitCode: EXIT.usage,
          cause: e,
        });
      }
      throw e;
    }
    const body = parseStrava(stravaTokenResponseSchema, res.body, 'token answer');
    if (!body.ok) {
      throw new KneecheckError(`Strava answered the token request without tokens: ${body.error}`, {
        exitCode: EXIT.someFailed,
      });
    }
    return body.value;
  }
}
