/**
 * A fake Strava API v3 and OAuth server on 127.0.0.1 (a real node:http server, port 0), built
 * from the real payload shapes described in `../shared/fixtures/strava/README.md` (key order,
 * absent optional keys, `start_date_local` ending in `Z`, list order, error bodies, rate-limit
 * headers). It does not read those files: the shapes are written out below, so tests run
 * without `../shared`.
 *
 * Supports: GET /athlete, /athlete/activities (page, per_page ≤ 200, before, after; oldest first
 * with only `after`, newest first otherwise), /activities/{id}, /activities/{id}/streams
 * (key_by_type; 404 for manual activities), push_subscriptions (with the callback challenge);
 * OAuth /authorize (auto-approves with a 302 to the redirect URI), /token (authorization_code and
 * refresh_token), /deauthorize. Tokens expire (expires_at) and can be revoked after N requests;
 * 401 with Strava's body; the rate limits with real headers and 429; injectable 429 and 5xx;
 * every request logged.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { IANAZone } from 'luxon';

export type Json = Record<string, unknown>;

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
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  kind: 'api' | 'oauth';
  status: number;
}

const ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;
const WINDOW_MS = 15 * 60_000;
const FIRST_ID = 16_000_000_000;

const ERROR_401 = {
  message: 'Authorization Error',
  errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
};
const ERROR_404 = {
  message: 'Record Not Found',
  errors: [{ resource: 'Activity', field: 'id', code: 'invalid' }],
};
const ERROR_429 = {
  message: 'Rate Limit Exceeded',
  errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }],
};
const OAUTH_400 = {
  invalid_code: {
    message: 'Bad Request',
    errors: [{ resource: 'RequestToken', field: 'code', code: 'invalid' }],
  },
  invalid_client: {
    message: 'Bad Request',
    errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }],
  },
  invalid_refresh_token: {
    message: 'Bad Request',
    errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }],
  },
};
/** A guess: the README notes the real 5xx body is not recorded. */
const ERROR_500 = { message: 'Internal Server Error', errors: [] };

const hex = (n: number) => randomBytes(n).toString('hex');
const r1 = (x: number) => Math.round(x * 10) / 10;

/** SummaryAthlete (resource_state 2) as it comes with the token exchange. */
function summaryAthlete(id: number): Json {
  return {
    id,
    username: 'sam_runs',
    resource_state: 2,
    firstname: 'Sam',
    lastname: 'Beginner',
    bio: '',
    city: 'Berlin',
    state: 'Berlin',
    country: 'Germany',
    sex: 'F',
    premium: false,
    summit: false,
    created_at: '2025-01-06T18:22:41Z',
    updated_at: '2025-10-20T06:10:12Z',
    badge_type_id: 0,
    weight: 64.0,
    profile_medium: 'https://example.invalid/pictures/athletes/medium.jpg',
    profile: 'https://example.invalid/pictures/athletes/large.jpg',
    friend: null,
    follower: null,
  };
}

/** What a generated activity is. */
export interface ActivitySpec {
  sportType: 'Run' | 'TrailRun' | 'VirtualRun' | 'Ride' | 'Walk';
  start: Date;
  distanceM: number;
  speedMps: number;
  /** One leg's strides/min; null: the key is absent. */
  cadence: number | null;
  heartRate: number | null;
  trainer?: boolean;
  manual?: boolean;
  name?: string;
  private?: boolean;
}

/** The generated mix, by index (0 = oldest): runs with every variant, rides and walks. */
export function specFor(i: number, start: Date): ActivitySpec {
  const base = {
    start,
    distanceM: 3000 + ((i * 733) % 7000),
    speedMps: 2.5 + (i % 8) * 0.1,
    cadence: 76 + (i % 9),
    heartRate: 140 + (i % 20),
  };
  if (i % 10 === 3)
    return {
      ...base,
      sportType: 'Ride',
      distanceM: 12000 + i,
      speedMps: 5.2,
      cadence: 82.5,
      heartRate: null,
    };
  if (i % 10 === 7) return { ...base, sportType: 'Walk', speedMps: 1.3, cadence: 55 };
  if (i % 17 === 5)
    return { ...base, sportType: 'Run', manual: true, cadence: null, heartRate: null };
  if (i % 13 === 4) return { ...base, sportType: 'Run', trainer: true };
  if (i % 19 === 6) return { ...base, sportType: 'TrailRun' };
  if (i % 23 === 8) return { ...base, sportType: 'VirtualRun' };
  if (i % 11 === 9) return { ...base, sportType: 'Run', cadence: null };
  return { ...base, sportType: 'Run' };
}

