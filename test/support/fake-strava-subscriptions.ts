/**
 * The push_subscriptions endpoints of the fake Strava (fake-strava.ts): list, create (with
 * Strava's callback challenge) and delete a webhook subscription.
 */
import type http from 'node:http';
import { ERROR_404, hex, type Json } from './fake-strava-data.ts';

export interface Subscription {
  id: number;
  callback_url: string;
  created_at: string;
}

/** What the endpoints read from (and change on) the fake. */
export interface SubscriptionHost {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly subscriptions: Subscription[];
}

/** Answers a request under /api/v3/push_subscriptions (`path` is without /api/v3). */
export async function handleSubscriptions(
  host: SubscriptionHost,
  req: http.IncomingMessage,
  path: string,
  p: Record<string, string>,
  send: (status: number, body: unknown) => void,
): Promise<void> {
  if (p.client_id !== host.clientId || p.client_secret !== host.clientSecret) {
    return send(401, {
      message: 'Authorization Error',
      errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }],
    });
  }
  if (req.method === 'GET' && path === '/push_subscriptions') {
    return send(
      200,
      host.subscriptions.map((s) => ({
        id: s.id,
        resource_state: 2,
        application_id: Number(host.clientId),
        callback_url: s.callback_url,
        created_at: s.created_at,
        updated_at: s.created_at,
      })),
    );
  }
  if (req.method === 'POST' && path === '/push_subscriptions') {
    if (host.subscriptions.length > 0) {
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
      id: 120475 + host.subscriptions.length,
      callback_url: p.callback_url ?? '',
      created_at: new Date().toISOString(),
    };
    host.subscriptions.push(sub);
    return send(201, { id: sub.id });
  }
  const del = /^\/push_subscriptions\/(\d+)$/.exec(path);
  if (req.method === 'DELETE' && del) {
    const i = host.subscriptions.findIndex((s) => s.id === Number(del[1]));
    if (i < 0) return send(404, ERROR_404);
    host.subscriptions.splice(i, 1);
    return send(204, undefined);
  }
  send(404, ERROR_404);
}
