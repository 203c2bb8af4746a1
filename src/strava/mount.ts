import { stravaConfigured } from '../config/index.ts';
import { beginConnect, handleOAuthCallback } from './oauth.ts';
import { SETTINGS, type StravaDeps } from './session.ts';
import { syncStrava, type SyncResult } from './sync.ts';
import { NotConnectedError, readTokens } from './tokens.ts';
import { createWebhookQueue, parseWebhookEvent, verifyChallenge } from './webhook.ts';
import { isWebhookSecret, webhookSecret } from './webhook-secret.ts';

export { stravaConfigured };

/**
 * What the daemon passes to `createApp` as `strava` (src/web/strava-routes.ts):
 * - `isWebhookSecret(segment)`: whether `/webhooks/strava/<segment>` is this data folder's
 *   callback (src/strava/webhook-secret.ts); any other path answers 404;
 * - `challenge(query)` for `GET /webhooks/strava/<secret>`: the `{"hub.challenge"}` body, or
 *   null → 403;
 * - `event(body)` for `POST /webhooks/strava/<secret>`: queues the event (handled in order, after
 *   the 200; a body that is not an event is logged and dropped);
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
      const event = parseWebhookEvent(body);
      if (event) queue.push(event);
      else deps.log.warn('Strava webhook: not an event, ignored');
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

/**
 * The daemon's `STRAVA_SYNC_CRON` job: a sync when connected (waiting up to `maxWaitMs` for a
 * rate-limit window), null when Strava is not configured or connected. Never throws: failures are
 * logged, and progress is saved for the next run.
 */
export async function scheduledSync(deps: StravaDeps): Promise<SyncResult | null> {
  if (!stravaConfigured(deps.config)) return null;
  try {
    const result = await syncStrava(deps);
    deps.log.info('Strava sync', {
      imported: result.imported,
      updated: result.updated,
      deleted: result.deleted,
      apiCalls: result.apiCalls,
      complete: result.complete,
      ...(result.stopped ? { stopped: result.stopped.reason } : {}),
    });
    return result;
  } catch (e) {
    if (e instanceof NotConnectedError) return null;
    deps.log.error('Strava sync failed', { error: e as Error });
    return null;
  }
}
