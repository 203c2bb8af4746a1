/**
 * A fake Strava API v3 and OAuth server on 127.0.0.1 (a real node:http server, port 0), built
 * from the real payload shapes described in `../shared/fixtures/strava/README.md` (key order,
 * absent optional keys, `start_date_local` ending in `Z`, list order, error bodies, rate-limit
 * headers). It does not read those files: the shapes are written out in fake-strava-data.ts, so
 * tests run without `../shared`.
 *
 * Supports: GET /athlete, /athlete/activities (page, per_page ≤ 200, before, after; oldest first
 * with only `after`, newest first otherwise), /activities/{id}, /activities/{id}/streams
 * (key_by_type; 404 for manual activities), push_subscriptions (with the callback challenge);
 * OAuth /authorize (auto-approves with a 302 to the redirect URI), /token (authorization_code and
 * refresh_token), /revoke, /deauthorize. `inactive` plays an application whose owner's
 * subscription lapsed (every call but the authorize page answers 403 "Inactive"). Tokens expire (expires_at) and can be revoked after N requests;
 * 401 with Strava's body; the rate limits with real headers and 429; injectable 429 and 5xx;
 * every request logged.
 */
import http from 'node:http';
import {
  ERROR_401,
  ERROR_404,
  ERROR_429,
  ERROR_500,
  activityDetail,
  hex,
  specFor,
  streamsOf,
  summaryAthlete,
  summaryOf,
  type ActivitySpec,
  type Json,
} from './fake-strava-data.ts';
import { FakeStravaOAuth } from './fake-strava-oauth.ts';
import { handleSubscriptions } from './fake-strava-subscriptions.ts';

/** The athlete's shoes (SummaryGear): the first is the gear of every fake run. */
export const SHOES = [
  {
    id: 'g24681357',
    primary: true,
    name: 'Pegasus 40 (blue)',
    retired: false,
    distance: 412345.6,
    resource_state: 2,
  },
  {
    id: 'g99999999',
    primary: false,
    name: 'old trainers',
    retired: true,
    distance: 801000,
    resource_state: 2,
  },
];

export { activityDetail, specFor, summaryOf } from './fake-strava-data.ts';
export type { ActivitySpec, Json } from './fake-strava-data.ts';

export interface FakeStravaOptions {
  /** How many activities to generate, one a day, the newest starting at `newest`. */
  activities?: number;
  /** Start of the newest generated activity (default: 2 hours ago). */
  newest?: Date;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of an access token, s (Strava: 6 h). */
  tokenLifetimeS?: number;
  /** [15 min, daily] limits: overall (default 200, 2000) and read (100, 1000). */
  overallLimit?: [number, number];
  readLimit?: [number, number];
  athleteId?: number;
  /**
   * Where the API lives on the fake (default `/api/v3`, as on www.strava.com); `''` serves it
   * at the root, as the host Strava announced for 2027 does (stravalib/stravalib#737).
   */
  apiPrefix?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  kind: 'api' | 'oauth';
  status: number;
}

/** Strava's answer to every call of an inactive application (stravalib/stravalib#730). */
export const ERROR_INACTIVE = {
  message: 'Forbidden',
  errors: [{ resource: 'Application', field: 'Status', code: 'Inactive' }],
};

const DAY_MS = 86_400_000;
const WINDOW_MS = 15 * 60_000;
const FIRST_ID = 16_000_000_000;

/** The fake; start it with {@link FakeStrava.start}. */
export class FakeStrava {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly athleteId: number;
  /** Activities by id, as DetailedActivity objects (edit them to simulate edits on Strava). */
  readonly activities = new Map<number, Json>();
  readonly log: LoggedRequest[] = [];
  /** Every token and code handed out, for scanning output for leaks. */
  readonly issued = new Set<string>();
  readonly subscriptions: { id: number; callback_url: string; created_at: string }[] = [];
  /** Answer the authorize page with access_denied instead of a code. */
  denyNextAuthorize = false;
  /** Scope the authorize page grants. */
  grantedScope = 'read,activity:read_all';
  /**
   * The API application is inactive (its owner has no Strava subscription, since 30 June 2026):
   * every API and OAuth call answers 403 with {@link ERROR_INACTIVE}.
   */
  inactive = false;

  readonly #server: http.Server;
  readonly #o: Required<Omit<FakeStravaOptions, 'newest' | 'activities'>>;
  readonly #auth: FakeStravaOAuth;
  #fail5xx = 0;
  #fail429 = 0;
  #skip429 = 0;
  #revokeAfter: number | null = null;
  #usage = { window: 0, day: 0, overall: [0, 0], read: [0, 0] };
  #nextId: number;