const isoZ = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A DetailedActivity (resource_state 3) in the real key order; the list item is derived from it. */
export function activityDetail(id: number, athleteId: number, s: ActivitySpec): Json {
  const startMs = s.start.getTime();
  const offsetS = IANAZone.create(ZONE).offset(startMs) * 60;
  const movingTime = Math.round(s.distanceM / s.speedMps);
  const elapsed = movingTime + (s.manual ? 0 : 60);
  const isRun = s.sportType !== 'Ride' && s.sportType !== 'Walk';
  const indoor = s.trainer === true || s.sportType === 'VirtualRun' || s.manual === true;
  const a: Json = {
    resource_state: 3,
    athlete: { id: athleteId, resource_state: 1 },
    name: s.name ?? (isRun ? 'Morning Run' : `Morning ${s.sportType}`),
    distance: r1(s.distanceM),
    moving_time: movingTime,
    elapsed_time: elapsed,
    total_elevation_gain: indoor ? 0 : 12.1,
    type: s.sportType,
    sport_type: s.sportType,
    workout_type: isRun ? 0 : null,
    id,
    start_date: isoZ(startMs),
    // Local wall-clock time written with a Z, as Strava does.
    start_date_local: isoZ(startMs + offsetS * 1000),
    timezone: '(GMT+01:00) Europe/Berlin',
    utc_offset: offsetS,
    location_city: null,
    location_state: null,
    location_country: null,
    achievement_count: 0,
    kudos_count: 2,
    comment_count: 0,
    athlete_count: 1,
    photo_count: 0,
    map: {
      id: `a${id}`,
      polyline: indoor ? '' : 'mfp_I_ofpAoAkAiBmBcBmB',
      resource_state: 3,
      summary_polyline: indoor ? '' : 'mfp_I_ofpAoAkAiBmBcBmB',
    },
    trainer: s.trainer === true,
    commute: false,
    manual: s.manual === true,
    private: s.private === true,
    visibility: s.private ? 'only_me' : 'everyone',
    flagged: false,
    gear_id: isRun ? 'g24681357' : 'b13572468',
    start_latlng: indoor ? [] : [52.520008, 13.404954],
    end_latlng: indoor ? [] : [52.519871, 13.405212],
    average_speed: Math.round(s.speedMps * 1000) / 1000,
    max_speed: s.manual ? 0 : r1(s.speedMps * 1.3),
  };
  if (s.cadence !== null) a.average_cadence = s.cadence;
  if (!indoor) a.average_temp = 14;
  a.has_heartrate = s.heartRate !== null;
  if (s.heartRate !== null) {
    a.average_heartrate = s.heartRate + 0.7;
    a.max_heartrate = s.heartRate + 25.0;
  }
  a.heartrate_opt_out = false;
  a.display_hide_heartrate_option = s.heartRate !== null;
  if (!indoor) {
    a.elev_high = 45.4;
    a.elev_low = 29.6;
  }
  const upload = s.manual ? null : 17_000_000_000 + (id % 1_000_000_000);
  a.upload_id = upload;
  if (upload !== null) a.upload_id_str = String(upload);
  a.external_id = s.manual ? null : `garmin_ping_${id}`;
  a.from_accepted_tag = false;
  a.pr_count = 0;
  a.total_photo_count = 0;
  a.has_kudoed = false;
  if (s.heartRate !== null) a.suffer_score = 38.0;
  // Detail-only keys.
  a.description = null;
  a.calories = Math.round(s.distanceM * 0.068);
  a.perceived_exertion = null;
  a.prefer_perceived_exertion = null;
  a.segment_efforts = [];
  a.splits_metric = [];
  a.laps = [];
  a.gear = isRun
    ? {
        id: 'g24681357',
        primary: true,
        name: 'ASICS GEL-Nimbus 26',
        nickname: null,
        resource_state: 2,
        retired: false,
        distance: 412345,
        converted_distance: 412.3,
      }
    : {
        id: 'b13572468',
        primary: true,
        name: 'Commuter',
        nickname: 'Commuter',
        resource_state: 2,
        retired: false,
        distance: 1234567,
        converted_distance: 1234.6,
      };
  a.photos = { primary: null, count: 0 };
  a.stats_visibility = [{ type: 'heart_rate', visibility: 'everyone' }];
  a.hide_from_home = false;
  if (!s.manual) a.device_name = s.sportType === 'VirtualRun' ? 'Zwift' : 'Garmin Forerunner 55';
  a.embed_token = hex(20);
  a.available_zones = [];
  return a;
}

