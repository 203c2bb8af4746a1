import { timingSafeEqual } from 'node:crypto';
import {
  parseStrava,
  stravaWebhookEventSchema,
  type Parsed,
  type StravaWebhookEvent,
} from '../../importers/strava-api.ts';
import type { RunId } from '../model.ts';
import { applyActivity, purgeStravaData, removeActivity, type ApplyContext } from './apply.ts';
import { confirmDeauthorized, confirmDeleted } from './confirm.ts';
import { StravaInactiveError, StravaPayloadError } from './http.ts';
import { logInactive } from './inactive.ts';
import { beginConnect, handleOAuthCallback } from './oauth.ts';
import { SETTINGS, announce, openSession, type StravaDeps } from './session.ts';
import { STREAMS_WINDOW_DAYS } from './sync.ts';
import { deleteTokens, readTokens } from './tokens.ts';
import { isWebhookSecret, webhookSecret } from './webhook-secret.ts';

/*
 * The path of a webhook event, start to end: `src/web/strava-routes.ts` answers Strava's POST
 * and hands the JSON body to `stravaWebHandlers(...).event` below, which parses it with the
 * importer's schema (`importers/strava-api.ts`) and queues it; `handleWebhookEvent` fetches the
 * activity (parsed the same way) and `applyActivity` (`./apply.ts`) maps it with the Strava
 * importer and stores it through the Store (`store.saveRun`, `store.strava`).
 */

/** What handling one webhook event did. */
export type WebhookOutcome =
  | { action: 'imported'; runId: RunId }
  | { action: 'merged' | 'updated'; runId: RunId }
  | { action: 'deleted'; runDeleted: boolean }
  | { action: 'skipped'; reason: string }
  | { action: 'deauthorized'; runsDeleted: number }
  | { action: 'ignored'; reason: string };

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * `GET /webhooks/strava`: the subscription challenge. Returns the body to answer with 200
 * (`{"hub.challenge": ...}`), or null when the verify token does not match (answer 403).
 */
export function verifyChallenge(
  query: URLSearchParams | Record<string, string | string[] | undefined>,
  verifyToken: string | null,
): { 'hub.challenge': string } | null {
  const get = (k: string): string | null => {
    if (query instanceof URLSearchParams) return query.get(k);
    const v = query[k];
    return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
  };
  const mode = get('hub.mode');
  const token = get('hub.verify_token');
  const challenge = get('hub.challenge');
  if (verifyToken === null || mode !== 'subscribe' || token === null || challenge === null) {
    return null;
  }
  return sameSecret(token, verifyToken) ? { 'hub.challenge': challenge } : null;
}

/** The event in a `POST /webhooks/strava` body, or why it is not one (it is then dropped). */
export const parseWebhookEvent = (body: unknown): Parsed<StravaWebhookEvent> =>
  parseStrava(stravaWebhookEventSchema, body, 'webhook event');

/** Forgets the connection and what came only from Strava (DESIGN §8). */
export function forgetStrava(deps: StravaDeps): { runsDeleted: number; sourcesRemoved: number } {
  deleteTokens(deps.config.dataDir);
  return purgeStravaData(deps, [SETTINGS.sync, SETTINGS.oauthState, SETTINGS.inactive]);
}

/**
 * Handles one webhook event (after the route has answered 200; Strava wants an answer within
 * 2 s): activity create (fetch detail and streams, import, prompt for a knee check), update
 * (title and privacy are noted; a type change re-reads the activity and removes the run when it
 * is no longer one), delete (once the API answers 404 for the activity: removes the run's Strava
 * source, and the run when Strava was its only source), and athlete deauthorization (once the API
 * refuses the stored token: drops the tokens and what came only from Strava). Events are unsigned,
 * so nothing destructive happens on their word alone: an unconfirmed one is logged and ignored.
 */
