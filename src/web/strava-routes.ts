import type { Hono } from 'hono';
import type { AppDeps } from './app.ts';
import { limitBody } from './api.ts';
import { h } from './html.ts';
import { page } from './pages/layout.ts';

const NOT_CONFIGURED =
  'Strava is not configured: set STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET, then run `kneecheck strava connect`';

/** Strava's webhook (subscription challenge and events) and the OAuth callback (DESIGN §6). */
export function mountStrava(app: Hono, deps: AppDeps): void {
  const query = (url: string): Record<string, string> =>
    Object.fromEntries(new URL(url).searchParams.entries());

  app.get('/webhooks/strava', (c) => {
    if (!deps.strava) return c.json({ error: NOT_CONFIGURED }, 404);
    const answer = deps.strava.challenge(query(c.req.url));
    if (answer === null) return c.json({ error: 'hub.verify_token does not match' }, 403);
    return c.json(answer);
  });

  // Strava wants a 200 within two seconds: answer first, handle the event after.
  app.post('/webhooks/strava', limitBody, async (c) => {
    const strava = deps.strava;
    if (!strava) return c.json({ error: NOT_CONFIGURED }, 404);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body: expected a JSON Strava event' }, 400);
    }
    setImmediate(() => {
      try {
        strava.event(body);
      } catch (e) {
        deps.log.error('web: Strava event failed', { error: e as Error });
      }
    });
    return c.json({ ok: true });
  });

  // Connecting from the dashboard: Strava sends the runner back to this daemon's callback.
  app.get('/strava/connect', (c) => {
    const connectUrl = deps.strava?.connectUrl;
    if (!connectUrl) {
      return c.html(
        page({ title: 'Strava', body: h`<p class="notice">${NOT_CONFIGURED}.</p>` }),
        404,
      );
    }
    const base = deps.config.publicUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
    return c.redirect(connectUrl(`${base}/strava/callback`), 302);
  });

  app.get('/strava/callback', async (c) => {
    if (!deps.strava) {
      return c.html(
        page({ title: 'Strava', body: h`<p class="notice">${NOT_CONFIGURED}.</p>` }),
        404,
      );
    }
    let result: { ok: boolean; message: string };
    try {
      result = await deps.strava.callback(query(c.req.url));
    } catch (e) {
      deps.log.error('web: Strava callback failed', { error: e as Error });
      result = { ok: false, message: 'Connecting to Strava failed; see the kneecheck log.' };
    }
    const body = h`<section class="card">
      <h1>${result.ok ? 'Strava connected' : 'Strava not connected'}</h1>
      <p>${result.message}</p>
      <p><a class="button" href="/">Back to the dashboard</a></p>
    </section>`;
    return c.html(page({ title: 'Strava', body }), result.ok ? 200 : 400);
  });
}
