import type { AppDeps } from './types.ts';

/** Host names a browser on this machine uses for the daemon. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The daemon's own origins: the loopback names on the port the request came to, and
 * KNEECHECK_PUBLIC_URL's origin. Not the request's Host header: a rebound DNS name would match it.
 */
export function ownOrigins(deps: Pick<AppDeps, 'config'>, requestUrl: string): Set<string> {
  const url = new URL(requestUrl);
  const port = url.port ? `:${url.port}` : '';
  const own = new Set(LOOPBACK_NAMES.map((name) => `${url.protocol}//${name}${port}`));
  if (deps.config.publicUrl) own.add(new URL(deps.config.publicUrl).origin);
  return own;
}

/**
 * Why a request looks sent by a web browser for another site (`Sec-Fetch-Site: cross-site` or
 * `same-site`, or an `Origin` that is not one of `own`), or null. Servers such as Strava's send
 * neither header.
 */
export function browserOrigin(headers: Headers, own: ReadonlySet<string>): string | null {
  const site = headers.get('Sec-Fetch-Site')?.trim().toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  const origin = headers.get('Origin');
  if (origin !== null && !own.has(origin.trim().toLowerCase())) {
    return `Origin ${origin.slice(0, 100)} is not this daemon`;
  }
  return null;
}