const DETAIL_ONLY = [
  'description',
  'calories',
  'perceived_exertion',
  'prefer_perceived_exertion',
  'segment_efforts',
  'splits_metric',
  'laps',
  'gear',
  'photos',
  'stats_visibility',
  'hide_from_home',
  'device_name',
  'embed_token',
  'available_zones',
];

/** The SummaryActivity (resource_state 2) of a detail: no detail-only keys, no map polyline. */
export function summaryOf(detail: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(detail)) {
    if (DETAIL_ONLY.includes(k)) continue;
    if (k === 'resource_state') out[k] = 2;
    else if (k === 'map') {
      const m = v as Json;
      out[k] = { id: m.id, summary_polyline: m.summary_polyline, resource_state: 2 };
    } else out[k] = v;
  }
  return out;
}

/** 1 Hz streams of a run at the activity's speed and cadence, with a 60 s stop in the middle. */
function streamsOf(detail: Json, keys: string[], byType: boolean): unknown {
  const moving = detail.moving_time as number;
  const speed = detail.average_speed as number;
  const cadence = (detail.average_cadence as number | undefined) ?? null;
  const hr = (detail.average_heartrate as number | undefined) ?? null;
  const stopAt = Math.floor(moving / 2);
  const cols: Record<string, unknown[]> = {
    time: [],
    distance: [],
    velocity_smooth: [],
    cadence: [],
    heartrate: [],
    moving: [],
  };
  let d = 0;
  const total = moving + 60;
  for (let t = 0; t <= total; t++) {
    const still = t > stopAt && t <= stopAt + 60;
    const v = still ? 0 : speed * (0.97 + 0.06 * ((t % 7) / 7));
    d += v;
    cols.time?.push(t);
    cols.distance?.push(r1(d));
    cols.velocity_smooth?.push(Math.round(v * 1000) / 1000);
    cols.cadence?.push(still || cadence === null ? 0 : Math.round(cadence + ((t % 5) - 2)));
    cols.heartrate?.push(hr === null ? null : Math.round(hr + ((t % 9) - 4)));
    cols.moving?.push(!still);
  }
  const present = keys.filter(
    (k) =>
      k in cols && !(k === 'cadence' && cadence === null) && !(k === 'heartrate' && hr === null),
  );
  const stream = (k: string) => ({
    data: cols[k],
    series_type: 'distance',
    original_size: total + 1,
    resolution: 'high',
  });
  if (byType) return Object.fromEntries(present.map((k) => [k, stream(k)]));
  return present.map((k) => ({ type: k, ...stream(k) }));
}