  private constructor(opts: FakeStravaOptions) {
    this.#o = {
      clientId: opts.clientId ?? '424242',
      clientSecret: opts.clientSecret ?? `secret${hex(16)}`,
      tokenLifetimeS: opts.tokenLifetimeS ?? 21_600,
      overallLimit: opts.overallLimit ?? [200, 2000],
      readLimit: opts.readLimit ?? [100, 1000],
      athleteId: opts.athleteId ?? 98_765_432,
      apiPrefix: opts.apiPrefix ?? '/api/v3',
    };
    this.clientId = this.#o.clientId;
    this.clientSecret = this.#o.clientSecret;
    this.athleteId = this.#o.athleteId;
    this.#auth = new FakeStravaOAuth(this, this.#o.tokenLifetimeS);
    const n = opts.activities ?? 0;
    const newest = (opts.newest ?? new Date(Date.now() - 2 * 3600_000)).getTime();
    for (let i = 0; i < n; i++) {
      const start = new Date(
        newest - (n - 1 - i) * DAY_MS + ((i * 37) % 180) * 60_000 - 90 * 60_000,
      );
      const id = FIRST_ID + i * 1000;
      this.activities.set(id, activityDetail(id, this.athleteId, specFor(i, start)));
    }
    this.#nextId = FIRST_ID + n * 1000;
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
  }

  static async start(opts: FakeStravaOptions = {}): Promise<FakeStrava> {
    const fake = new FakeStrava(opts);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }
  get apiUrl(): string {
    return `${this.url}${this.#o.apiPrefix}`;
  }
  get oauthUrl(): string {
    return `${this.url}/oauth`;
  }

  /** API requests received (each counts against the limits, as on Strava). */
  get apiCalls(): number {
    return this.log.filter((r) => r.kind === 'api').length;
  }

  /** The STRAVA_* settings pointing at this fake. */
  env(): Record<string, string> {
    return {
      STRAVA_CLIENT_ID: this.clientId,
      STRAVA_CLIENT_SECRET: this.clientSecret,
      STRAVA_API_URL: this.apiUrl,
      STRAVA_OAUTH_URL: this.oauthUrl,
    };
  }

  /** Secrets that must never show up in kneecheck's output. */
  secrets(): string[] {
    return [...this.issued, this.clientSecret];
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  /** The next `n` API requests answer 500. */
  inject5xx(n: number): void {
    this.#fail5xx = n;
  }
  /**
   * After `skip` more API requests, the next `n` answer 429 (the app's read limit used up by
   * another process).
   */
  inject429(n: number, skip = 0): void {
    this.#fail429 = n;
    this.#skip429 = skip;
  }
  /** After `n` more API requests, every access token issued so far stops working (401). */
  revokeAccessTokensAfter(n: number): void {
    this.#revokeAfter = n;
  }
  /** Makes the current access tokens expire now (their `expires_at` passes). */
  expireAccessTokens(): void {
    for (const t of this.#auth.tokens) t.expiresAt = Math.floor(Date.now() / 1000) - 1;
  }
  /** A new 15-minute window (usage back to 0, as after waiting). */
  resetRateWindow(): void {
    this.#usage.overall[0] = 0;
    this.#usage.read[0] = 0;
  }

  /** Adds an activity (uploaded now), returns its id. */
  addActivity(spec: Partial<ActivitySpec> = {}): number {
    const id = this.#nextId;
    this.#nextId += 1000;
    const full: ActivitySpec = {
      ...specFor(0, new Date(Date.now() - 3600_000)),
      sportType: 'Run',
      ...spec,
    };
    this.activities.set(id, activityDetail(id, this.athleteId, full));
    return id;
  }

  /** A webhook event for an activity, as Strava posts it. */
  event(
    aspect: 'create' | 'update' | 'delete',
    id: number,
    updates: Record<string, string> = {},
  ): Json {
    return {
      aspect_type: aspect,
      event_time: Math.floor(Date.now() / 1000),
      object_id: id,
      object_type: 'activity',
      owner_id: this.athleteId,
      subscription_id: this.subscriptions[0]?.id ?? 120475,
      updates,
    };
  }

  #rateHeaders(): Record<string, string> {
    return {
      'X-RateLimit-Limit': this.#o.overallLimit.join(','),
      'X-RateLimit-Usage': this.#usage.overall.join(','),
      'X-ReadRateLimit-Limit': this.#o.readLimit.join(','),
      'X-ReadRateLimit-Usage': this.#usage.read.join(','),
    };
  }

  /** Counts a request in Strava's windows (15 min at :00/:15/:30/:45, day at 00:00 UTC). */
  #count(isRead: boolean): boolean {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const day = Math.floor(now / DAY_MS);
    if (window !== this.#usage.window) {
      this.#usage.window = window;
      this.#usage.overall[0] = 0;
      this.#usage.read[0] = 0;
    }
    if (day !== this.#usage.day) {
      this.#usage.day = day;
      this.#usage.overall[1] = 0;
      this.#usage.read[1] = 0;
    }
    const o = this.#usage.overall as [number, number];
    const r = this.#usage.read as [number, number];
    o[0]++;
    o[1]++;
    if (isRead) {
      r[0]++;
      r[1]++;
    }
    const [o15, oDay] = this.#o.overallLimit;
    const [r15, rDay] = this.#o.readLimit;
    return o[0] > o15 || o[1] > oDay || (isRead && (r[0] > r15 || r[1] > rDay));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const form = Object.fromEntries(new URLSearchParams(raw));
    const query = Object.fromEntries(url.searchParams);
    const params = { ...query, ...form };
    const kind = url.pathname.startsWith('/oauth/') ? 'oauth' : 'api';
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      kind,
      status: 0,
    };
    this.log.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        ...(kind === 'api' ? this.#rateHeaders() : {}),
        ...headers,
      });
      res.end(text);
    };
    if (this.inactive && url.pathname !== '/oauth/authorize') return send(403, ERROR_INACTIVE);
    if (kind === 'oauth') return this.#auth.handle(req, url, params, send, res, entry);

    const prefix = this.#o.apiPrefix;
    if (!url.pathname.startsWith(`${prefix}/`)) return send(404, ERROR_404);
    const over = this.#count(req.method === 'GET');
    const injected = this.#fail429 > 0 && this.#skip429-- <= 0;
    if (injected || over) {
      if (injected) {
        this.#fail429--;
        // Another process used up the read limit: the headers say so.
        const r = this.#usage.read as [number, number];
        r[0] = Math.max(r[0], this.#o.readLimit[0] + 1);
      }
      return send(429, ERROR_429);
    }
    if (this.#fail5xx > 0) {
      this.#fail5xx--;
      return send(500, ERROR_500);
    }
    const path = url.pathname.slice(prefix.length);
    if (path.startsWith('/push_subscriptions'))
      return handleSubscriptions(this, req, path, params, send);

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const info = this.#auth.tokens.find((t) => t.access === token);
    if (this.#revokeAfter !== null && this.#revokeAfter-- <= 0) {
      for (const t of this.#auth.tokens) t.revoked = true;
      this.#revokeAfter = null;
    }
    if (!info || info.revoked || info.expiresAt <= Date.now() / 1000) return send(401, ERROR_401);

    if (req.method === 'GET' && path === '/athlete') {
      // DetailedAthlete: with the shoes whose id every fake run names as gear_id.
      return send(200, { ...summaryAthlete(this.athleteId), resource_state: 3, shoes: SHOES });
    }
    if (req.method === 'GET' && path === '/athlete/activities') return send(200, this.#list(query));
    const streams = /^\/activities\/(\d+)\/streams$/.exec(path);
    if (req.method === 'GET' && streams) {
      const a = this.activities.get(Number(streams[1]));
      if (!a || a.manual === true) return send(404, ERROR_404);
      const keys = (query.keys ?? 'time,distance').split(',');
      return send(200, streamsOf(a, keys, query.key_by_type === 'true'));
    }
    const detail = /^\/activities\/(\d+)$/.exec(path);
    if (req.method === 'GET' && detail) {
      const a = this.activities.get(Number(detail[1]));
      return a ? send(200, a) : send(404, ERROR_404);
    }
    return send(404, ERROR_404);
  }

  #list(q: Record<string, string>): Json[] {
    const perPage = Math.min(200, Number(q.per_page ?? 30));
    const page = Math.max(1, Number(q.page ?? 1));
    const after = q.after !== undefined ? Number(q.after) : null;
    const before = q.before !== undefined ? Number(q.before) : null;
    const startS = (a: Json) => Date.parse(a.start_date as string) / 1000;
    let list = [...this.activities.values()].filter(
      (a) => (after === null || startS(a) > after) && (before === null || startS(a) < before),
    );
    // Only `after`: oldest first; otherwise newest first (see the fixtures README).
    const oldestFirst = after !== null && before === null;
    list.sort((a, b) => (oldestFirst ? startS(a) - startS(b) : startS(b) - startS(a)));
    list = list.slice((page - 1) * perPage, page * perPage);
    return list.map(summaryOf);
  }
}
