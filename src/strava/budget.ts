/**
 * Strava's rate limits (developers.strava.com/docs/rate-limits): an overall and a read ("non
 * upload") limit, each per 15 minutes and per day, sent on every API response as
 * `X-RateLimit-Limit` / `X-RateLimit-Usage` and `X-ReadRateLimit-Limit` / `X-ReadRateLimit-Usage`,
 * each `15min,daily` (defaults `200,2000` and `100,1000`). The 15-minute windows start at :00,
 * :15, :30 and :45; the daily one at midnight UTC. Over a limit Strava answers 429.
 */

/** Usage against one limit pair, as the last response reported it. */
export interface RateUsage {
  limit15min: number;
  limitDaily: number;
  usage15min: number;
  usageDaily: number;
}

/** The budget's view of both limits; `at` is when a response last reported them (ISO). */
export interface RateLimitState {
  overall: RateUsage | null;
  read: RateUsage | null;
  at: string;
}

/** What to do before the next request. */
export type BudgetDecision =
  | { kind: 'go' }
  | { kind: 'wait'; untilMs: number; scope: '15min' | 'daily'; limit: 'overall' | 'read' };

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
/** Part of each limit left unused: room for webhook fetches and the runner's other Strava apps. */
const RESERVE_FRACTION = 0.05;
/** Waiting ends a little after the window turns, so Strava's counter has surely reset. */
const WINDOW_SLACK_MS = 2_000;

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

const header = (h: HeaderSource, name: string): string | null => {
  if (h instanceof Headers) return h.get(name);
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : h[key];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
};

const pair = (s: string | null): [number, number] | null => {
  const parts = s?.split(',').map((p) => Number(p.trim()));
  if (parts?.length !== 2 || !parts.every((n) => Number.isFinite(n) && n >= 0)) return null;
  return parts as [number, number];
};

function usage(h: HeaderSource, prefix: string): RateUsage | null {
  const limit = pair(header(h, `${prefix}-limit`));
  const used = pair(header(h, `${prefix}-usage`));
  if (!limit || !used) return null;
  return { limit15min: limit[0], limitDaily: limit[1], usage15min: used[0], usageDaily: used[1] };
}

/** Reads both limit pairs from response headers (case-insensitive); null when absent. */
export function parseRateHeaders(h: HeaderSource, nowMs: number): RateLimitState | null {
  const overall = usage(h, 'x-ratelimit');
  const read = usage(h, 'x-readratelimit');
  if (!overall && !read) return null;
  return { overall, read, at: new Date(nowMs).toISOString() };
}

/** Start of the 15-minute window holding `ms`. */
export const windowStart = (ms: number): number => Math.floor(ms / WINDOW_MS) * WINDOW_MS;
const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

const reserve = (limit: number): number => Math.max(1, Math.ceil(limit * RESERVE_FRACTION));

/**
 * Keeps the request budget: stops short of each limit (a 5 % reserve), and says how long to
 * wait for the window to turn. Usage read in an earlier window counts as zero in a later one.
 */
export class RateBudget {
  #state: RateLimitState | null;
  readonly #nowMs: () => number;

  constructor(opts: { nowMs?: () => number; state?: RateLimitState | null } = {}) {
    this.#nowMs = opts.nowMs ?? Date.now;
    this.#state = opts.state ?? null;
  }

  /** Takes the usage a response reported. */
  update(h: HeaderSource): void {
    const parsed = parseRateHeaders(h, this.#nowMs());
    if (parsed) {
      this.#state = {
        overall: parsed.overall ?? this.#state?.overall ?? null,
        read: parsed.read ?? this.#state?.read ?? null,
        at: parsed.at,
      };
    }
  }

  /** The usage as last reported, with counts from windows that have passed set to zero. */
  snapshot(): RateLimitState | null {
    const s = this.#state;
    if (!s) return null;
    const atMs = Date.parse(s.at);
    const now = this.#nowMs();
    const fresh = (u: RateUsage | null): RateUsage | null =>
      u && {
        ...u,
        usage15min: windowStart(atMs) === windowStart(now) ? u.usage15min : 0,
        usageDaily: dayStart(atMs) === dayStart(now) ? u.usageDaily : 0,
      };
    return { overall: fresh(s.overall), read: fresh(s.read), at: s.at };
  }

  /** Whether a request (a read, or a write such as a push subscription) fits the budget now. */
  check(isRead: boolean): BudgetDecision {
    const s = this.snapshot();
    if (!s) return { kind: 'go' };
    const now = this.#nowMs();
    const limits: ['overall' | 'read', RateUsage | null][] = [['overall', s.overall]];
    if (isRead) limits.push(['read', s.read]);
    for (const [limit, u] of limits) {
      if (!u) continue;
      if (u.usageDaily >= u.limitDaily - reserve(u.limitDaily)) {
        return {
          kind: 'wait',
          untilMs: dayStart(now) + DAY_MS + WINDOW_SLACK_MS,
          scope: 'daily',
          limit,
        };
      }
      if (u.usage15min >= u.limit15min - reserve(u.limit15min)) {
        return {
          kind: 'wait',
          untilMs: windowStart(now) + WINDOW_MS + WINDOW_SLACK_MS,
          scope: '15min',
          limit,
        };
      }
    }
    return { kind: 'go' };
  }

  /** After a 429: until when to wait (the daily window when the daily count is used up). */
  after429(h: HeaderSource): BudgetDecision & { kind: 'wait' } {
    this.update(h);
    const now = this.#nowMs();
    const s = this.snapshot();
    for (const [limit, u] of [
      ['read', s?.read ?? null],
      ['overall', s?.overall ?? null],
    ] as const) {
      if (u && u.usageDaily >= u.limitDaily) {
        return {
          kind: 'wait',
          untilMs: dayStart(now) + DAY_MS + WINDOW_SLACK_MS,
          scope: 'daily',
          limit,
        };
      }
    }
    const limit = s?.read && s.read.usage15min >= s.read.limit15min ? 'read' : 'overall';
    return {
      kind: 'wait',
      untilMs: windowStart(now) + WINDOW_MS + WINDOW_SLACK_MS,
      scope: '15min',
      limit,
    };
  }
}