interface TokenInfo {
  access: string;
  refresh: string;
  expiresAt: number;
  /** The access token no longer works (the refresh token may). */
  revoked: boolean;
  /** The refresh token was used or the athlete deauthorized. */
  refreshUsed: boolean;
}

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

  readonly #server: http.Server;
  readonly #o: Required<Omit<FakeStravaOptions, 'newest' | 'activities'>>;
  readonly #codes = new Map<string, string>();
  readonly #tokens: TokenInfo[] = [];
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
    };
    this.clientId = this.#o.clientId;
    this.clientSecret = this.#o.clientSecret;
    this.athleteId = this.#o.athleteId;
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
    return `${this.url}/api/v3`;
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
    for (const t of this.#tokens) t.expiresAt = Math.floor(Date.now() / 1000) - 1;
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
    if (kind === 'oauth') return this.#oauth(req, url, params, send, res, entry);

    if (!url.pathname.startsWith('/api/v3/')) return send(404, ERROR_404);
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
    const path = url.pathname.slice('/api/v3'.length);
    if (path.startsWith('/push_subscriptions')) return this.#subscriptions(req, path, params, send);

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const info = this.#tokens.find((t) => t.access === token);
    if (this.#revokeAfter !== null && this.#revokeAfter-- <= 0) {
      for (const t of this.#tokens) t.revoked = true;
      this.#revokeAfter = null;
    }
    if (!info || info.revoked || info.expiresAt <= Date.now() / 1000) return send(401, ERROR_401);

    if (req.method === 'GET' && path === '/athlete') {
      return send(200, { ...summaryAthlete(this.athleteId), resource_state: 3 });
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

  #issue(withAthlete: boolean, refresh?: string): Json {
    const t: TokenInfo = {
      access: hex(20),
      refresh: refresh ?? hex(20),
      expiresAt: Math.floor(Date.now() / 1000) + this.#o.tokenLifetimeS,
      revoked: false,
      refreshUsed: false,
    };
    this.#tokens.push(t);
    this.issued.add(t.access).add(t.refresh);
    const body: Json = {
      token_type: 'Bearer',
      expires_at: t.expiresAt,
      expires_in: this.#o.tokenLifetimeS,
      refresh_token: t.refresh,
      access_token: t.access,
    };
    if (withAthlete) body.athlete = summaryAthlete(this.athleteId);
    return body;
  }

  #oauth(
    req: http.IncomingMessage,
    url: URL,
    p: Record<string, string>,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
    res: http.ServerResponse,
    entry: LoggedRequest,
  ): void {
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      if (p.client_id !== this.clientId || !p.redirect_uri || p.response_type !== 'code') {
        return send(400, OAUTH_400.invalid_client);
      }
      const back = new URL(p.redirect_uri);
      back.searchParams.set('state', p.state ?? '');
      if (this.denyNextAuthorize) {
        this.denyNextAuthorize = false;
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = hex(20);
        this.#codes.set(code, this.grantedScope);
        this.issued.add(code);
        back.searchParams.set('code', code);
        back.searchParams.set('scope', this.grantedScope);
      }
      entry.status = 302;
      res.writeHead(302, { Location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      if (p.client_id !== this.clientId || p.client_secret !== this.clientSecret) {
        return send(400, OAUTH_400.invalid_client);
      }
      if (p.grant_type === 'authorization_code') {
        if (!p.code || !this.#codes.delete(p.code)) return send(400, OAUTH_400.invalid_code);
        return send(200, this.#issue(true));
      }
      if (p.grant_type === 'refresh_token') {
        const old = this.#tokens.find((t) => t.refresh === p.refresh_token && !t.refreshUsed);
        if (!old) return send(400, OAUTH_400.invalid_refresh_token);
        old.revoked = true;
        old.refreshUsed = true;
        return send(200, this.#issue(false));
      }
      return send(400, OAUTH_400.invalid_code);
    }
    if (req.method === 'POST' && url.pathname === '/oauth/deauthorize') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? p.access_token;
      const t = this.#tokens.find((x) => x.access === token && !x.revoked);
      if (!t) return send(401, ERROR_401);
      for (const x of this.#tokens) {
        x.revoked = true;
        x.refreshUsed = true;
      }
      return send(200, { access_token: token });
    }
    send(404, ERROR_404);
  }

  async #subscriptions(
    req: http.IncomingMessage,
    path: string,
    p: Record<string, string>,
    send: (status: number, body: unknown) => void,
  ): Promise<void> {
    if (p.client_id !== this.clientId || p.client_secret !== this.clientSecret) {
      return send(401, {
        message: 'Authorization Error',
        errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }],
      });
    }
    if (req.method === 'GET' && path === '/push_subscriptions') {
      return send(
        200,
        this.subscriptions.map((s) => ({
          id: s.id,
          resource_state: 2,
          application_id: Number(this.clientId),
          callback_url: s.callback_url,
          created_at: s.created_at,
          updated_at: s.created_at,
        })),
      );
    }
    if (req.method === 'POST' && path === '/push_subscriptions') {
      if (this.subscriptions.length > 0) {
        return send(400, {
          message: 'Bad Request',
          errors: [{ resource: 'PushSubscription', field: '', code: 'already exists' }],
        });
      }
      // Strava checks the callback at once: GET with the challenge, 2 s to echo it.
      const challenge = hex(7);
      const check = new URL(p.callback_url ?? '');
      check.searchParams.set('hub.verify_token', p.verify_token ?? '');
      check.searchParams.set('hub.challenge', challenge);
      check.searchParams.set('hub.mode', 'subscribe');
      let ok: boolean;
      try {
        const r = await fetch(check, { signal: AbortSignal.timeout(2000) });
        ok = r.ok && ((await r.json()) as Json)['hub.challenge'] === challenge;
      } catch {
        ok = false;
      }
      if (!ok) {
        return send(400, {
          message: 'Bad Request',
          errors: [
            {
              resource: 'PushSubscription',
              field: 'callback url',
              code: 'GET to callback URL does not return 200',
            },
          ],
        });
      }
      const sub = {
        id: 120475 + this.subscriptions.length,
        callback_url: p.callback_url ?? '',
        created_at: new Date().toISOString(),
      };
      this.subscriptions.push(sub);
      return send(201, { id: sub.id });
    }
    const del = /^\/push_subscriptions\/(\d+)$/.exec(path);
    if (req.method === 'DELETE' && del) {
      const i = this.subscriptions.findIndex((s) => s.id === Number(del[1]));
      if (i < 0) return send(404, ERROR_404);
      this.subscriptions.splice(i, 1);
      return send(204, undefined);
    }
    send(404, ERROR_404);
  }
}
