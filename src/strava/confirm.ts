import { withSlash } from './client.ts';
import { StravaHttpError, StravaInactiveError } from './http.ts';
import type { StravaDeps, StravaSession } from './session.ts';

/**
 * Strava's events are unsigned: before anything destructive, ask the API (DESIGN §6). A forged
 * event costs at most one API request and changes nothing.
 */

/** What the API said about an event's claim. */
export type Confirmation = { confirmed: true } | { confirmed: false; reason: string };

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** True when `e` (or an error it wraps) is Strava refusing a token or a refresh (400/401). */
function refusedByStrava(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 4; depth++) {
    if (x instanceof StravaHttpError) return x.status === 400 || x.status === 401;
    x = (x as Error & { cause?: unknown }).cause;
  }
  return false;
}

/**
 * An athlete deauthorization is true when the API refuses (401) the stored access token and the
 * refresh token is refused too. A token that still works, or a refresh that works (the token had
 * only expired), or Strava unreachable: not confirmed.
 */
export async function confirmDeauthorized(
  deps: StravaDeps,
  session: StravaSession,
): Promise<Confirmation> {
  const stored = session.tokens.tokens;
  if (!stored) return { confirmed: false, reason: 'no stored token to check' };
  try {
    await session.transport.send(
      {
        method: 'GET',
        url: new URL('athlete', withSlash(deps.config.strava.apiUrl)),
        headers: { Authorization: `Bearer ${stored.accessToken}` },
      },
      'api',
    );
    return { confirmed: false, reason: 'Strava still accepts the stored token' };
  } catch (e) {
    // An inactive application is refused whatever the token: that confirms nothing, and the
    // caller says it once rather than per event.
    if (e instanceof StravaInactiveError) throw e;
    if (!(e instanceof StravaHttpError && e.status === 401)) {
      return { confirmed: false, reason: `could not ask Strava: ${why(e)}` };
    }
  }
  try {
    await session.tokens.refresh(stored.accessToken);
    return { confirmed: false, reason: 'the token had expired; Strava renewed it' };
  } catch (e) {
    if (e instanceof StravaInactiveError) throw e;
    if (refusedByStrava(e)) return { confirmed: true };
    return { confirmed: false, reason: `could not ask Strava: ${why(e)}` };
  }
}

/** An activity deletion is true when the API answers 404 for that activity. */
export async function confirmDeleted(session: StravaSession, id: string): Promise<Confirmation> {
  try {
    const activity = await session.api.activity(id);
    return activity === null
      ? { confirmed: true }
      : { confirmed: false, reason: `Strava still has activity ${id}` };
  } catch (e) {
    if (e instanceof StravaInactiveError) throw e;
    return { confirmed: false, reason: `could not ask Strava: ${why(e)}` };
  }
}
