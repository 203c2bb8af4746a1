import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { KneecheckError } from '../errors.ts';
import { SETTINGS, openSession, type StravaDeps } from './session.ts';
import { athleteName } from './tokens.ts';

/** Scope kneecheck asks for: every activity, private ones included (read-only). */
export const SCOPE = 'activity:read_all';
/** A started connect must be finished within this time. */
const STATE_TTL_MS = 15 * 60_000;
/** The redirect path, the same on the daemon and the loopback listener. */
export const CALLBACK_PATH = '/strava/callback';

interface PendingConnect {
  state: string;
  redirectUri: string;
  expiresAt: number;
}

/** The answer to the redirect back from Strava. */
export type OAuthCallbackResult =
  | { ok: true; athlete: { id: number; name: string }; scope: string[] }
  | { ok: false; status: 400 | 403 | 502; message: string };

/**
 * Starts the authorization-code flow: a random `state` is kept (settings) for the callback to
 * check, and the Strava authorize URL returned. `redirectUri` is the daemon's
 * `<public url>/strava/callback` or the CLI's loopback listener.
 */
export function beginConnect(
  deps: StravaDeps,
  redirectUri: string,
): { url: string; state: string } {
  const session = openSession(deps, false);
  const state = randomBytes(16).toString('hex');
  const pending: PendingConnect = {
    state,
    redirectUri,
    expiresAt: (deps.nowMs ?? Date.now)() + STATE_TTL_MS,
  };
  deps.store.settings.set(SETTINGS.oauthState, pending, deps.now().toISOString());
  return { url: session.oauth.authorizeUrl(redirectUri, state, SCOPE), state };
}

const first = (v: string | string[] | undefined | null): string | null =>
  Array.isArray(v) ? (v[0] ?? null) : (v ?? null);

const sameText = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * `GET /strava/callback?code&state&scope` (or `?error=access_denied`): checks `state` against the
 * pending connect, exchanges the code, stores the tokens (0600 file) and returns the athlete. The
 * tokens are never part of the result. The route answers `status` with `message` on failure.
 */
export async function handleOAuthCallback(
  deps: StravaDeps,
  query: URLSearchParams | Record<string, string | string[] | undefined>,
): Promise<OAuthCallbackResult> {
  const get = (k: string) => (query instanceof URLSearchParams ? query.get(k) : first(query[k]));
  const pending = deps.store.settings.get<PendingConnect>(SETTINGS.oauthState);
  const state = get('state');
  if (!pending || state === null || !sameText(state, pending.state)) {
    return {
      ok: false,
      status: 403,
      message:
        'This answer from Strava does not belong to a connect started here (state mismatch).',
    };
  }
  if (pending.expiresAt < (deps.nowMs ?? Date.now)()) {
    deps.store.settings.delete(SETTINGS.oauthState);
    return { ok: false, status: 400, message: 'The connect took too long; start it again.' };
  }
  const error = get('error');
  if (error !== null) {
    deps.store.settings.delete(SETTINGS.oauthState);
    return {
      ok: false,
      status: 400,
      message:
        error === 'access_denied'
          ? 'Strava access was not granted (you pressed Cancel).'
          : `Strava answered with an error: ${error}`,
    };
  }
  const code = get('code');
  if (code === null) return { ok: false, status: 400, message: 'Strava sent no code.' };
  const scope = (get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
  if (!scope.includes('activity:read_all') && !scope.includes('activity:read')) {
    deps.store.settings.delete(SETTINGS.oauthState);
    return {
      ok: false,
      status: 400,
      message:
        'kneecheck needs to read your activities: connect again and leave "View data about your ' +
        'activities" ticked.',
    };
  }
  const session = openSession(deps, false);
  let res;
  try {
    res = await session.oauth.exchangeCode(code);
  } catch (e) {
    return {
      ok: false,
      status: 502,
      message: e instanceof Error ? e.message : 'the token exchange failed',
    };
  }
  deps.store.settings.delete(SETTINGS.oauthState);
  const name = athleteName(res.athlete);
  session.tokens.save(res, {
    scope,
    athlete: { id: res.athlete?.id ?? 0, name, username: res.athlete?.username ?? null },
    connectedAt: deps.now().toISOString(),
  });
  return { ok: true, athlete: { id: res.athlete?.id ?? 0, name }, scope };
}

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font-family:sans-serif;max-width:32em;margin:3em auto"><h1>${title}</h1>` +
  `<p>${text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></body>`;

/** A short-lived listener on 127.0.0.1 for the redirect back from Strava (`strava connect`). */
export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/strava/callback`. */
  redirectUri: string;
  port: number;
  /** Resolves with the first callback's result (a stray request without `state` is answered 404). */
  result: Promise<OAuthCallbackResult>;
  close(): Promise<void>;
}

export async function listenForCallback(deps: StravaDeps, port: number): Promise<LoopbackListener> {
  let settle: (r: OAuthCallbackResult) => void = () => {};
  const result = new Promise<OAuthCallbackResult>((resolve) => (settle = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== CALLBACK_PATH || !url.searchParams.has('state')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    handleOAuthCallback(deps, url.searchParams).then(
      (r) => {
        const body = r.ok
          ? page(
              'Connected to Strava',
              `kneecheck can now read the runs of ${r.athlete.name}. You can close this tab.`,
            )
          : page('Not connected', r.message);
        res.writeHead(r.ok ? 200 : r.status, {
          'Content-Type': 'text/html; charset=utf-8',
          Connection: 'close',
        });
        res.end(body, () => settle(r));
      },
      (e: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('kneecheck failed\n');
        settle({ ok: false, status: 502, message: e instanceof Error ? e.message : String(e) });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new KneecheckError(`cannot listen on 127.0.0.1:${port} (--port): ${e.message}`)),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as { port: number }).port;
  return {
    redirectUri: `http://127.0.0.1:${actual}${CALLBACK_PATH}`,
    port: actual,
    result,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