export async function handleWebhookEvent(
  deps: StravaDeps,
  event: StravaWebhookEvent,
): Promise<WebhookOutcome> {
  const session = openSession(deps, false);
  const tokens = session.tokens.tokens;
  if (!tokens) return { action: 'ignored', reason: 'not connected to Strava' };
  if (event.owner_id !== tokens.athlete.id) {
    return {
      action: 'ignored',
      reason: `event for athlete ${event.owner_id}, not the one connected`,
    };
  }
  try {
    if (event.object_type === 'athlete') {
      if (event.updates.authorized === 'false') {
        // Unsigned: only the API's refusal of the stored token makes it true.
        const check = await confirmDeauthorized(deps, session);
        if (!check.confirmed) {
          deps.log.warn(
            'Strava webhook: a deauthorization event not confirmed by Strava, ignored',
            {
              reason: check.reason,
            },
          );
          return { action: 'ignored', reason: `deauthorization not confirmed: ${check.reason}` };
        }
        const { runsDeleted } = forgetStrava(deps);
        deps.log.info('Strava access was revoked: tokens and Strava-only runs deleted', {
          runsDeleted,
        });
        return { action: 'deauthorized', runsDeleted };
      }
      return { action: 'ignored', reason: 'athlete update' };
    }
    const id = String(event.object_id);
    const ctx: ApplyContext = {
      deps,
      session,
      streamsSinceUnix: Math.floor(deps.now().getTime() / 1000) - STREAMS_WINDOW_DAYS * 86_400,
    };
    if (event.aspect_type === 'delete') {
      if (
        !deps.store.strava.get(id) &&
        !deps.store.runs.runIdOfSource({ source: 'strava', sourceId: id })
      ) {
        return { action: 'ignored', reason: `activity ${id} was not stored as a run` };
      }
      // Unsigned: only the API's 404 for the activity makes it true.
      const check = await confirmDeleted(session, id);
      if (!check.confirmed) {
        deps.log.warn('Strava webhook: a delete event not confirmed by Strava, ignored', {
          activity: id,
          reason: check.reason,
        });
        return { action: 'ignored', reason: `delete not confirmed: ${check.reason}` };
      }
      const { runDeleted, hadRun } = removeActivity(deps, id);
      return hadRun
        ? { action: 'deleted', runDeleted }
        : { action: 'ignored', reason: `activity ${id} was not stored as a run` };
    }
    const known = deps.store.strava.get(id);
    if (event.aspect_type === 'update' && known && event.updates.type === undefined) {
      // Title and privacy: nothing a run record holds changes (read_all still sees private ones).
      const fields: { name?: string; private?: boolean } = {};
      if (event.updates.title !== undefined) fields.name = event.updates.title;
      if (event.updates.private !== undefined) fields.private = event.updates.private === 'true';
      deps.store.strava.patch(id, fields);
      const runId = deps.store.runs.runIdOfSource({ source: 'strava', sourceId: id });
      return runId
        ? { action: 'updated', runId }
        : { action: 'skipped', reason: known.reason ?? 'not a run' };
    }
    // create, a type change, or an update of an activity not seen yet: read it again.
    let activity;
    try {
      activity = await session.api.activity(id);
    } catch (e) {
      // An answer that is not an activity: nothing is stored or removed on its word.
      if (e instanceof StravaPayloadError) return { action: 'ignored', reason: e.message };
      throw e;
    }
    if (!activity) {
      const { runDeleted } = removeActivity(deps, id);
      return { action: 'deleted', runDeleted };
    }
    const outcome = await applyActivity(ctx, activity);
    switch (outcome.kind) {
      case 'imported':
        await announce(deps, [outcome.run]);
        return { action: 'imported', runId: outcome.run.id };
      case 'merged':
        return { action: 'merged', runId: outcome.runId };
      case 'updated':
        return { action: 'updated', runId: outcome.runId };
      case 'unchanged': {
        const runId = deps.store.runs.runIdOfSource({ source: 'strava', sourceId: id });
        return runId ? { action: 'updated', runId } : { action: 'ignored', reason: 'unchanged' };
      }
      case 'removed':
        return { action: 'deleted', runDeleted: outcome.runDeleted };
      case 'skipped':
        return { action: 'skipped', reason: outcome.reason };
      case 'failed':
        return { action: 'ignored', reason: outcome.error };
    }
  } finally {
    session.saveBudget();
  }
}

/**
 * A queue for the daemon's `POST /webhooks/strava`: the route answers 200 at once and pushes the
 * event; events are handled one at a time, in order, after the answer. Errors are logged, never
 * thrown (a bad event must not stop the daemon).
 */
export function createWebhookQueue(deps: StravaDeps): {
  push(event: StravaWebhookEvent): void;
  /** Resolves when every event pushed so far is handled (tests, shutdown). */
  idle(): Promise<void>;
} {
  let tail: Promise<void> = Promise.resolve();
  return {
    push(event) {
      tail = tail.then(async () => {
        try {
          const outcome = await handleWebhookEvent(deps, event);
          deps.log.info('Strava webhook event handled', {
            object: `${event.object_type}:${event.object_id}`,
            aspect: event.aspect_type,
            ...outcome,
          });
        } catch (e) {
          if (e instanceof StravaInactiveError) {
            logInactive(deps, 'Strava webhook event');
            return;
          }
          deps.log.error('Strava webhook event failed', {
            object: `${event.object_type}:${event.object_id}`,
            aspect: event.aspect_type,
            error: e as Error,
          });
        }
      });
    },
    idle: () => tail,
  };
}

/**
 * What the daemon passes to `createApp` as `strava` (src/web/strava-routes.ts):
 * - `isWebhookSecret(segment)`: whether `/webhooks/strava/<segment>` is this data folder's
 *   callback (src/strava/webhook-secret.ts); any other path answers 404;
 * - `challenge(query)` for `GET /webhooks/strava/<secret>`: the `{"hub.challenge"}` body, or
 *   null → 403;
 * - `event(body)` for `POST /webhooks/strava/<secret>`: parses and queues the event (handled in
 *   order, after the 200; a body that is not an event is logged with why, and dropped);
 * - `callback(query)` for `GET /strava/callback`: finishes a connect started with
 *   `beginConnect(deps, '<public url>/strava/callback')`.
 * `idle()` resolves when the queued events are handled (shutdown, tests).
 */
export function stravaWebHandlers(deps: StravaDeps) {
  const queue = createWebhookQueue(deps);
  let secret: string | null = null;
  return {
    isWebhookSecret(segment: string): boolean {
      secret ??= webhookSecret(deps.store, deps.now);
      return isWebhookSecret(segment, secret);
    },
    /** The sync state for /healthz: last sync, cursor, whether the backfill is complete. */
    lastSync: () => deps.store.settings.get(SETTINGS.sync),
    connectUrl: (redirectUri: string) => beginConnect(deps, redirectUri).url,
    connected: () => readTokens(deps.config.dataDir) !== null,
    challenge: (query: Record<string, string>) =>
      verifyChallenge(query, deps.config.strava.webhookVerifyToken),
    event(body: unknown): void {
      const parsed = parseWebhookEvent(body);
      if (parsed.ok) queue.push(parsed.value);
      else deps.log.warn('Strava webhook: not an event, ignored', { reason: parsed.error });
    },
    async callback(query: Record<string, string>): Promise<{ ok: boolean; message: string }> {
      const r = await handleOAuthCallback(deps, query);
      return r.ok
        ? {
            ok: true,
            message: `kneecheck can now read the runs of ${r.athlete.name}. The next sync imports them.`,
          }
        : { ok: false, message: r.message };
    },
    idle: () => queue.idle(),
  };
}
