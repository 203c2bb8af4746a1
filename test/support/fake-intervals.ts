/**
 * A fake intervals.icu API v1 on 127.0.0.1 (a real node:http server, port 0), built from the
 * published OpenAPI document (`../shared/fixtures/intervals/`: the list's `oldest` (required),
 * `newest`, `limit` and `fields` parameters, newest-first order, string ids, the Strava stub)
 * and the notes on the API in `../shared/intake.md`. It does not read those files at run time:
 * the shapes are written out in fake-intervals-data.ts, so tests run without `../shared`.
 *
 * Supports: GET /api/v1/athlete/{id} (`0` = the key's owner), /api/v1/athlete/{id}/activities,
 * /api/v1/activity/{id}/file (the original FIT, gzipped or plain; 404 without one). HTTP Basic
 * auth with user `API_KEY` checked on every request (401 otherwise); injectable 429 (with
 * Retry-After) and 5xx; every request logged.
 */
import http from 'node:http';
import {
  activityJson,
  fileBytes,
  localText,
  withFields,
  yearOfActivities,
  type FakeActivitySpec,
} from './fake-intervals-data.ts';

export { runsOf, yearOfActivities, type FakeActivitySpec } from './fake-intervals-data.ts';

export interface FakeIntervalsOptions {
  /** Activities to serve (default: none). */
  activities?: FakeActivitySpec[];
  apiKey?: string;
  athleteId?: string;
}

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  status: number;
  /** The Authorization header carried the right key. */
  authorized: boolean;
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** The fake; start it with {@link FakeIntervals.start}. */
export class FakeIntervals {
  readonly apiKey: string;
  readonly athleteId: string;
  /** Activities by id (add, edit or delete them to simulate changes upstream). */
  readonly activities = new Map<string, FakeActivitySpec>();
  readonly log: LoggedRequest[] = [];
  /** The list's order: newest first as documented, or oldest first (a client must cope). */
  listOrder: 'desc' | 'asc' = 'desc';
  readonly #server: http.Server;
  readonly #files = new Map<string, Uint8Array>();
  #faults: { status: number; retryAfter?: string; match: RegExp }[] = [];

  private constructor(opts: FakeIntervalsOptions) {
    this.apiKey = opts.apiKey ?? 'kc3x9example0api0key0abcdefgh12';
    this.athleteId = opts.athleteId ?? 'i434414';
    for (const a of opts.activities ?? []) this.activities.set(a.id, a);
    this.#server = http.createServer((req, res) => {
      try {
        this.#handle(req, res);
      } catch (e) {
        json(res, 500, { status: 500, error: String(e) });
      }
    });
  }

  static async start(opts: FakeIntervalsOptions = {}): Promise<FakeIntervals> {
    const f = new FakeIntervals(opts);
    await new Promise<void>((r) => f.#server.listen(0, '127.0.0.1', () => r()));
    return f;
  }

  /** A fake holding a year of activities (one a day, the newest `newestHoursAgo` ago). */
  static year(n = 365, newestHoursAgo = 30): Promise<FakeIntervals> {
    return FakeIntervals.start({
      activities: yearOfActivities(n, new Date(Date.now() - newestHoursAgo * 3600_000)),
    });
  }

  get url(): string {
    const addr = this.#server.address();
    if (addr === null || typeof addr === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${addr.port}`;
  }

  env(): Record<string, string> {
    return { INTERVALS_API_URL: this.url };
  }

  /** The next request whose path matches `match` is answered with `status` (once per call). */
  failNext(status: number, match: RegExp = /./, retryAfter?: string): void {
    this.#faults.push({ status, match, ...(retryAfter === undefined ? {} : { retryAfter }) });
  }

  /** Requests to a kind of endpoint. */
  calls(kind: 'list' | 'file' | 'athlete' | 'all' = 'all'): LoggedRequest[] {
    return this.log.filter((r) =>
      kind === 'all'
        ? true
        : kind === 'list'
          ? r.path.endsWith('/activities')
          : kind === 'file'
            ? r.path.endsWith('/file')
            : /^\/api\/v1\/athlete\/[^/]+$/.test(r.path),
    );
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.#server.close(() => r());
      this.#server.closeAllConnections();
    });
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const entry: LoggedRequest = { path: url.pathname, query, status: 0, authorized: false };
    this.log.push(entry);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      json(res, status, body, headers);
    };
    const expected = `Basic ${Buffer.from(`API_KEY:${this.apiKey}`).toString('base64')}`;
    entry.authorized = req.headers.authorization === expected;
    if (req.method !== 'GET') return answer(405, { status: 405, error: 'Method Not Allowed' });
    if (!entry.authorized) return answer(401, { status: 401, error: 'Unauthorized' });
    const fault = this.#faults.findIndex((f) => f.match.test(url.pathname));
    if (fault >= 0) {
      const [f] = this.#faults.splice(fault, 1);
      if (f) {
        const headers: Record<string, string> = f.retryAfter ? { 'Retry-After': f.retryAfter } : {};
        return answer(f.status, { status: f.status, error: 'injected' }, headers);
      }
    }
    let m = /^\/api\/v1\/athlete\/([^/]+)$/.exec(url.pathname);
    if (m) {
      if (m[1] !== '0' && m[1] !== this.athleteId)
        return answer(403, { status: 403, error: 'Forbidden' });
      return answer(200, {
        id: this.athleteId,
        name: 'Jo Runner',
        email: null,
        sex: 'F',
        city: 'Berlin',
      });
    }
    m = /^\/api\/v1\/athlete\/([^/]+)\/activities$/.exec(url.pathname);
    if (m) {
      if (m[1] !== '0' && m[1] !== this.athleteId)
        return answer(403, { status: 403, error: 'Forbidden' });
      return this.#list(query, answer);
    }
    m = /^\/api\/v1\/activity\/([^/]+)\/file$/.exec(url.pathname);
    if (m) {
      const a = this.activities.get(decodeURIComponent(m[1] ?? ''));
      if (!a || a.file === 'none' || a.source === 'STRAVA') {
        return answer(404, { status: 404, error: 'Not Found' });
      }
      let bytes = this.#files.get(a.id);
      if (!bytes) {
        bytes = fileBytes(a);
        this.#files.set(a.id, bytes);
      }
      entry.status = 200;
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${a.id}.fit${a.file === 'fit-gz' ? '.gz' : ''}"`,
      });
      res.end(bytes);
      return;
    }
    answer(404, { status: 404, error: 'Not Found' });
  }

  #list(query: Record<string, string>, answer: (status: number, body: unknown) => void): void {
    const oldest = query.oldest;
    if (!oldest)
      return answer(422, { status: 422, error: "Required parameter 'oldest' is not present" });
    // A date alone: from its start (oldest) or to its end (newest); both bounds inclusive.
    const newest = query.newest ?? localText(new Date(), 0);
    const hi = newest.length === 10 ? `${newest}T23:59:59` : newest;
    const limit = query.limit ? Number(query.limit) : Infinity;
    const fields = query.fields ? query.fields.split(',') : null;
    const picked = [...this.activities.values()]
      .map((a) => ({ a, local: localText(a.start, a.offsetMin) }))
      .filter(({ local }) => local >= oldest && local <= hi)
      .sort(
        (x, y) =>
          (x.local < y.local ? 1 : x.local > y.local ? -1 : 0) *
          (this.listOrder === 'desc' ? 1 : -1),
      )
      .slice(0, limit)
      .map(({ a }) => withFields(activityJson(a, this.athleteId), fields));
    answer(200, picked);
  }
}
