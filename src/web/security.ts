import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isLoopback, type Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/index.ts';
import { browserOrigin } from './origin.ts';

/** The cookie that carries proof of the token after one visit with `?token=`. */
export const TOKEN_COOKIE = 'kneecheck_token';
/** Strava's webhook: its own secret path segment stands in for the token. */
const isStravaWebhook = (path: string): boolean => path.startsWith('/webhooks/strava/');
/**
 * Paths Strava reaches (through KNEECHECK_PUBLIC_URL, under any name a proxy gives): no Host
 * check, no token (Strava cannot send ours).
 */
const isStravaPath = (path: string): boolean =>
  path === '/strava/callback' || isStravaWebhook(path);
/** Settings key of the per-install CSRF secret. */
const CSRF_SECRET_KEY = 'web.csrf-secret';
/** How long a form's CSRF token stays valid (a page left open on a phone for days still works). */
const CSRF_MAX_AGE_S = 7 * 86_400;
const COOKIE_MAX_AGE_S = 180 * 86_400;

/** Equality of two strings in time independent of where they differ (both hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');

/** The cookie value for a token: derived from it, so the cookie never holds the token itself. */
export const cookieValue = (token: string): string => hmac(token, 'kneecheck-web-cookie-v1');

const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  [
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  // same-origin, not no-referrer: with no referrer a browser sends `Origin: null` on its own form
  // posts, and those are refused (originCheck); other sites still get no Referer.
  ['Referrer-Policy', 'same-origin'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

/**
 * Content-Security-Policy and friends on every response (DESIGN §8). Set on the response's own
 * headers: `c.header()` after the handler rebuilds the response around its body, which turns a
 * plain text or JSON body into a stream the server then has to pump (most of a `/healthz`
 * answer's CPU). A response whose headers cannot change (a redirect made by `Response.redirect`)
 * goes the slow way.
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  try {
    const { headers } = c.res;
    for (const [name, value] of SECURITY_HEADERS) headers.set(name, value);
  } catch {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  }
};

const wantsJson = (c: Context): boolean =>
  c.req.path.startsWith('/api/') || !(c.req.header('Accept') ?? '').includes('text/html');

function deny(c: Context, status: 401 | 403 | 421, message: string): Response {
  if (wantsJson(c)) return c.json({ error: message }, status);
  return c.text(message, status);
}

/**
 * Bound to loopback, the server answers only requests addressed to a loopback name (or the
 * public URL's host): a web page that re-points its own domain at 127.0.0.1 (DNS rebinding)
 * cannot read the dashboard or post checks.
 */
export function hostCheck(config: Config): MiddlewareHandler {
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (config.publicUrl) allowed.add(new URL(config.publicUrl).hostname.toLowerCase());
  return async (c, next) => {
    if (!isLoopback(config.host) || isStravaPath(c.req.path)) return next();
    const host = (c.req.header('Host') ?? new URL(c.req.url).host).toLowerCase();
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
    if (name && (allowed.has(name) || /^127(\.\d{1,3}){3}$/.test(name))) return next();
    return deny(c, 421, `kneecheck: requests for host ${host} are not served`);
  };
}

/**
 * Whether every request needs the token (DESIGN §8): beyond loopback, and also on loopback as
 * soon as KNEECHECK_TOKEN or KNEECHECK_PUBLIC_URL is set. A reverse proxy or tunnel (Caddy, nginx,
 * cloudflared, ngrok) forwarding to 127.0.0.1 makes every request arrive from loopback, so the
 * address says nothing about who is asking: the token is the only proof.
 */
export function tokenRequired(config: Pick<Config, 'host' | 'token' | 'publicUrl'>): boolean {
  return !isLoopback(config.host) || config.token !== null || config.publicUrl !== null;
}

/** One line for the start log: who can reach the dashboard, and what they need. */
export function accessMode(config: Pick<Config, 'host' | 'token' | 'publicUrl'>): string {
  if (!tokenRequired(config)) {
    return 'web: loopback only, no token needed (nothing beyond this machine reaches it; set KNEECHECK_TOKEN before putting a proxy or tunnel in front of it)';
  }
  const why = !isLoopback(config.host)
    ? `KNEECHECK_HOST=${config.host} is reachable beyond this machine`
    : config.publicUrl !== null
      ? 'KNEECHECK_PUBLIC_URL is set (a proxy or tunnel forwards to it)'
      : 'KNEECHECK_TOKEN is set';
  return `web: every request needs the token (${why}); open the dashboard once as /?token=<KNEECHECK_TOKEN> in a browser, or send "Authorization: Bearer <token>"; only Strava's callback paths answer without it`;
}

/**
 * When the token is required ({@link tokenRequired}), every route but Strava's callback paths
 * needs it: an `Authorization: Bearer` header, or the cookie set by opening any page once with
 * `?token=` (the token is then stripped from the address by a redirect).
 */
export function tokenAuth(config: Config): MiddlewareHandler {
  if (!tokenRequired(config)) return (_c, next) => next();
  const token = config.token;
  if (!token) {
    const why = isLoopback(config.host)
      ? 'KNEECHECK_PUBLIC_URL is set (a proxy or tunnel forwards requests from beyond this machine)'
      : `KNEECHECK_HOST=${config.host} is reachable beyond this machine`;
    throw new Error(`kneecheck web: ${why}, so KNEECHECK_TOKEN is required`);
  }
  const cookie = cookieValue(token);
  return async (c, next) => {
    if (isStravaPath(c.req.path)) return next();
    const url = new URL(c.req.url);
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null && c.req.method === 'GET') {
      if (!safeEqual(fromQuery, token)) return deny(c, 401, 'kneecheck: wrong token');
      const secure =
        url.protocol === 'https:' ||
        (config.publicUrl?.startsWith('https:') === true &&
          new URL(config.publicUrl).host === url.host);
      setCookie(c, TOKEN_COOKIE, cookie, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure,
        maxAge: COOKIE_MAX_AGE_S,
      });
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    if (presentsToken(c, config)) return next();
    return deny(
      c,
      401,
      'kneecheck: this server needs its token (KNEECHECK_TOKEN): send "Authorization: Bearer <token>", ' +
        'or open the page once as /?token=<token> in this browser',
    );
  };
}

/**
 * True when the request carries KNEECHECK_TOKEN (an `Authorization: Bearer` header, or the cookie
 * derived from it), or when no token is required ({@link tokenRequired}).
 */
export function presentsToken(c: Context, config: Config): boolean {
  if (!tokenRequired(config)) return true;
  const token = config.token;
  if (!token) return false;
  const auth = c.req.header('Authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  if (bearer !== undefined) return safeEqual(bearer, token);
  const fromCookie = getCookie(c, TOKEN_COOKIE);
  return fromCookie !== undefined && safeEqual(fromCookie, cookieValue(token));
}

/** The cookie that ties a form's CSRF token to one browser (random, HttpOnly, SameSite=Strict). */
export const CSRF_COOKIE = 'kneecheck_csrf';

/** The browser a request came from, as far as the CSRF tokens are concerned. */
interface BrowserScope {
  c: Context;
  /** The browser's random id (its {@link CSRF_COOKIE}), null until one is set. */
  id: string | null;
}

const BROWSER_ID = /^[0-9a-f]{32}$/;

/**
 * Issues and verifies the CSRF tokens of the HTML forms: `<unix>.<hmac(secret, unix, browser)>`,
 * where `browser` is a random id kept in a cookie of its own (issue 21 item 14: a token was tied
 * to no session, so one fetched anywhere worked everywhere). The cookie is HttpOnly and
 * SameSite=Strict; a token verifies only with the cookie of the browser it was issued to. Requests
 * pass through {@link Csrf.browser} first, which makes that browser the scope of `issue()` and
 * `verify()` (AsyncLocalStorage: no route passes it along).
 */
export class Csrf {
  readonly #secret: string;
  readonly #scope = new AsyncLocalStorage<BrowserScope>();

  constructor(secret: string) {
    this.#secret = secret;
  }

  /**
   * The secret kept in the settings table, made on first use, so forms stay valid across
   * restarts; a random per-process secret when the database cannot store it.
   */
  static forStore(store: Store, now: () => Date, log: Logger): Csrf {
    let secret: string | null;
    try {
      const { settings } = store;
      secret = settings.text(CSRF_SECRET_KEY);
      if (secret === null || secret.length < 32) {
        secret = randomBytes(32).toString('hex');
        settings.set(CSRF_SECRET_KEY, secret, now().toISOString());
      }
    } catch (e) {
      log.warn('web: cannot keep the form secret in the database; forms expire on restart', {
        error: e as Error,
      });
      secret = randomBytes(32).toString('hex');
    }
    return new Csrf(secret);
  }

  /** Middleware: the request's browser (its CSRF cookie) is the scope of issue() and verify(). */
  browser(): MiddlewareHandler {
    return async (c, next) => {
      const id = getCookie(c, CSRF_COOKIE);
      await this.#scope.run({ c, id: id !== undefined && BROWSER_ID.test(id) ? id : null }, next);
    };
  }

  // Real time, not the app clock: a fixed KNEECHECK_NOW must not make every form expire.
  #unix = () => Math.floor(Date.now() / 1000);

  #sign = (t: string, browser: string) => hmac(this.#secret, `csrf:${t}:${browser}`);

  /** A token for a form on the page being answered; gives the browser its cookie if it has none. */
  issue(): string {
    const scope = this.#scope.getStore();
    if (!scope) throw new Error('Csrf.issue() outside a request: mount csrf.browser() first');
    if (scope.id === null) {
      scope.id = randomBytes(16).toString('hex');
      const url = new URL(scope.c.req.url);
      setCookie(scope.c, CSRF_COOKIE, scope.id, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        // Behind a TLS-terminating proxy the request reaches the daemon as http.
        secure:
          url.protocol === 'https:' ||
          scope.c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() === 'https',
        maxAge: COOKIE_MAX_AGE_S,
      });
    }
    const t = String(this.#unix());
    return `${t}.${this.#sign(t, scope.id)}`;
  }

  /**
   * True for a token issued by this install within {@link CSRF_MAX_AGE_S} to the browser this
   * request comes from (its cookie).
   */
  verify(token: unknown): boolean {
    const browser = this.#scope.getStore()?.id ?? null;
    if (typeof token !== 'string' || browser === null) return false;
    const m = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
    if (!m?.[1] || !m[2]) return false;
    const age = this.#unix() - Number(m[1]);
    if (age < -300 || age > CSRF_MAX_AGE_S) return false;
    return safeEqual(m[2], this.#sign(m[1], browser));
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses every state-changing request a browser sent for another site (issue 21 item 14: a
 * foreign `Origin` or `Origin: null` was accepted): `Sec-Fetch-Site: cross-site`/`same-site`, or
 * an `Origin` (`null` included) that is not one of the daemon's own (loopback names on its port,
 * KNEECHECK_PUBLIC_URL). A request without either header (curl, a script with the token) passes;
 * Strava's paths pass (Strava's servers send no Origin, and their secret path is the check).
 * `formRefused` answers a refused form post (outside /api/) as the app's pages do.
 */
export function originCheck(
  own: (requestUrl: string) => ReadonlySet<string>,
  formRefused?: (c: Context) => Response,
): MiddlewareHandler {
  return async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method) || isStravaPath(c.req.path)) return next();
    const why = browserOrigin(c.req.raw.headers, own(c.req.url));
    if (why === null) return next();
    // A form (not the API) gets the page a form with a bad CSRF token gets.
    if (formRefused && !c.req.path.startsWith('/api/')) return formRefused(c);
    return deny(c, 403, `kneecheck: refused a change sent from another site (${why})`);
  };
}
