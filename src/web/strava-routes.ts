import type { Hono } from 'hono';
import type { AppDeps } from './types.ts';
import { WEBHOOK_BASE_PATH } from '../strava/webhook-secret.ts';
import { isJsonType, limitBody } from './api.ts';
import { browserOrigin, ownOrigins } from './origin.ts';
import { h } from './html.ts';
import { page, stravaConnectForm } from './pages/layout.ts';
import type { Csrf } from './security.ts';

const NOT_CONFIGURED =
  'Strava is not configured: set STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET, then run `kneecheck strava connect`';

/**
 * Strava's webhook (subscription challenge and events, under the secret path
 * `/webhooks/strava/<secret>`; JSON only, never from a browser) and the OAuth callback (DESIGN §6).
 */
export function mountStrava(app: Hono, deps: AppDeps, csrf: Csrf): void {
  const query = (url: string): Record<string, string> =>
    Object.fromEntries(new URL(url).searchParams.entries());

  // The old path (and any other) answers 404: events come only to the secret one.
  let oldPathWarned = false;
  app.all(WEBHOOK_BASE_PATH, (c) => {
    if (!oldPathWarned) {
      oldPathWarned = true;
      deps.log.warn(
        `web: a request to the old Strava webhook path ${WEBHOOK_BASE_PATH} was refused; if the ` +
          'subscription is older than the secret path, run `kneecheck strava webhook unsubscribe` ' +
          'then `kneecheck strava webhook subscribe`',
      );
    }
    return c.json({ error: 'not found' }, 404);
  });

  app.get(`${WEBHOOK_BASE_PATH}/:secret`, (c) => {
    if (!deps.strava) return c.json({ error: NOT_CONFIGURED }, 404);
    if (!deps.strava.isWebhookSecret(c.req.param('secret'))) {
      return c.json({ error: 'not found' }, 404);
    }
    const answer = deps.strava.challenge(query(c.req.url));
    if (answer === null) return c.json({ error: 'hub.verify_token does not match' }, 403);
    return c.json(answer);
  });

  // Strava wants a 200 within two seconds: answer first, handle the event after.
  app.post(`${WEBHOOK_BASE_PATH}/:secret`, limitBody, async (c) => {
    const strava = deps.strava;
    if (!strava) return c.json({ error: NOT_CONFIGURED }, 404);
    if (!strava.isWebhookSecret(c.req.param('secret'))) return c.json({ error: 'not found' }, 404);
    const browser = browserOrigin(c.req.raw.headers, ownOrigins(deps, c.req.url));
    if (browser) {
      deps.log.warn('web: Strava event refused (sent by a web browser)', { why: browser });
      return c.json({ error: `refused: ${browser}` }, 403);
    }
    if (!isJsonType(c.req.header('Content-Type'))) {
      return c.json({ error: 'Content-Type: expected application/json' }, 415);
    }
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

  // Connecting from the dashboard: Strava sends the runner back to this daemon's callback. The
  // button posts a form (issue 21 item 14: a GET changed state, the OAuth state kept for the
  // callback); a GET shows the button and changes nothing.
  const notConfigured = () =>
    page({ title: 'Strava', body: h`<p class="notice">${NOT_CONFIGURED}.</p>` });
  app.get('/strava/connect', (c) => {
    if (!deps.strava?.connectUrl) return c.html(notConfigured(), 404);
    const body = h`<section class="card"><h1>Connect Strava</h1>
      <p>Strava will ask you to let kneecheck read your activities, then send you back here.</p>
      ${stravaConnectForm(csrf.issue())}
    </section>`;
    return c.html(page({ title: 'Strava', body }));
  });

  app.post('/strava/connect', limitBody, async (c) => {
    const connectUrl = deps.strava?.connectUrl;
    if (!connectUrl) return c.html(notConfigured(), 404);
    const fields = (await c.req.parseBody()) as Record<string, unknown>;
    if (!csrf.verify(fields.csrf)) {
      return c.html(
        page({
          title: 'Not connected',
          body: h`<section class="card"><h1>Not connected</h1><p>This form has expired or did not come from this page. <a href="/strava/connect">Go back</a> and press the button again.</p></section>`,
        }),
        403,
      );
    }
    const base = deps.config.publicUrl?.replace(/\/+$/, '') ?? new URL(c.req.url).origin;
    const url = connectUrl(`${base}/strava/callback`);
    // Not a redirect: the CSP's form-action 'self' would block a form's redirect to Strava; a
    // refresh (and the link, without it) is a plain navigation.
    return c.html(
      page({
        title: 'Strava',
        head: h`<meta http-equiv="refresh" content="0;url=${url}">`,
        body: h`<section class="card"><h1>Connect Strava</h1><p><a class="button" id="strava-authorize" href="${url}">Continue to Strava</a></p></section>`,
      }),
    );
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
